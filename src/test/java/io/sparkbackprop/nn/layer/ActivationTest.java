package io.sparkbackprop.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Activation formulas and slopes against independent double-precision references. */
class ActivationTest {
  private static final double[] Z =
      {-80, -30, -5, -2, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 2, 5, 30, 80};

  /** The textbook definition of each function, written independently of the engine. */
  private static DoubleUnaryOperator reference(Activation activation) {
    switch (activation) {
      case IDENTITY:
        return z -> z;
      case SIGMOID:
        return z -> 1 / (1 + Math.exp(-z));
      case TANH:
        return Math::tanh;
      case RELU:
        return z -> z > 0 ? z : 0;
      case LEAKY_RELU:
        return z -> z > 0 ? z : 0.01 * z;
      case ELU:
        return z -> z > 0 ? z : Math.exp(z) - 1;
      case GELU:
        return z -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
      default:
        throw new AssertionError(activation);
    }
  }

  private static float[] forward(Activation activation, double... z) {
    float[] in = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      in[i] = (float) z[i];
    }
    float[] out = new float[z.length];
    activation.forward(in, out, z.length);
    return out;
  }

  /** f'(z) by the engine: the derivative applied to an upstream gradient of 1. */
  private static float[] slope(Activation activation, double... z) {
    float[] in = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      in[i] = (float) z[i];
    }
    float[] a = forward(activation, z);
    float[] grad = new float[z.length];
    java.util.Arrays.fill(grad, 1f);
    activation.derivative(in, a, grad, z.length);
    return grad;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void forwardMatchesTheDoublePrecisionDefinition(Activation activation) {
    DoubleUnaryOperator f = reference(activation);
    float[] out = forward(activation, Z);
    for (int i = 0; i < Z.length; i++) {
      double expected = f.applyAsDouble((float) Z[i]);
      assertEquals(expected, out[i], 2e-7 * Math.abs(expected) + 1e-30, activation + " at " + Z[i]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void slopeMatchesTheDerivativeOfTheDefinition(Activation activation) {
    DoubleUnaryOperator f = reference(activation);
    float[] slopes = slope(activation, Z);
    for (int i = 0; i < Z.length; i++) {
      double z = (float) Z[i];
      boolean kinked = activation == Activation.RELU || activation == Activation.LEAKY_RELU;
      if (kinked && Math.abs(z) < 1e-2) {
        // At the kink a central difference is meaningless; the one-sided slopes are checked below.
        continue;
      }
      double h = 1e-6 * Math.max(1, Math.abs(z));
      double expected = (f.applyAsDouble(z + h) - f.applyAsDouble(z - h)) / (2 * h);
      // Sigmoid and tanh take their slope from the float32 output (a (1 - a), 1 - a^2), which
      // cancels when saturated: allow two ulps of 1 absolutely on top of 1e-5 relatively.
      assertEquals(expected, slopes[i], 1e-5 * Math.abs(expected) + 2.4e-7,
          activation + " at " + z);
    }
  }

  @Test
  void kinkedSlopesAreOneSided() {
    assertArrayEquals(new float[] {0f, 0f, 1f}, slope(Activation.RELU, -1e-3, 0, 1e-3));
    assertArrayEquals(new float[] {0.01f, 0.01f, 1f}, slope(Activation.LEAKY_RELU, -1e-3, 0, 1e-3));
    // ELU with alpha 1 is continuously differentiable: slope 1 on both sides of zero.
    float[] elu = slope(Activation.ELU, -1e-6, 0, 1e-6);
    assertArrayEquals(new float[] {1f, 1f, 1f}, elu, 1e-5f);
  }

  @Test
  void geluMatchesPublishedValuesOfItsTanhForm() {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), evaluated to double precision.
    float[] out = forward(Activation.GELU, -3, -1, -0.5, 0.5, 1, 2);
    double[] expected = {-0.0036373920817729943, -0.15880800939172324, -0.15428599017485606,
        0.34571400982514394, 0.8411919906082768, 1.954597694087775};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], out[i], 1e-6 * Math.abs(expected[i]), "at index " + i);
    }
    // Close to, but measurably not, the exact erf form (0.8413447 at 1): it is the tanh form.
    assertTrue(Math.abs(out[4] - 0.8413447460685429) > 1e-4);
  }

  @Test
  void eluAndSigmoidKnownValues() {
    float[] elu = forward(Activation.ELU, -1, -5, 2);
    assertEquals(-0.6321205588285577, elu[0], 1e-7);
    assertEquals(-0.9932620530009145, elu[1], 1e-7);
    assertEquals(2f, elu[2]);
    float[] sigmoid = forward(Activation.SIGMOID, 3, -80, 80, 0);
    assertEquals(0.9525741268224334, sigmoid[0], 1e-7);
    assertEquals(1.8048513878454153e-35, sigmoid[1], 1e-41);
    assertEquals(1f, sigmoid[2]);
    assertEquals(0.5f, sigmoid[3]);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void extremeInputsGiveFiniteValuesAndSlopes(Activation activation) {
    double[] extreme = {-1e4, -1000, -100, 100, 1000, 1e4};
    float[] out = forward(activation, extreme);
    float[] slopes = slope(activation, extreme);
    for (int i = 0; i < extreme.length; i++) {
      assertTrue(Float.isFinite(out[i]), activation + " value at " + extreme[i] + ": " + out[i]);
      assertTrue(Float.isFinite(slopes[i]), activation + " slope at " + extreme[i] + ": " + slopes[i]);
    }
    if (activation == Activation.SIGMOID) {
      assertArrayEquals(new float[] {0f, 0f, 0f, 1f, 1f, 1f}, out, 1e-30f);
    }
  }

  @Test
  void forwardWorksInPlaceAndOnlyOnTheFirstLenEntries() {
    for (Activation activation : Activation.values()) {
      float[] z = {-1.5f, 0.5f, 2f, 7f};
      float[] expected = forward(activation, -1.5, 0.5, 2);
      activation.forward(z, z, 3);
      assertArrayEquals(expected, java.util.Arrays.copyOf(z, 3), activation.toString());
      assertEquals(7f, z[3], activation + " wrote past len");
    }
  }

  @Test
  void heInitialisationIsPreferredByTheReluFamilyOnly() {
    for (Activation activation : Activation.values()) {
      boolean reluFamily = activation == Activation.RELU || activation == Activation.LEAKY_RELU
          || activation == Activation.ELU || activation == Activation.GELU;
      assertEquals(reluFamily, activation.prefersHeInit(), activation.toString());
    }
  }

  @Test
  void paramNamesRoundTripCaseInsensitively() {
    for (Activation activation : Activation.values()) {
      assertSame(activation, Activation.fromParamName(activation.paramName()));
      assertSame(activation, Activation.fromParamName(activation.paramName().toUpperCase()));
    }
    assertSame(Activation.LEAKY_RELU, Activation.fromParamName("leakyrelu"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Activation.fromParamName("swish"));
    assertTrue(e.getMessage().contains("swish") && e.getMessage().contains("leakyRelu"),
        e.getMessage());
    assertEquals(Activation.values().length, Activation.paramNames().length);
    assertFalse(java.util.Arrays.asList(Activation.paramNames()).contains(null));
  }
}
