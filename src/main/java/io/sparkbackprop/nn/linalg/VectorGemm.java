package io.sparkbackprop.nn.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A register-blocked single-precision GEMM written with the JDK Vector API, for machines without a
 * native BLAS: {@code C = alpha * op(A) * op(B) + beta * C} on column-major arrays with offsets and
 * leading dimensions, op(A) {@code m x k}, op(B) {@code k x n}.
 *
 * <p>The structure is the one of Goto and van de Geijn ("Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008) as refined in BLIS (Van Zee and van de Geijn, ACM TOMS
 * 41(3), 2015). The k dimension is cut into panels of {@link #KC}; op(A) into blocks of {@link #MC}
 * rows, each packed into slivers of {@link #MR} rows ({@link VectorGemmPacking}), so that whatever
 * the transpose the kernel reads a column of a sliver as two aligned-in-the-buffer vectors. A
 * micro-kernel multiplies one A sliver by a sliver of {@link #NR} columns of op(B), keeping the
 * {@code MR x NR} tile of C in sixteen vector registers for the whole {@code KC} loop: per step of k
 * it loads two vectors of A, broadcasts eight scalars of B and issues sixteen fused multiply-adds,
 * so the FMA units, not the loads, set the pace.
 *
 * <p>op(B) is packed too ({@code NR} values per step of k, contiguous) when at least three A slivers
 * share each B sliver ({@code m > 2 MR}); for fewer the copy costs more than it saves, and the kernel
 * broadcasts B in place (only a last, narrower sliver is padded with zeros).
 *
 * <p>Edges: packed slivers are padded with zeros, so the kernel always computes whole tiles. A whole
 * tile with {@code alpha = 1, beta = 0} goes straight to C; any other is spilled to a small buffer
 * and combined with C by {@link #store}, vector by vector and then lane by lane at the edge.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present (see {@link Blas}).
 * Single-threaded per call; scratch space is per thread and reused, so the steady state allocates
 * nothing.
 */
final class VectorGemm implements Blas.Sgemm {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Lanes of one vector. */
  static final int VL = SPECIES.length();
  /** Rows of the register tile: two vectors. */
  static final int MR = 2 * VL;
  /** Columns of the register tile. */
  static final int NR = 8;
  /** Depth of a k-panel: a B sliver ({@code KC x NR}, 8 KiB) stays in L1 while A slivers stream. */
  static final int KC = 256;
  /** Rows of a packed A block ({@code MC x KC} floats: 512 KiB at 512-bit vectors, within L2). */
  static final int MC = 16 * MR;
  /** Columns of a packed B panel ({@code KC x NC} floats: 2 MiB). */
  static final int NC = 2048;

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
        boolean plain = alpha == 1f && panelBeta == 0f;
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
              int cBase = cOffset + (ic + ir) + (jc + jr) * ldc;
              // A whole tile with C = op(A) op(B) goes straight to C; any other is spilled and
              // then combined with C by store().
              boolean direct = plain && cols == NR && (rows == MR || rows == VL);
              float[] out = direct ? c : packing.tile;
              int at = direct ? cBase : 0;
              int ld = direct ? ldc : MR;
              if (rows <= VL) {
                kernel1(kc, ap, ir * kc, bs, bi, step, column, out, at, ld);
              } else if (column == 1) {
                kernel2(kc, ap, ir * kc, bs, bi, step, out, at, ld);
              } else {
                kernel2Columns(kc, ap, ir * kc, bs, bi, step, column, out, at, ld);
              }
              if (!direct) {
                store(packing.tile, alpha, panelBeta, c, cBase, ldc, rows, cols);
              }
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
   * The micro-kernel: the {@code MR x NR} product of an A sliver ({@code kc} steps of {@code MR}
   * floats from {@code ai}) and a B sliver whose step {@code p} holds its {@code NR} values at
   * {@code bs[bi + p * step + j]} (packed: {@code step = NR}; op(B) = B^T read in place:
   * {@code step = ldb}). Writes the tile column by column to {@code out} from {@code at}, columns
   * {@code ld} apart (C itself, or the spill buffer). Only vectors and writes: applying alpha and
   * beta here would make the method too large for C2 to compile whole with its vectors in
   * registers.
   */
  private static void kernel2(int kc, float[] ap, int ai, float[] bs, int bi, int step,
      float[] out, int at, int ld) {
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
    c00.intoArray(out, at);
    c10.intoArray(out, at + VL);
    at += ld;
    c01.intoArray(out, at);
    c11.intoArray(out, at + VL);
    at += ld;
    c02.intoArray(out, at);
    c12.intoArray(out, at + VL);
    at += ld;
    c03.intoArray(out, at);
    c13.intoArray(out, at + VL);
    at += ld;
    c04.intoArray(out, at);
    c14.intoArray(out, at + VL);
    at += ld;
    c05.intoArray(out, at);
    c15.intoArray(out, at + VL);
    at += ld;
    c06.intoArray(out, at);
    c16.intoArray(out, at + VL);
    at += ld;
    c07.intoArray(out, at);
    c17.intoArray(out, at + VL);
  }

  /**
   * {@link #kernel2} for B read in place when op(B) = B: value {@code j} of step {@code p} at
   * {@code bs[bi + p * step + j * column]}. Kept apart from {@link #kernel2} on purpose: running the
   * contiguous case through this one with {@code column = 1} cost 1-17% (JMH, 128-row shapes).
   */
  private static void kernel2Columns(int kc, float[] ap, int ai, float[] bs, int bi, int step,
      int column, float[] out, int at, int ld) {
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
    c00.intoArray(out, at);
    c10.intoArray(out, at + VL);
    at += ld;
    c01.intoArray(out, at);
    c11.intoArray(out, at + VL);
    at += ld;
    c02.intoArray(out, at);
    c12.intoArray(out, at + VL);
    at += ld;
    c03.intoArray(out, at);
    c13.intoArray(out, at + VL);
    at += ld;
    c04.intoArray(out, at);
    c14.intoArray(out, at + VL);
    at += ld;
    c05.intoArray(out, at);
    c15.intoArray(out, at + VL);
    at += ld;
    c06.intoArray(out, at);
    c16.intoArray(out, at + VL);
    at += ld;
    c07.intoArray(out, at);
    c17.intoArray(out, at + VL);
  }

  /**
   * {@link #kernel2} for a sliver of A with at most {@link #VL} rows (one vector), with B values at
   * {@code bs[bi + p * step + j * column]}.
   */
  private static void kernel1(int kc, float[] ap, int ai, float[] bs, int bi, int step, int column,
      float[] out, int at, int ld) {
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
    c0.intoArray(out, at);
    at += ld;
    c1.intoArray(out, at);
    at += ld;
    c2.intoArray(out, at);
    at += ld;
    c3.intoArray(out, at);
    at += ld;
    c4.intoArray(out, at);
    at += ld;
    c5.intoArray(out, at);
    at += ld;
    c6.intoArray(out, at);
    at += ld;
    c7.intoArray(out, at);
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
