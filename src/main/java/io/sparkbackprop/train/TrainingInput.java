package io.sparkbackprop.train;

import java.io.Serializable;

/**
 * Which columns of a Dataset feed training and how the label is read.
 *
 * @param weightCol the instance-weight column, or null for weight 1 on every row
 * @param knownNumClasses for class labels: the number of classes declared up front (label metadata or
 *     the {@code layers} param), or -1 when it is to be inferred from the data
 */
public record TrainingInput(String featuresCol, String labelCol, String weightCol, LabelKind labelKind,
    int knownNumClasses) implements Serializable {

  /** How labels are checked and stored. */
  public enum LabelKind {
    /** Class indices 0, 1, ..., k-1 stored as doubles. */
    CLASS_INDEX,
    /** Any finite real number. */
    REAL
  }

  public static TrainingInput classification(String featuresCol, String labelCol, int knownNumClasses) {
    return new TrainingInput(featuresCol, labelCol, null, LabelKind.CLASS_INDEX, knownNumClasses);
  }

  public static TrainingInput regression(String featuresCol, String labelCol) {
    return new TrainingInput(featuresCol, labelCol, null, LabelKind.REAL, -1);
  }

  public TrainingInput withWeightCol(String column) {
    return new TrainingInput(featuresCol, labelCol, column, labelKind, knownNumClasses);
  }
}
