package io.sparkbackprop.nn.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.nn.layer.Activation;
import org.junit.jupiter.api.Test;

/** The branch-free test behind the ReLU-family derivatives: z > 0 exactly as the comparison. */
class ScalarMathTest {
  @Test
  void positiveMaskAgreesWithTheComparisonOnEdgeValues() {
    float[] values = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f,
        1f, -1f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};
    for (float z : values) {
      assertEquals(z > 0f ? -1 : 0, ScalarMath.positiveMask(z), "z = " + z);
    }
  }

  @Test
  void reluFamilyDerivativesAtExactZeroUseTheLeftSlope() {
    float[] z = {0f, -0f, 2f, -2f};
    for (Activation activation : new Activation[] {Activation.RELU, Activation.LEAKY_RELU,
        Activation.ELU}) {
      float[] a = new float[z.length];
      activation.forward(z, a, z.length);
      float[] grad = {1f, 1f, 1f, 1f};
      activation.derivative(z, a, grad, z.length);
      float left = activation == Activation.RELU ? 0f
          : activation == Activation.LEAKY_RELU ? Activation.LEAKY_SLOPE : 1f;
      assertEquals(left, grad[0], 0f, activation + " at +0");
      assertEquals(left, grad[1], 0f, activation + " at -0");
      assertEquals(1f, grad[2], 0f, activation + " at 2");
      assertEquals(activation == Activation.RELU ? 0f
          : activation == Activation.LEAKY_RELU ? Activation.LEAKY_SLOPE
          : (float) Math.exp(-2), grad[3], 1e-7f, activation + " at -2");
    }
  }
}
