package io.sparkbackprop.nn.linalg;

/**
 * Scalar versions of the transcendental activation functions: the reference the vectorised loops
 * are tested against, the tails those loops leave, and the path of JVMs without the Vector API.
 */
public final class ScalarMath {
  private static final double GELU_C = Math.sqrt(2 / Math.PI);
  private static final double GELU_A = 0.044715;

  private ScalarMath() {}

  /*
   * The transcendental functions below use only Math.exp (a JIT intrinsic, about 5 ns) in double,
   * which keeps float results within an ulp or two. Math.tanh and Math.expm1 are several times
   * slower, and sigmoid and tanh dominate the cost of non-ReLU layers.
   */

  /** 1 / (1 + e^-z); for very negative z, e^-z overflows to +Infinity and the result is 0, not NaN. */
  public static float sigmoid(float z) {
    return (float) (1 / (1 + Math.exp(-(double) z)));
  }

  /** tanh(z) = 2 sigmoid(2z) - 1; near 0, where that cancels, tanh(z) = z to float precision. */
  public static float tanh(float z) {
    if (Math.abs(z) < 1e-4f) {
      return z;
    }
    return (float) (2 / (1 + Math.exp(-2.0 * z)) - 1);
  }

  /** GELU in the tanh form, as z * sigmoid(2u) with u = sqrt(2/pi) (z + 0.044715 z^3). */
  public static float gelu(float z) {
    double x = z;
    return (float) (x / (1 + Math.exp(-2 * GELU_C * (x + GELU_A * x * x * x))));
  }

  /** GELU'(z) = s + z s (1 - s) 2 sqrt(2/pi) (1 + 3 * 0.044715 z^2), s = sigmoid(2u). */
  public static double geluSlope(float z) {
    double x = z;
    double s = 1 / (1 + Math.exp(-2 * GELU_C * (x + GELU_A * x * x * x)));
    return s + x * s * (1 - s) * 2 * GELU_C * (1 + 3 * GELU_A * x * x);
  }

  /**
   * All ones when {@code z > 0} (neither zero of either sign nor negative), else all zeros: the
   * bits of z minus one stay non-negative only for positive z, and or-ing z back in catches -0.
   */
  public static int positiveMask(float z) {
    int bits = Float.floatToRawIntBits(z);
    return ~(((bits - 1) | bits) >> 31);
  }
}
