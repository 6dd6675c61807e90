package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.data.FeatureStatistics;
import io.sparkbackprop.nn.linalg.Blas;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Totals over the stacked data (label and feature statistics over the training rows only), computed in the same job that caches the blocks: row and
 * weight counts, the label range and moments (for the class count and target scaling) and the
 * feature moments (for input standardisation).
 */
public final class DataSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private long rows;
  private long validationRows;
  private double validationWeightSum;
  private long blocks;
  private double weightSum;
  private double labelMin = Double.POSITIVE_INFINITY;
  private double labelMax = Double.NEGATIVE_INFINITY;
  // Weighted mean and sum of squared deviations, updated with West's / Chan et al.'s stable formulas.
  private double labelMean;
  private double labelSquaredDeviations;
  private long bytes;
  private int maxSteps;
  private final FeatureStatistics features = new FeatureStatistics();
  private final boolean trackClasses;
  private final double labelOffset;
  private double[] classWeights = new double[0];
  /** What the JVMs that stacked the data chose as BLAS ({@link Blas#description()}). */
  private final java.util.TreeSet<String> blas = new java.util.TreeSet<>();
  private boolean slowBlas;
  /** See {@link #fingerprint()}: a sum over rows that ties each row's label to its features. */
  private double checksum;

  /**
   * @param trackClasses whether labels are class indices whose weighted counts should be kept
   */
  DataSummary(boolean trackClasses) {
    this(trackClasses, 0);
  }

  /**
   * @param labelOffset what the stacker subtracted (in double) from each label before storing it
   *     as float32 (see {@link StackedData#labelOffset()}); the label statistics add it back
   */
  DataSummary(boolean trackClasses, double labelOffset) {
    this.trackClasses = trackClasses;
    this.labelOffset = labelOffset;
  }

  /** Adds one block whose targets are a single label per row (or per step of a sequence). */
  DataSummary add(DataBlock block) {
    if (blocks == 0) {
      // Runs in the task (the executor's JVM), where the GEMMs of training will run too.
      blas.add(Blas.description());
      slowBlas |= Blas.isSlow();
    }
    blocks += 1;
    maxSteps = Math.max(maxSteps, block.shape().steps());
    bytes += block.sizeInBytes();
    float[] targets = block.targets();
    float[] weights = block.weights();
    int width = block.targetWidth();
    checksum += checksum(block);
    if (block.isValidation()) {
      validationRows += block.rows();
      validationWeightSum += block.weightSum();
      // Validation labels count for the label range (the class count), not for its moments.
      for (int j = 0; j < block.targetColumns(); j++) {
        if (weights[j] > 0) {
          labelMin = Math.min(labelMin, targets[j * width]);
          labelMax = Math.max(labelMax, targets[j * width]);
        }
      }
      return this;
    }
    rows += block.rows();
    features.add(block);
    double seen = weightSum;
    weightSum += block.weightSum();
    for (int j = 0; j < block.targetColumns(); j++) {
      double label = targets[j * width];
      double w = weights[j];
      if (w > 0) {
        // Rows of weight 0 take no part in training, so they neither add classes nor move moments.
        labelMin = Math.min(labelMin, label);
        labelMax = Math.max(labelMax, label);
        if (trackClasses) {
          addClassWeight((int) label, w);
        }
        seen += w;
        double deviation = label - labelMean;
        labelMean += w * deviation / seen;
        labelSquaredDeviations += w * deviation * (label - labelMean);
      }
    }
    return this;
  }

  /**
   * Per target column: weight x (label + 1.5) x (1 + 1 / (1 + s^2)), s a weighted sum of the
   * column's features (validation blocks with their flag). Every term is positive, so the sum has
   * no cancellation and the same rows give the same leading digits in any partition order; a row
   * whose label or features change changes it.
   */
  private static double checksum(DataBlock block) {
    float[] features = block.features();
    float[] targets = block.targets();
    float[] weights = block.weights();
    int width = block.featureWidth();
    int columns = Math.min(block.targetColumns(), block.shape().columns());
    double sum = 0;
    for (int j = 0; j < columns; j++) {
      double s = 0;
      int base = j * width;
      for (int i = 0; i < width; i++) {
        s += features[base + i] * (1 + (i % 7) * 0.125);
      }
      sum += weights[j] * (targets[j * block.targetWidth()] + 1.5) * (1 + 1 / (1 + s * s));
    }
    return block.isValidation() ? 3 * sum : sum;
  }

  private void addClassWeight(int label, double w) {
    if (label >= classWeights.length) {
      classWeights = Arrays.copyOf(classWeights, Math.max(label + 1, 2 * classWeights.length));
    }
    classWeights[label] += w;
  }

  DataSummary merge(DataSummary other) {
    for (int c = 0; c < other.classWeights.length; c++) {
      if (other.classWeights[c] != 0) {
        addClassWeight(c, other.classWeights[c]);
      }
    }
    double total = weightSum + other.weightSum;
    if (total > 0) {
      double deviation = other.labelMean - labelMean;
      labelSquaredDeviations += other.labelSquaredDeviations
          + deviation * deviation * weightSum * other.weightSum / total;
      labelMean += deviation * other.weightSum / total;
    }
    blas.addAll(other.blas);
    slowBlas |= other.slowBlas;
    checksum += other.checksum;
    rows += other.rows;
    validationRows += other.validationRows;
    validationWeightSum += other.validationWeightSum;
    blocks += other.blocks;
    weightSum = total;
    bytes += other.bytes;
    maxSteps = Math.max(maxSteps, other.maxSteps);
    features.merge(other.features);
    labelMin = Math.min(labelMin, other.labelMin);
    labelMax = Math.max(labelMax, other.labelMax);
    return this;
  }

  /**
   * Identifies the data for a resumed fit: row counts and a checksum that ties labels to features,
   * to nine digits (the same rows summed in another order agree). A fit that resumes a saved model
   * on data with another fingerprint is a warm start on other rows, and early stopping starts
   * afresh there.
   */
  public String fingerprint() {
    return String.format(java.util.Locale.ROOT, "%d rows, %d validation rows, checksum %.9g",
        rows, validationRows, checksum);
  }

  /** Training rows (validation rows excluded). */
  public long rows() {
    return rows;
  }

  /** Rows held out for validation. */
  public long validationRows() {
    return validationRows;
  }

  public double validationWeightSum() {
    return validationWeightSum;
  }

  public long blocks() {
    return blocks;
  }

  public double weightSum() {
    return weightSum;
  }

  /** Smallest label among rows of positive weight, training and validation. */
  public double labelMin() {
    return labelOffset + labelMin;
  }

  /** Largest label among rows of positive weight, training and validation. */
  public double labelMax() {
    return labelOffset + labelMax;
  }

  /** Weighted mean of the label. */
  public double labelMean() {
    return labelOffset + labelMean;
  }

  /** Weighted population standard deviation of the label. */
  public double labelStdDev() {
    return weightSum > 0 ? Math.sqrt(labelSquaredDeviations / weightSum) : 0;
  }

  /**
   * Total instance weight of each class among the training rows, indexed by label; entries past the
   * largest label seen are zero or absent.
   */
  public double[] classWeights(int numClasses) {
    return Arrays.copyOf(classWeights, numClasses);
  }

  /** Weighted per-feature mean and spread. */
  public FeatureStatistics features() {
    return features;
  }

  /** The most steps any block's sequences have (1 for rows). */
  public int maxSteps() {
    return maxSteps;
  }

  /** The BLAS choices of the executors that stacked the blocks (each with its reason). */
  public java.util.Set<String> executorBlas() {
    return java.util.Collections.unmodifiableSet(blas);
  }

  /** Whether some executor runs a slow BLAS path ({@link Blas#isSlow()}). */
  public boolean executorBlasIsSlow() {
    return slowBlas;
  }

  /** Bytes held by the cached block arrays. */
  public long bytes() {
    return bytes;
  }
}
