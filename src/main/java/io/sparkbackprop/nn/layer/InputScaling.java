package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.FeatureStatistics;
import io.sparkbackprop.nn.linalg.FloatArrays;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-feature standardisation applied on the fly as blocks enter the network:
 * {@code x' = (x - center) / scale}. Stored data stays as the user gave it (so a future sparse block
 * format keeps its sparsity), and the fitted model carries the scaling, so predictions need no
 * separate scaler. A feature with zero spread gets scale 0 in {@link #standardizing}, i.e. it is
 * ignored, as Spark's StandardScaler does.
 */
public final class InputScaling implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] center;
  private final double[] scale;
  private final float[] floatCenter;
  private final float[] multiplier;

  /**
   * @param center subtracted from each feature
   * @param scale each centered feature is divided by it; 0 means "drop the feature" (multiply by 0)
   */
  public InputScaling(double[] center, double[] scale) {
    if (center.length != scale.length) {
      throw new IllegalArgumentException("Scaling center has " + center.length + " entries, scale "
          + scale.length);
    }
    for (int i = 0; i < center.length; i++) {
      if (!Double.isFinite(center[i]) || !Double.isFinite(scale[i]) || scale[i] < 0) {
        throw new IllegalArgumentException("Invalid scaling for feature " + i + ": center "
            + center[i] + ", scale " + scale[i]);
      }
    }
    this.center = center.clone();
    this.scale = scale.clone();
    this.floatCenter = FloatArrays.fromDoubles(center);
    this.multiplier = new float[scale.length];
    for (int i = 0; i < scale.length; i++) {
      multiplier[i] = scale[i] > 0 ? (float) (1.0 / scale[i]) : 0f;
    }
  }

  /** Centers on the mean and divides by the standard deviation. */
  public static InputScaling standardizing(FeatureStatistics statistics) {
    return new InputScaling(statistics.mean(), statistics.stdDev());
  }

  public int width() {
    return center.length;
  }

  public double[] center() {
    return center.clone();
  }

  public double[] scale() {
    return scale.clone();
  }

  /** Writes the scaled version of {@code rows} columns of {@code input} into {@code output}. */
  public void apply(float[] input, int rows, float[] output) {
    int width = center.length;
    for (int j = 0; j < rows; j++) {
      int base = j * width;
      for (int i = 0; i < width; i++) {
        output[base + i] = (input[base + i] - floatCenter[i]) * multiplier[i];
      }
    }
  }

  /**
   * The chain rule through the scaling: writes {@code delta * d(x')/dx} (the multiplier of each
   * feature) for {@code rows} columns, turning a gradient with respect to the scaled input into
   * one with respect to the raw input.
   */
  public void applyDerivative(float[] delta, int rows, float[] output) {
    int width = center.length;
    for (int j = 0; j < rows; j++) {
      int base = j * width;
      for (int i = 0; i < width; i++) {
        output[base + i] = delta[base + i] * multiplier[i];
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputScaling s && Arrays.equals(center, s.center)
        && Arrays.equals(scale, s.scale);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(center) * 31 + Arrays.hashCode(scale);
  }
}
