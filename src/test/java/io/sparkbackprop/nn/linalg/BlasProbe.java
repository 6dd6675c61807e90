package io.sparkbackprop.nn.linalg;

import java.util.Arrays;

/**
 * Run in a separate JVM by {@link VectorGemmTest}: prints the implementation {@link Blas} chose and
 * the product of {@code [1 2; 3 4]} with itself (column-major), or the failure to choose one.
 */
final class BlasProbe {
  private BlasProbe() {}

  public static void main(String[] args) {
    try {
      float[] a = {1, 3, 2, 4};
      float[] c = new float[4];
      Blas.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, c, 0, 2);
      System.out.println("implementation=" + Blas.implementationName() + " c=" + Arrays.toString(c));
    } catch (Throwable e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.out.println("failed: " + cause);
      System.exit(1);
    }
  }
}
