package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The single entry point to linear algebra. Everything goes through {@code dev.ludovic.netlib}, which
 * Spark already ships and which picks native OpenBLAS, the JDK Vector API or plain Java at start-up.
 * Keeping the calls here means a faster kernel can replace one of them without touching the layers.
 */
public final class Blas {
  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

  private Blas() {}

  /** Name of the implementation in use (for example {@code JNIBLAS} or {@code VectorBLAS}). */
  public static String implementationName() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C} on column-major matrices stored at offsets; op(A) is
   * m x k, op(B) is k x n, C is m x n.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
      float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.sgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha,
        a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }
}
