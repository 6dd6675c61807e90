package io.sparkbackprop.nn.linalg;

import java.util.Arrays;
import java.util.Random;

/**
 * Run in an interpreted JVM ({@code -Xint}) by {@link VectorMathTest}, and called in the test's own
 * JVM after warm-up: prints a digest of the bits of {@link VectorMath}'s results on fixed inputs.
 */
final class VectorMathProbe {
  private VectorMathProbe() {}

  /** The inputs: seeded normal values of scale 6 (both branches of tanh, deep exp tails). */
  static float[] inputs() {
    Random random = new Random(11);
    float[] z = new float[4096];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (6 * random.nextGaussian());
    }
    return z;
  }

  /** Hash of the bits of sigmoid, tanh, GELU and GELU' over {@link #inputs()}. */
  static int digest() {
    ElementwiseKernels kernels = new VectorElementwiseKernels();
    float[] z = inputs();
    float[] out = new float[z.length * 4];
    float[] a = new float[z.length];
    kernels.sigmoid(z, a, z.length);
    System.arraycopy(a, 0, out, 0, z.length);
    kernels.tanh(z, a, z.length);
    System.arraycopy(a, 0, out, z.length, z.length);
    kernels.gelu(z, a, z.length);
    System.arraycopy(a, 0, out, 2 * z.length, z.length);
    Arrays.fill(a, 1f);
    kernels.geluDerivative(z, a, z.length);
    System.arraycopy(a, 0, out, 3 * z.length, z.length);
    return Arrays.hashCode(out);
  }

  public static void main(String[] args) {
    System.out.println("digest=" + digest());
  }
}
