package io.sparkbackprop.nn.data;

import java.io.Serializable;

/**
 * Weighted mean and variance of every feature over a set of blocks, accumulated block by block and
 * merged across partitions with the pairwise formulas of Chan, Golub and LeVeque (1979), which stay
 * accurate when the mean is large compared with the spread.
 */
public final class FeatureStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private double weight;
  private double[] mean;
  private double[] squaredDeviations;

  /** Adds the rows (or the valid steps of the sequences) of one block. */
  public FeatureStatistics add(DataBlock block) {
    int width = block.featureWidth();
    if (mean == null) {
      mean = new double[width];
      squaredDeviations = new double[width];
    } else if (mean.length != width) {
      throw new IllegalArgumentException("Block has " + width + " features, earlier blocks "
          + mean.length);
    }
    float[] x = block.features();
    float[] w = block.weights();
    BatchShape shape = block.shape();
    int rows = shape.rows();
    boolean weightPerColumn = block.targetColumns() == shape.columns();
    // Every valid column (a row, or a step of a sequence) counts with its row's weight.
    for (int col = 0, columns = shape.columns(); col < columns; col++) {
      int j = col % rows;
      if (!shape.isValid(col / rows, j)) {
        continue;
      }
      double rowWeight = weightPerColumn ? w[col] : w[j];
      if (rowWeight <= 0) {
        continue;
      }
      weight += rowWeight;
      double share = rowWeight / weight;
      int base = col * width;
      for (int i = 0; i < width; i++) {
        double deviation = x[base + i] - mean[i];
        mean[i] += share * deviation;
        squaredDeviations[i] += rowWeight * deviation * (x[base + i] - mean[i]);
      }
    }
    return this;
  }

  public FeatureStatistics merge(FeatureStatistics other) {
    if (other.mean == null || other.weight == 0) {
      return this;
    }
    if (mean == null || weight == 0) {
      weight = other.weight;
      mean = other.mean.clone();
      squaredDeviations = other.squaredDeviations.clone();
      return this;
    }
    double total = weight + other.weight;
    for (int i = 0; i < mean.length; i++) {
      double deviation = other.mean[i] - mean[i];
      squaredDeviations[i] += other.squaredDeviations[i]
          + deviation * deviation * weight * other.weight / total;
      mean[i] += deviation * other.weight / total;
    }
    weight = total;
    return this;
  }

  /** Weighted mean of each feature (empty if no weighted row was seen). */
  public double[] mean() {
    return mean == null ? new double[0] : mean.clone();
  }

  /** Weighted population standard deviation of each feature. */
  public double[] stdDev() {
    if (mean == null) {
      return new double[0];
    }
    double[] std = new double[mean.length];
    for (int i = 0; i < std.length; i++) {
      std[i] = weight > 0 ? Math.sqrt(Math.max(0, squaredDeviations[i] / weight)) : 0;
    }
    return std;
  }
}
