package io.sparkbackprop.distributed;

import java.io.Serializable;

/**
 * Which columns of a Dataset feed training, how the label is read and which rows are held out for
 * validation.
 *
 * @param weightCol the instance-weight column, or null for weight 1 on every row
 * @param knownNumClasses for class labels: the number of classes declared up front (label metadata or
 *     the {@code layers} param), or -1 when it is to be inferred from the data
 * @param validationCol a boolean column marking validation rows (Spark's GBT convention), or null
 * @param validationFraction share of rows held out at random when there is no validation column
 * @param seed seeds the random hold-out
 */
public record TrainingInput(String featuresCol, String labelCol, String weightCol, LabelKind labelKind,
    int knownNumClasses, String validationCol, double validationFraction, long seed)
    implements Serializable {

  /**
   * The most classes inferred from the labels when neither {@code layers} nor the label column's
   * metadata declares the class count: labels 0..999. Larger labels are refused as the rows are
   * stacked, before any array of that size is allocated (Spark's classifiers cap inferred classes
   * the same way; they allow 100).
   */
  public static final int MAX_INFERRED_CLASSES = 1000;

  /** How labels are checked and stored. */
  public enum LabelKind {
    /** Class indices 0, 1, ..., k-1 stored as doubles. */
    CLASS_INDEX,
    /** Any finite real number. */
    REAL
  }

  public TrainingInput {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction must be in [0, 1), got "
          + validationFraction);
    }
  }

  public static TrainingInput classification(String featuresCol, String labelCol, int knownNumClasses) {
    return new TrainingInput(featuresCol, labelCol, null, LabelKind.CLASS_INDEX, knownNumClasses,
        null, 0, 0);
  }

  public static TrainingInput regression(String featuresCol, String labelCol) {
    return new TrainingInput(featuresCol, labelCol, null, LabelKind.REAL, -1, null, 0, 0);
  }

  public TrainingInput withWeightCol(String column) {
    return new TrainingInput(featuresCol, labelCol, column, labelKind, knownNumClasses, validationCol,
        validationFraction, seed);
  }

  /** Holds out the rows where the boolean {@code column} is true. */
  public TrainingInput withValidationCol(String column) {
    return new TrainingInput(featuresCol, labelCol, weightCol, labelKind, knownNumClasses, column,
        validationFraction, seed);
  }

  /** Holds out a seeded random {@code fraction} of the rows. */
  public TrainingInput withValidationFraction(double fraction, long holdOutSeed) {
    return new TrainingInput(featuresCol, labelCol, weightCol, labelKind, knownNumClasses,
        validationCol, fraction, holdOutSeed);
  }
}
