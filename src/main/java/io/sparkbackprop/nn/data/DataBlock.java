package io.sparkbackprop.nn.data;

import java.io.Serializable;

/**
 * A block of training rows stacked into contiguous column-major arrays: the unit the trainer caches and
 * every gradient computation runs over.
 *
 * <p>A feed-forward block holds {@code rows} rows: features {@code featureWidth x rows}, targets
 * {@code targetWidth x rows} (a class index, or the regression target(s)) and one instance weight per
 * row. A sequence block holds {@code rows} sequences of up to {@code steps} steps, time-major (see
 * {@link BatchShape}): features {@code featureWidth x (steps * rows)}, and targets and weights either
 * per sequence ({@code rows} columns) or per step ({@code steps * rows} columns, time-major, weight 0
 * on padding, so padding never reaches the loss).
 *
 * <p>A block is immutable once built. The arrays may be longer than needed; only the first columns
 * are valid.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 2L;

  private final long id;
  private final BatchShape shape;
  private final int featureWidth;
  private final float[] features;
  private final int targetWidth;
  private final int targetColumns;
  private final float[] targets;
  private final float[] weights;
  private final double weightSum;
  private final boolean validation;

  /**
   * @param id a stable identifier (the trainer derives it from partition and position) used to sample
   *     blocks reproducibly
   */
  public DataBlock(long id, int rows, int featureWidth, float[] features, int targetWidth,
      float[] targets, float[] weights) {
    this(id, rows, featureWidth, features, targetWidth, targets, weights, false);
  }

  /**
   * @param validation whether the rows are held out for validation (never trained on)
   */
  public DataBlock(long id, int rows, int featureWidth, float[] features, int targetWidth,
      float[] targets, float[] weights, boolean validation) {
    this(id, checkedRows(rows), featureWidth, features, targetWidth, rows, targets, weights,
        validation);
  }

  private DataBlock(long id, BatchShape shape, int featureWidth, float[] features, int targetWidth,
      int targetColumns, float[] targets, float[] weights, boolean validation) {
    checkLength("features", features, (long) featureWidth * shape.columns());
    checkLength("targets", targets, (long) targetWidth * targetColumns);
    checkLength("weights", weights, targetColumns);
    this.id = id;
    this.shape = shape;
    this.featureWidth = featureWidth;
    this.features = features;
    this.targetWidth = targetWidth;
    this.targetColumns = targetColumns;
    this.targets = targets;
    this.weights = weights;
    double sum = 0;
    for (int i = 0; i < targetColumns; i++) {
      sum += weights[i];
    }
    this.weightSum = sum;
    this.validation = validation;
  }

  /**
   * A block of sequences.
   *
   * @param shape rows, padded steps and each row's length
   * @param perStep whether targets and weights are given per step ({@code steps * rows} columns,
   *     time-major) rather than per sequence ({@code rows} columns)
   */
  public static DataBlock sequences(long id, BatchShape shape, int featureWidth, float[] features,
      int targetWidth, boolean perStep, float[] targets, float[] weights, boolean validation) {
    return new DataBlock(id, shape, featureWidth, features, targetWidth,
        perStep ? shape.columns() : shape.rows(), targets, weights, validation);
  }

  private static BatchShape checkedRows(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("A block needs at least one row, got " + rows);
    }
    return BatchShape.rows(rows);
  }

  private static void checkLength(String name, float[] array, long needed) {
    if (array.length < needed) {
      throw new IllegalArgumentException(
          "Block " + name + " array has " + array.length + " entries, needs " + needed);
    }
  }

  public long id() {
    return id;
  }

  /** Rows (or sequences) in the block. */
  public int rows() {
    return shape.rows();
  }

  /** How the feature columns are organised. */
  public BatchShape shape() {
    return shape;
  }

  /** Features per column (per row, or per time step). */
  public int featureWidth() {
    return featureWidth;
  }

  public float[] features() {
    return features;
  }

  public int targetWidth() {
    return targetWidth;
  }

  /** Columns of targets and weights: one per row, or one per step of each sequence. */
  public int targetColumns() {
    return targetColumns;
  }

  public float[] targets() {
    return targets;
  }

  /** One weight per target column (0 on the padding of per-step targets). */
  public float[] weights() {
    return weights;
  }

  /** True for rows held out for validation: they are evaluated, never trained on. */
  public boolean isValidation() {
    return validation;
  }

  /** Sum of the weights of the block's target columns. */
  public double weightSum() {
    return weightSum;
  }

  /** Bytes held by the arrays, for memory reports. */
  public long sizeInBytes() {
    return 4L * (features.length + targets.length + weights.length);
  }
}
