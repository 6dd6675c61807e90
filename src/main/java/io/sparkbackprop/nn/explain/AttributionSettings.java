package io.sparkbackprop.nn.explain;

import java.io.Serializable;

/**
 * What an {@link InputAttribution} computes.
 *
 * @param baseline integrated gradients' starting point, one value per input feature (applied to
 *     every step of a sequence); ignored by the other methods
 * @param steps points of the midpoint rule along the integration path (integrated gradients)
 * @param noiseScale standard deviation of SmoothGrad's Gaussian noise per input feature, in the
 *     feature's raw units; ignored by the other methods
 * @param samples noisy copies averaged by SmoothGrad
 * @param seed seeds SmoothGrad's noise (mixed with each row's values, so a row gets the same noise
 *     wherever it lands)
 */
public record AttributionSettings(AttributionMethod method, double[] baseline, int steps,
    double[] noiseScale, int samples, long seed) implements Serializable {

  public AttributionSettings {
    if (method == null) {
      throw new IllegalArgumentException("An attribution method is required");
    }
    if (method == AttributionMethod.INTEGRATED_GRADIENTS) {
      if (baseline == null) {
        throw new IllegalArgumentException("Integrated gradients need a baseline");
      }
      if (steps < 1) {
        throw new IllegalArgumentException("Integrated gradients need steps >= 1, got " + steps);
      }
      checkFinite("baseline", baseline);
    }
    if (method == AttributionMethod.SMOOTH_GRAD) {
      if (noiseScale == null) {
        throw new IllegalArgumentException("SmoothGrad needs a noise scale per feature");
      }
      if (samples < 1) {
        throw new IllegalArgumentException("SmoothGrad needs samples >= 1, got " + samples);
      }
      checkFinite("noiseScale", noiseScale);
      for (double s : noiseScale) {
        if (s < 0) {
          throw new IllegalArgumentException("noiseScale must be >= 0, got " + s);
        }
      }
    }
    baseline = baseline == null ? null : baseline.clone();
    noiseScale = noiseScale == null ? null : noiseScale.clone();
  }

  /** Plain saliency or gradient times input. */
  public static AttributionSettings of(AttributionMethod method) {
    return new AttributionSettings(method, null, 0, null, 0, 0);
  }

  public static AttributionSettings integratedGradients(double[] baseline, int steps) {
    return new AttributionSettings(AttributionMethod.INTEGRATED_GRADIENTS, baseline, steps, null,
        0, 0);
  }

  public static AttributionSettings smoothGrad(double[] noiseScale, int samples, long seed) {
    return new AttributionSettings(AttributionMethod.SMOOTH_GRAD, null, 0, noiseScale, samples,
        seed);
  }

  private static void checkFinite(String name, double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " must be finite, got " + v);
      }
    }
  }

  @Override
  public double[] baseline() {
    return baseline == null ? null : baseline.clone();
  }

  @Override
  public double[] noiseScale() {
    return noiseScale == null ? null : noiseScale.clone();
  }
}
