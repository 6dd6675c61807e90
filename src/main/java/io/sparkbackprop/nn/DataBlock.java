package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * A block of training rows stacked into contiguous column-major arrays: the unit the trainer caches and
 * every gradient computation runs over. Features are {@code featureWidth x rows}, targets
 * {@code targetWidth x rows} (a class index, or the regression target(s)), and one instance weight per
 * row.
 *
 * <p>A block is immutable once built. The arrays may be longer than needed; only the first
 * {@code rows} columns are valid.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long id;
  private final int rows;
  private final int featureWidth;
  private final float[] features;
  private final int targetWidth;
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
    if (rows <= 0) {
      throw new IllegalArgumentException("A block needs at least one row, got " + rows);
    }
    checkLength("features", features, (long) featureWidth * rows);
    checkLength("targets", targets, (long) targetWidth * rows);
    checkLength("weights", weights, rows);
    this.id = id;
    this.rows = rows;
    this.featureWidth = featureWidth;
    this.features = features;
    this.targetWidth = targetWidth;
    this.targets = targets;
    this.weights = weights;
    double sum = 0;
    for (int i = 0; i < rows; i++) {
      sum += weights[i];
    }
    this.weightSum = sum;
    this.validation = validation;
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

  public int rows() {
    return rows;
  }

  public int featureWidth() {
    return featureWidth;
  }

  public float[] features() {
    return features;
  }

  public int targetWidth() {
    return targetWidth;
  }

  public float[] targets() {
    return targets;
  }

  public float[] weights() {
    return weights;
  }

  /** True for rows held out for validation: they are evaluated, never trained on. */
  public boolean isValidation() {
    return validation;
  }

  /** Sum of the instance weights of the block's rows. */
  public double weightSum() {
    return weightSum;
  }

  /** Bytes held by the arrays, for memory reports. */
  public long sizeInBytes() {
    return 4L * (features.length + targets.length + weights.length);
  }
}
