package io.sparkbackprop.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A register-blocked single-precision GEMM written with the JDK Vector API, for machines without a
 * native BLAS: {@code C = alpha * op(A) * op(B) + beta * C} on column-major arrays with offsets and
 * leading dimensions, op(A) {@code m x k}, op(B) {@code k x n}.
 *
 * <p>The structure is the one of Goto and van de Geijn ("Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008) as refined in BLIS: op(B) is cut into panels of
 * {@link #KC} rows and packed into slivers of {@link #NR} columns, op(A) into blocks of {@link #MC} x
 * {@link #KC} packed into slivers of {@link #MR} rows (see {@link VectorGemmPacking}); a micro-kernel
 * then multiplies one A sliver by one B sliver, keeping the {@code MR x NR} tile of C in vector
 * registers for the whole {@code KC} loop and touching C only once at the end. Per step of k it
 * loads two vectors of A, broadcasts {@link #NR} scalars of B and issues {@code 2 NR} fused
 * multiply-adds, so the loads never limit the FMA units. Packing makes every edge case (sizes not a
 * multiple of the tile, transposes, leading dimensions) the packers' business: they pad with zeros,
 * and only the final update of an edge tile of C is done lane by lane.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present (see {@link Blas}).
 */
final class VectorGemm implements Blas.Sgemm {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Lanes of one vector. */
  static final int VL = SPECIES.length();
  /** Rows of the register tile: two vectors. */
  static final int MR = 2 * VL;
  /** Columns of the register tile. */
  static final int NR = 8;
  /** Columns of a packed B panel. */
  static final int NC = 2048;
  /** Depth of a packed panel: one A sliver ({@code MR x KC}) and one B sliver stay in L1/L2. */
  static final int KC = 256;
  /** Rows of a packed A block ({@code MC x KC} floats, 512 KiB at 512-bit vectors, fits in L2). */
  static final int MC = 16 * MR;

  private static final ThreadLocal<VectorGemmPacking> SCRATCH =
      ThreadLocal.withInitial(VectorGemmPacking::new);

  @Override
  public String name() {
    return "VectorGemm (jdk.incubator.vector, " + SPECIES.vectorBitSize() + "-bit)";
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
      float[] c, int cOffset, int ldc) {
    Blas.checkGemmArguments(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
        c, cOffset, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0f || k == 0) {
      scale(m, n, beta, c, cOffset, ldc);
      return;
    }
    VectorGemmPacking packing = SCRATCH.get();
    // Where op(B)(p, j) lives: b[bOffset + p * bStep + j * bColumn].
    int bStep = transB ? ldb : 1;
    int bColumn = transB ? 1 : ldb;
    // Packing B costs about as much as one A sliver's FMAs on it: worth it when several A slivers
    // reuse each B sliver. Otherwise the kernel reads B in place (and only a last, narrower sliver
    // is packed, to pad it with zeros).
    boolean packB = m > 2 * MR;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        // Later k-panels add to what the first one wrote.
        float panelBeta = pc == 0 ? beta : 1f;
        float[] bPanel = packB ? packing.packB(transB, b, bOffset, ldb, pc, kc, jc, nc) : null;
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          float[] ap = packing.packA(transA, a, aOffset, lda, ic, mc, pc, kc);
          for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            float[] bs = bPanel;
            int bi = jr * kc;
            int step = NR;
            int column = 1;
            if (!packB && cols == NR) {
              bs = b;
              bi = bOffset + pc * bStep + (jc + jr) * bColumn;
              step = bStep;
              column = bColumn;
            } else if (!packB) {
              bs = packing.packB(transB, b, bOffset, ldb, pc, kc, jc + jr, cols);
              bi = 0;
            }
            for (int ir = 0; ir < mc; ir += MR) {
              int rows = Math.min(MR, mc - ir);
              if (rows <= VL) {
                kernel1(kc, ap, ir * kc, bs, bi, step, column, packing.tile);
              } else if (column == 1) {
                kernel2(kc, ap, ir * kc, bs, bi, step, packing.tile);
              } else {
                kernel2Columns(kc, ap, ir * kc, bs, bi, step, column, packing.tile);
              }
              store(packing.tile, alpha, panelBeta, c, cOffset + (ic + ir) + (jc + jr) * ldc, ldc,
                  rows, cols);
            }
          }
        }
      }
    }
  }

  /** {@code C = beta * C} (zeros without reading C when beta is 0, as BLAS does). */
  private static void scale(int m, int n, float beta, float[] c, int cOffset, int ldc) {
    if (beta == 1f) {
      return;
    }
    for (int j = 0; j < n; j++) {
      int base = cOffset + j * ldc;
      for (int i = 0; i < m; i++) {
        c[base + i] = beta == 0f ? 0f : beta * c[base + i];
      }
    }
  }

  /**
   * The micro-kernel: a {@code MR x NR} tile of C from an A sliver ({@code kc} steps of {@code MR}
   * floats at {@code ai}) and a B sliver ({@code kc} steps of {@code NR} floats at {@code bi}).
   * Sixteen accumulators at 512 bits, so the tile lives in registers for the whole loop.
   */
  private static void kernel2(int kc, float[] ap, int ai, float[] bs, int bi, int step,
      float[] tile) {
    FloatVector z = FloatVector.zero(SPECIES);
    FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c04 = z, c05 = z, c06 = z, c07 = z;
    FloatVector c10 = z, c11 = z, c12 = z, c13 = z, c14 = z, c15 = z, c16 = z, c17 = z;
    for (int p = 0; p < kc; p++, ai += MR, bi += step) {
      FloatVector a0 = FloatVector.fromArray(SPECIES, ap, ai);
      FloatVector a1 = FloatVector.fromArray(SPECIES, ap, ai + VL);
      FloatVector bv = FloatVector.broadcast(SPECIES, bs[bi]);
      c00 = a0.fma(bv, c00);
      c10 = a1.fma(bv, c10);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 1]);
      c01 = a0.fma(bv, c01);
      c11 = a1.fma(bv, c11);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 2]);
      c02 = a0.fma(bv, c02);
      c12 = a1.fma(bv, c12);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 3]);
      c03 = a0.fma(bv, c03);
      c13 = a1.fma(bv, c13);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 4]);
      c04 = a0.fma(bv, c04);
      c14 = a1.fma(bv, c14);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 5]);
      c05 = a0.fma(bv, c05);
      c15 = a1.fma(bv, c15);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 6]);
      c06 = a0.fma(bv, c06);
      c16 = a1.fma(bv, c16);
      bv = FloatVector.broadcast(SPECIES, bs[bi + 7]);
      c07 = a0.fma(bv, c07);
      c17 = a1.fma(bv, c17);
    }
    // Spill the tile (cheap next to the 2 NR kc FMAs above) and update C in a separate loop: inlining
    // sixteen vector updates here would make the method too large for C2 to intrinsify it whole.
    c00.intoArray(tile, 0);
    c10.intoArray(tile, VL);
    c01.intoArray(tile, MR);
    c11.intoArray(tile, MR + VL);
    c02.intoArray(tile, 2 * MR);
    c12.intoArray(tile, 2 * MR + VL);
    c03.intoArray(tile, 3 * MR);
    c13.intoArray(tile, 3 * MR + VL);
    c04.intoArray(tile, 4 * MR);
    c14.intoArray(tile, 4 * MR + VL);
    c05.intoArray(tile, 5 * MR);
    c15.intoArray(tile, 5 * MR + VL);
    c06.intoArray(tile, 6 * MR);
    c16.intoArray(tile, 6 * MR + VL);
    c07.intoArray(tile, 7 * MR);
    c17.intoArray(tile, 7 * MR + VL);
  }

  /** {@link #kernel2} reading B in place from columns {@code column} apart (op(B) = B). */
  private static void kernel2Columns(int kc, float[] ap, int ai, float[] bs, int bi, int step, int column,
      float[] tile) {
    int b1 = column;
    int b2 = 2 * column;
    int b3 = 3 * column;
    int b4 = 4 * column;
    int b5 = 5 * column;
    int b6 = 6 * column;
    int b7 = 7 * column;
    FloatVector z = FloatVector.zero(SPECIES);
    FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c04 = z, c05 = z, c06 = z, c07 = z;
    FloatVector c10 = z, c11 = z, c12 = z, c13 = z, c14 = z, c15 = z, c16 = z, c17 = z;
    for (int p = 0; p < kc; p++, ai += MR, bi += step) {
      FloatVector a0 = FloatVector.fromArray(SPECIES, ap, ai);
      FloatVector a1 = FloatVector.fromArray(SPECIES, ap, ai + VL);
      FloatVector bv = FloatVector.broadcast(SPECIES, bs[bi]);
      c00 = a0.fma(bv, c00);
      c10 = a1.fma(bv, c10);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b1]);
      c01 = a0.fma(bv, c01);
      c11 = a1.fma(bv, c11);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b2]);
      c02 = a0.fma(bv, c02);
      c12 = a1.fma(bv, c12);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b3]);
      c03 = a0.fma(bv, c03);
      c13 = a1.fma(bv, c13);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b4]);
      c04 = a0.fma(bv, c04);
      c14 = a1.fma(bv, c14);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b5]);
      c05 = a0.fma(bv, c05);
      c15 = a1.fma(bv, c15);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b6]);
      c06 = a0.fma(bv, c06);
      c16 = a1.fma(bv, c16);
      bv = FloatVector.broadcast(SPECIES, bs[bi + b7]);
      c07 = a0.fma(bv, c07);
      c17 = a1.fma(bv, c17);
    }
    // Spill the tile (cheap next to the 2 NR kc FMAs above) and update C in a separate loop: inlining
    // sixteen vector updates here would make the method too large for C2 to intrinsify it whole.
    c00.intoArray(tile, 0);
    c10.intoArray(tile, VL);
    c01.intoArray(tile, MR);
    c11.intoArray(tile, MR + VL);
    c02.intoArray(tile, 2 * MR);
    c12.intoArray(tile, 2 * MR + VL);
    c03.intoArray(tile, 3 * MR);
    c13.intoArray(tile, 3 * MR + VL);
    c04.intoArray(tile, 4 * MR);
    c14.intoArray(tile, 4 * MR + VL);
    c05.intoArray(tile, 5 * MR);
    c15.intoArray(tile, 5 * MR + VL);
    c06.intoArray(tile, 6 * MR);
    c16.intoArray(tile, 6 * MR + VL);
    c07.intoArray(tile, 7 * MR);
    c17.intoArray(tile, 7 * MR + VL);
  }

  /** {@link #kernel2} for the last sliver of A when it has at most {@link #VL} rows. */
  private static void kernel1(int kc, float[] ap, int ai, float[] bs, int bi, int step, int column,
      float[] tile) {
    int b1 = column;
    int b2 = 2 * column;
    int b3 = 3 * column;
    int b4 = 4 * column;
    int b5 = 5 * column;
    int b6 = 6 * column;
    int b7 = 7 * column;
    FloatVector z = FloatVector.zero(SPECIES);
    FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
    for (int p = 0; p < kc; p++, ai += MR, bi += step) {
      FloatVector a0 = FloatVector.fromArray(SPECIES, ap, ai);
      c0 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi]), c0);
      c1 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b1]), c1);
      c2 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b2]), c2);
      c3 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b3]), c3);
      c4 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b4]), c4);
      c5 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b5]), c5);
      c6 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b6]), c6);
      c7 = a0.fma(FloatVector.broadcast(SPECIES, bs[bi + b7]), c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, MR);
    c2.intoArray(tile, 2 * MR);
    c3.intoArray(tile, 3 * MR);
    c4.intoArray(tile, 4 * MR);
    c5.intoArray(tile, 5 * MR);
    c6.intoArray(tile, 6 * MR);
    c7.intoArray(tile, 7 * MR);
  }

  /**
   * {@code C = alpha * tile + beta * C} for the {@code rows x cols} corner of a spilled tile
   * (column-major, {@link #MR} floats per column); C is not read when beta is 0.
   */
  private static void store(float[] tile, float alpha, float beta, float[] c, int cBase, int ldc,
      int rows, int cols) {
    int vectorRows = rows / VL * VL;
    FloatVector betaV = FloatVector.broadcast(SPECIES, beta);
    for (int j = 0; j < cols; j++) {
      int column = cBase + j * ldc;
      int t = j * MR;
      for (int i = 0; i < vectorRows; i += VL) {
        FloatVector result = FloatVector.fromArray(SPECIES, tile, t + i).mul(alpha);
        if (beta != 0f) {
          result = FloatVector.fromArray(SPECIES, c, column + i).fma(betaV, result);
        }
        result.intoArray(c, column + i);
      }
      for (int i = vectorRows; i < rows; i++) {
        float value = alpha * tile[t + i];
        c[column + i] = beta == 0f ? value : value + beta * c[column + i];
      }
    }
  }
}
