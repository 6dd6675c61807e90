package io.sparkbackprop.nn.loss;

/**
 * Half the squared error, {@code 0.5 * sum_i (o_i - t'_i)^2} per row, so its gradient is simply
 * {@code o - t'}. Targets are standardised on the fly, {@code t' = (t - center) / scale}, so the
 * network learns values of order one whatever the label's units; {@link #transformOutput} maps
 * outputs back to label units.
 */
public final class SquaredError implements Loss {
  private static final long serialVersionUID = 1L;

  private final TargetScaling scaling;

  /** Squared error on unscaled targets. */
  public SquaredError() {
    this(TargetScaling.NONE);
  }

  public SquaredError(TargetScaling scaling) {
    this.scaling = scaling;
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
    double total = 0;
    for (int j = 0; j < rows; j++) {
      float w = weights[j];
      double rowLoss = 0;
      for (int i = j * width, end = i + width; i < end; i++) {
        float diff = output[i] - (targets[i] - center) * inverseScale;
        rowLoss += (double) diff * diff;
        delta[i] = w * diff;
      }
      total += 0.5 * w * rowLoss;
    }
    return total;
  }

  @Override
  public void transformOutput(float[] output, int width, int rows) {
    scaling.unscale(output, width * rows);
  }
}
