package io.sparkbackprop.nn.explain;

import java.util.Arrays;
import java.util.Locale;

/** How an attribution is computed from input gradients. */
public enum AttributionMethod {
  /**
   * The gradient of the explained output at the input (Simonyan et al. 2014), signed: how fast the
   * output moves per unit of each feature. Cheapest (one backward pass); local, and small where
   * the output saturates.
   */
  SALIENCY("saliency"),
  /** Gradient times the feature value (Shrikumar et al. 2016); depends on where 0 lies. */
  GRADIENT_TIMES_INPUT("gradientTimesInput"),
  /**
   * {@code (x - baseline)} times the gradient averaged along the straight line from the baseline
   * to {@code x} (Sundararajan et al. 2017), by the midpoint rule with {@code steps} points. The
   * attributions of a row sum to {@code f(x) - f(baseline)} (completeness) up to the quadrature
   * error.
   */
  INTEGRATED_GRADIENTS("integratedGradients"),
  /**
   * The gradient averaged over {@code samples} copies of the input with Gaussian noise added
   * (Smilkov et al. 2017): a saliency map with the local jitter averaged out.
   */
  SMOOTH_GRAD("smoothGrad");

  private final String paramName;

  AttributionMethod(String paramName) {
    this.paramName = paramName;
  }

  /** The name used by the Spark param. */
  public String paramName() {
    return paramName;
  }

  public static String[] paramNames() {
    return Arrays.stream(values()).map(AttributionMethod::paramName).toArray(String[]::new);
  }

  /** The method named {@code name} (case-insensitive). */
  public static AttributionMethod fromParamName(String name) {
    for (AttributionMethod m : values()) {
      if (m.paramName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown attribution method '" + name + "'; use one of "
        + String.join(", ", paramNames()));
  }
}
