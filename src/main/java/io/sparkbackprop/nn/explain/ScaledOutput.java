package io.sparkbackprop.nn.explain;

/**
 * A regression output in label units: {@code scale * z + center} for the network's raw
 * (standardised) output {@code z}, so attributions are in the units of the prediction.
 */
public final class ScaledOutput implements ExplainedOutput {
  private static final long serialVersionUID = 1L;

  private final double scale;
  private final double center;

  public ScaledOutput(double scale, double center) {
    this.scale = scale;
    this.center = center;
  }

  @Override
  public int choose(float[] outputs, int offset, int width) {
    return 0;
  }

  @Override
  public double value(float[] outputs, int offset, int width, int target) {
    return scale * outputs[offset + target] + center;
  }

  @Override
  public void gradient(float[] outputs, int offset, int width, int target, float[] delta) {
    delta[offset + target] = (float) scale;
  }
}
