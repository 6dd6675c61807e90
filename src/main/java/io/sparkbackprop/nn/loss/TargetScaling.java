package io.sparkbackprop.nn.loss;

import java.io.Serializable;

/**
 * An affine map between label units and the units the network is trained in:
 * {@code trained = (label - center) / scale}. Regression losses use it so that a label measured in
 * thousands trains as easily as one of order one.
 */
public record TargetScaling(double center, double scale) implements Serializable {
  /** The identity map. */
  public static final TargetScaling NONE = new TargetScaling(0, 1);

  public TargetScaling {
    if (!Double.isFinite(center) || !(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "Target scaling needs a finite center and a positive finite scale, got " + center + ", " + scale);
    }
  }

  /** Scaling from a label's mean and standard deviation; a constant label gets scale 1. */
  public static TargetScaling standardizing(double mean, double stdDev) {
    return new TargetScaling(mean, stdDev > 0 && Double.isFinite(stdDev) ? stdDev : 1.0);
  }

  /** Maps the first {@code len} trained-unit values back to label units, in place. */
  public void unscale(float[] values, int len) {
    if (center == 0 && scale == 1) {
      return;
    }
    for (int i = 0; i < len; i++) {
      values[i] = (float) (values[i] * scale + center);
    }
  }
}
