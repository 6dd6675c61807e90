package io.sparkbackprop.bench;

import java.util.Locale;

/**
 * One GEMM call as the training runs it, written {@code OP:MxNxK}: {@code OP} is {@code NN}, {@code NT},
 * {@code TN} or {@code TT} (op(A), op(B)), {@code op(A)} is {@code M x K}, {@code op(B)} is
 * {@code K x N}, {@code C} is {@code M x N}, all column-major with the tightest leading dimensions.
 *
 * <p>A dense layer {@code in -> out} over a block of {@code rows} calls {@code NN:out x rows x in}
 * forward, {@code NT:out x in x rows} for its weight gradient and {@code TN:in x rows x out} for the
 * delta of its input.
 */
record GemmShape(boolean transA, boolean transB, int m, int n, int k) {

  static GemmShape parse(String text) {
    String[] parts = text.trim().split(":");
    if (parts.length != 2 || parts[0].length() != 2) {
      throw new IllegalArgumentException("GEMM shape must look like NN:128x128x100, got " + text);
    }
    String[] dims = parts[1].split("x");
    if (dims.length != 3) {
      throw new IllegalArgumentException("GEMM shape must look like NN:128x128x100, got " + text);
    }
    return new GemmShape(isTransposed(parts[0].charAt(0), text), isTransposed(parts[0].charAt(1), text),
        Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]));
  }

  private static boolean isTransposed(char c, String text) {
    if (c == 'N' || c == 'n') {
      return false;
    }
    if (c == 'T' || c == 't') {
      return true;
    }
    throw new IllegalArgumentException("GEMM op must be N or T, got " + c + " in " + text);
  }

  /** Floating-point operations of one call: a multiply and an add per (m, n, k). */
  double flops() {
    return 2.0 * m * n * k;
  }

  int lda() {
    return transA ? k : m;
  }

  int ldb() {
    return transB ? n : k;
  }

  int aLength() {
    return m * k;
  }

  int bLength() {
    return k * n;
  }

  int cLength() {
    return m * n;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s%s:%dx%dx%d", transA ? "T" : "N", transB ? "T" : "N", m, n, k);
  }
}
