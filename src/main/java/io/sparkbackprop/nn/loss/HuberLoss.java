package io.sparkbackprop.nn.loss;

/**
 * Huber loss per output (Huber 1964): quadratic {@code 0.5 r^2} for residuals up to the threshold,
 * linear {@code threshold (|r| - threshold / 2)} beyond, so outliers pull with bounded force. The
 * residual is taken in standardised target units (see {@link TargetScaling}), so the threshold is in
 * standard deviations of the label.
 */
public final class HuberLoss implements Loss {
  private static final long serialVersionUID = 1L;

  private final double threshold;
  private final TargetScaling scaling;

  public HuberLoss(double threshold) {
    this(threshold, TargetScaling.NONE);
  }

  public HuberLoss(double threshold, TargetScaling scaling) {
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("Huber threshold must be positive and finite, got " + threshold);
    }
    this.threshold = threshold;
    this.scaling = scaling;
  }

  public double threshold() {
    return threshold;
  }

  public TargetScaling scaling() {
    return scaling;
  }

  @Override
  public int targetWidth(int outputWidth) {
    return outputWidth;
  }

  @Override
  public double lossAndDelta(float[] output, int width, float[] targets, float[] weights, int rows,
      float[] delta) {
    float center = (float) scaling.center();
    float inverseScale = (float) (1.0 / scaling.scale());
    float threshold = (float) this.threshold;
    double total = 0;
    for (int j = 0; j < rows; j++) {
      float w = weights[j];
      double rowLoss = 0;
      for (int i = j * width, end = i + width; i < end; i++) {
        float r = output[i] - (targets[i] - center) * inverseScale;
        float abs = Math.abs(r);
        if (abs <= threshold) {
          rowLoss += 0.5 * r * r;
          delta[i] = w * r;
        } else {
          rowLoss += threshold * (abs - 0.5 * threshold);
          delta[i] = w * Math.copySign(threshold, r);
        }
      }
      total += w * rowLoss;
    }
    return total;
  }

  @Override
  public void transformOutput(float[] output, int width, int rows) {
    scaling.unscale(output, width * rows);
  }
}
