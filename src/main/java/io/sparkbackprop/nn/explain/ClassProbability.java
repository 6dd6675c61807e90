package io.sparkbackprop.nn.explain;

/**
 * The softmax probability of one class. The class is fixed ({@code targetClass >= 0}) or the one
 * the model predicts for the row, by Spark's rule: the largest {@code probability / threshold}
 * (the largest probability without thresholds).
 *
 * <p>Probabilities rather than logits: a softmax is unchanged when the same amount is added to every
 * logit, so a logit's gradient is not determined by what the model predicts, while a probability
 * is; attributions of a probability are in probability units, comparable across rows, classes and
 * models, and integrated gradients make a row's attributions add up to {@code p(x) - p(baseline)}.
 */
public final class ClassProbability implements ExplainedOutput {
  private static final long serialVersionUID = 1L;

  private final int targetClass;
  private final double[] thresholds;

  /**
   * @param targetClass the class explained for every row, or -1 for each row's predicted class
   * @param thresholds Spark's {@code thresholds} (one per class) to predict with, or null
   */
  public ClassProbability(int targetClass, double[] thresholds) {
    if (targetClass < -1) {
      throw new IllegalArgumentException("targetClass must be >= 0, or -1 for the predicted class; "
          + "got " + targetClass);
    }
    this.targetClass = targetClass;
    this.thresholds = thresholds == null ? null : thresholds.clone();
  }

  @Override
  public int choose(float[] outputs, int offset, int width) {
    if (targetClass >= 0) {
      if (targetClass >= width) {
        throw new IllegalArgumentException("targetClass " + targetClass + " is not a class of a "
            + "model with " + width + " classes");
      }
      return targetClass;
    }
    if (thresholds != null && thresholds.length != width) {
      throw new IllegalArgumentException("thresholds has " + thresholds.length
          + " entries but the model has " + width + " classes");
    }
    double[] p = softmax(outputs, offset, width);
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < width; c++) {
      double score = thresholds == null ? p[c] : p[c] / thresholds[c];
      if (score > max) {
        max = score;
        best = c;
      }
    }
    return best;
  }

  @Override
  public double value(float[] outputs, int offset, int width, int target) {
    return softmax(outputs, offset, width)[target];
  }

  /** {@code d p_c / d z_k = p_c (1[k = c] - p_k)}. */
  @Override
  public void gradient(float[] outputs, int offset, int width, int target, float[] delta) {
    double[] p = softmax(outputs, offset, width);
    double pc = p[target];
    for (int k = 0; k < width; k++) {
      delta[offset + k] = (float) (pc * ((k == target ? 1 : 0) - p[k]));
    }
  }

  /** Softmax in double of one column, shifted by its maximum. */
  static double[] softmax(float[] outputs, int offset, int width) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < width; k++) {
      max = Math.max(max, outputs[offset + k]);
    }
    double[] p = new double[width];
    double sum = 0;
    for (int k = 0; k < width; k++) {
      p[k] = Math.exp(outputs[offset + k] - max);
      sum += p[k];
    }
    for (int k = 0; k < width; k++) {
      p[k] /= sum;
    }
    return p;
  }
}
