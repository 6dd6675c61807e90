package io.sparkbackprop.nn.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vectorised loops against the scalar ones. The bias loops and the ReLU derivative must agree
 * exactly (same operations in the same order). Sigmoid, tanh and GELU are compared with
 * {@link Activation}'s double-precision scalar functions on random values, on the extremes where a
 * naive formula gives NaN, and on lengths that leave a scalar tail: within 4e-7 relative (a few
 * float ulps) plus 1e-9 absolute (a hundredth of an ulp at 1) for results near 0, where GELU's
 * exponent argument, evaluated in float, costs relative accuracy no network notices. A wrong
 * formula or a lost tail errs by far more.
 */
class VectorElementwiseKernelsTest {
  private static final ElementwiseKernels VECTOR = new VectorElementwiseKernels();
  /**
   * GELU's exponent argument 2u is a float polynomial whose rounding (a few ulps of |2u|) becomes
   * relative error of e^-2u: 1e-5 covers |2u| up to ~40, beyond which the results are below 1e-9.
   */
  private static final double GELU_RELATIVE = 1e-5;
  private static final int[] LENGTHS = {0, 1, 3, 15, 16, 17, 31, 33, 100, 1000};
  private static final float[] EXTREMES = {0f, -0f, 1e-8f, -1e-8f, 1e-4f, -1e-4f, 0.5f, -0.5f, 5f,
      -5f, 9.9f, -9.9f, 10f, -10f, 10.1f, -10.1f, 20f, -20f, 88f, -88f, 89f, -89f, 100f, -100f,
      1e10f, -1e10f, 1e20f, -1e20f, Float.MAX_VALUE, -Float.MAX_VALUE};

  @Test
  void isChosenExactlyWhenTheVectorModuleCompiles() {
    // The build runs the tests with --add-modules=jdk.incubator.vector (surefire's argLine); a test
    // JVM without it would check nothing here, so that is a failure too.
    assertTrue(Blas.vectorModulePresent(),
        "the tests must run with --add-modules=jdk.incubator.vector");
    boolean fast = Blas.vectorApiCompiles();
    assertEquals(fast, ElementwiseKernels.VECTORISED != null, "VECTORISED");
    assertEquals(fast, ElementwiseKernels.vectorisedOrNull() != null, "vectorisedOrNull()");
  }

  @Test
  void sigmoidMatchesScalar() {
    for (float[] z : inputs()) {
      float[] a = new float[z.length];
      VECTOR.sigmoid(z, a, z.length);
      for (int i = 0; i < z.length; i++) {
        assertClose(1 / (1 + Math.exp(-(double) z[i])), a[i], "sigmoid", z[i]);
      }
    }
  }

  @Test
  void tanhMatchesScalar() {
    for (float[] z : inputs()) {
      float[] a = new float[z.length];
      VECTOR.tanh(z, a, z.length);
      for (int i = 0; i < z.length; i++) {
        assertClose(Math.tanh(z[i]), a[i], "tanh", z[i]);
      }
    }
  }

  @Test
  void geluAndItsSlopeMatchScalar() {
    for (float[] z : inputs()) {
      float[] a = new float[z.length];
      float[] grad = new float[z.length];
      Random random = new Random(z.length);
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) random.nextGaussian();
      }
      float[] upstream = grad.clone();
      VECTOR.gelu(z, a, z.length);
      VECTOR.geluDerivative(z, grad, z.length);
      for (int i = 0; i < z.length; i++) {
        assertClose(ScalarMath.gelu(z[i]), a[i], "gelu", z[i], GELU_RELATIVE);
        // The slope is a sum of two terms that cancel for z near -3: compare to their size.
        double scale = Math.abs(upstream[i]) * geluSlopeTermsMagnitude(z[i]);
        double expected = upstream[i] * ScalarMath.geluSlope(z[i]);
        double error = Math.abs(expected - grad[i]);
        int at = i;
        assertTrue(error <= GELU_RELATIVE * scale + 1e-9, () -> "gelu slope(" + z[at] + "): expected "
            + expected + ", got " + grad[at]);
      }
    }
  }

  @Test
  void writesOnlyTheFirstLenEntriesAndWorksInPlace() {
    float[] z = {1f, -2f, 3f, -4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f};
    float[] a = new float[z.length];
    a[17] = 42f;
    VECTOR.sigmoid(z, a, 17);
    assertEquals(42f, a[17]);
    float[] inPlace = z.clone();
    VECTOR.tanh(inPlace, inPlace, inPlace.length);
    for (int i = 0; i < z.length; i++) {
      assertClose(Math.tanh(z[i]), inPlace[i], "tanh in place", z[i]);
    }
  }

  /** |s| + |z s (1 - s) 2c (1 + 3a z^2)|: the magnitude of the two terms of GELU's slope. */
  private static double geluSlopeTermsMagnitude(float z) {
    double c = Math.sqrt(2 / Math.PI);
    double s = 1 / (1 + Math.exp(-2 * c * (z + 0.044715 * z * z * z)));
    return s + Math.abs(z * s * (1 - s) * 2 * c * (1 + 3 * 0.044715 * z * z));
  }

  @Test
  void reluDerivativeMatchesTheScalarMaskExactly() {
    for (float[] z : inputs()) {
      float[] grad = new float[z.length];
      Random random = new Random(z.length + 1);
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) random.nextGaussian();
      }
      float[] expected = grad.clone();
      for (int i = 0; i < z.length; i++) {
        expected[i] = Float.intBitsToFloat(
            Float.floatToRawIntBits(expected[i]) & ScalarMath.positiveMask(z[i]));
      }
      VECTOR.reluDerivative(z, grad, z.length);
      for (int i = 0; i < z.length; i++) {
        assertEquals(expected[i], grad[i], "relu'(" + z[i] + ")");
      }
    }
  }

  @Test
  void biasAddAndBiasGradientMatchScalarLoopsExactly() {
    Random random = new Random(3);
    for (int m : new int[] {1, 10, 16, 17, 64, 100, 128}) {
      for (int rows : new int[] {1, 3, 128}) {
        float[] z = new float[m * rows + 5];
        float[] bias = new float[m + 7];
        for (int i = 0; i < z.length; i++) {
          z[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < bias.length; i++) {
          bias[i] = (float) random.nextGaussian();
        }
        float[] expected = z.clone();
        // The sums are added to what the output holds (42 here), after its offset (9).
        float[] expectedSums = new float[m + 9];
        Arrays.fill(expectedSums, 9, m + 9, 42f);
        for (int j = 0; j < rows; j++) {
          for (int i = 0; i < m; i++) {
            expected[j * m + i] += bias[7 + i];
            expectedSums[9 + i] += z[j * m + i];
          }
        }
        float[] sums = new float[m + 9];
        Arrays.fill(sums, 9, m + 9, 42f);
        VECTOR.addColumnSums(z, m, rows, sums, 9);
        VECTOR.addBias(z, m, rows, bias, 7);
        String shape = m + " x " + rows;
        assertArrayEquals(expected, z, "bias add " + shape);
        assertArrayEquals(expectedSums, sums, "sums " + shape);
      }
    }
  }

  @Test
  void widenedAddMatchesTheScalarLoopExactly() {
    Random random = new Random(11);
    for (float[] values : inputs()) {
      for (int len : new int[] {0, values.length / 2, values.length}) {
        double[] sum = new double[values.length + 1];
        for (int i = 0; i < sum.length; i++) {
          sum[i] = random.nextGaussian() * 1e3;
        }
        double[] expected = sum.clone();
        for (int i = 0; i < len; i++) {
          expected[i] += values[i];
        }
        double[] fallback = sum.clone();
        VECTOR.addWidened(values, sum, len);
        assertArrayEquals(expected, sum, "length " + values.length + ", len " + len);
        ElementwiseKernels.addWidened(null, values, fallback, len);
        assertArrayEquals(expected, fallback, "scalar fallback, len " + len);
      }
    }
  }

  /** Random normal values (scale 4) at every length, then the extremes. */
  private static float[][] inputs() {
    float[][] all = new float[LENGTHS.length + 1][];
    Random random = new Random(7);
    for (int l = 0; l < LENGTHS.length; l++) {
      all[l] = new float[LENGTHS[l]];
      for (int i = 0; i < LENGTHS[l]; i++) {
        all[l][i] = (float) (4 * random.nextGaussian());
      }
    }
    all[LENGTHS.length] = EXTREMES;
    return all;
  }

  private static void assertClose(double expected, float actual, String what, float z) {
    assertClose(expected, actual, what, z, 4e-7);
  }

  private static void assertClose(double expected, float actual, String what, float z,
      double relative) {
    double tolerance = relative * Math.abs(expected) + 1e-9;
    assertTrue(Math.abs(expected - actual) <= tolerance,
        () -> what + "(" + z + "): expected " + expected + ", got " + actual);
  }
}
