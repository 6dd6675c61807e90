package io.sparkbackprop.nn.linalg;

import static io.sparkbackprop.nn.linalg.VectorGemm.MR;
import static io.sparkbackprop.nn.linalg.VectorGemm.NR;
import static io.sparkbackprop.nn.linalg.VectorGemm.SPECIES;
import static io.sparkbackprop.nn.linalg.VectorGemm.VL;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * One thread's scratch space for {@link VectorGemm} and the routines that fill it: blocks of op(A)
 * and panels of op(B) copied into the order the micro-kernel reads them, so that it streams both
 * with unit stride whatever the transposes and leading dimensions.
 *
 * <ul>
 *   <li>A block (rows {@code ic..ic+mc} of op(A), k-range {@code pc..pc+kc}): slivers of {@link
 *       VectorGemm#MR} rows, sliver {@code s} at {@code s * MR * kc}, element {@code (i, p)} of the
 *       sliver at {@code p * MR + i}.
 *   <li>B panel (k-range {@code pc..pc+kc}, columns {@code jc..jc+nc} of op(B)): slivers of {@link
 *       VectorGemm#NR} columns, sliver {@code t} at {@code t * NR * kc}, element {@code (p, j)} of
 *       the sliver at {@code p * NR + j}.
 * </ul>
 *
 * Rows and columns past the matrix's edge are zeros, so the kernel always computes whole tiles.
 * The buffers only grow; in the steady state packing allocates nothing.
 */
final class VectorGemmPacking {
  private float[] a = new float[0];
  private float[] b = new float[0];
  /** Where the kernel spills an edge tile of C ({@code MR x NR}, column-major). */
  final float[] tile = new float[MR * NR];

  /** Packs {@code op(A)[ic..ic+mc, pc..pc+kc]} and returns the buffer holding it. */
  float[] packA(boolean transA, float[] src, int offset, int lda, int ic, int mc, int pc, int kc) {
    int slivers = (mc + MR - 1) / MR;
    if (a.length < slivers * MR * kc) {
      a = new float[slivers * MR * kc];
    }
    float[] dst = a;
    for (int s = 0; s < slivers; s++) {
      int i0 = ic + s * MR;
      int rows = Math.min(MR, ic + mc - i0);
      // The kernel reads one vector of a sliver of at most VL rows, two otherwise.
      int padded = rows <= VL ? VL : MR;
      int base = s * MR * kc;
      if (!transA) {
        // op(A)(i, p) = A[i + p * lda]: each step of k is a contiguous run of the column.
        int from = offset + pc * lda + i0;
        if (rows == MR) {
          for (int p = 0; p < kc; p++, from += lda) {
            FloatVector.fromArray(SPECIES, src, from).intoArray(dst, base + p * MR);
            FloatVector.fromArray(SPECIES, src, from + VL).intoArray(dst, base + p * MR + VL);
          }
        } else {
          for (int p = 0; p < kc; p++, from += lda) {
            int to = base + p * MR;
            int i = 0;
            if (rows >= VL) {
              FloatVector.fromArray(SPECIES, src, from).intoArray(dst, to);
              i = VL;
            }
            for (; i < rows; i++) {
              dst[to + i] = src[from + i];
            }
            for (; i < padded; i++) {
              dst[to + i] = 0f;
            }
          }
        }
      } else {
        // op(A)(i, p) = A[p + i * lda]: row i of op(A) is contiguous; transpose it into the sliver.
        for (int i = 0; i < rows; i++) {
          int from = offset + (i0 + i) * lda + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + i] = src[from + p];
          }
        }
        for (int p = 0; p < kc; p++) {
          for (int i = rows; i < padded; i++) {
            dst[base + p * MR + i] = 0f;
          }
        }
      }
    }
    return dst;
  }

  /** Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} and returns the buffer holding it. */
  float[] packB(boolean transB, float[] src, int offset, int ldb, int pc, int kc, int jc, int nc) {
    int slivers = (nc + NR - 1) / NR;
    if (b.length < slivers * NR * kc) {
      b = new float[slivers * NR * kc];
    }
    float[] dst = b;
    for (int t = 0; t < slivers; t++) {
      int j0 = jc + t * NR;
      int cols = Math.min(NR, jc + nc - j0);
      int base = t * NR * kc;
      if (!transB) {
        // op(B)(p, j) = B[p + j * ldb]: column j is contiguous; interleave NR columns.
        for (int j = 0; j < cols; j++) {
          int from = offset + (j0 + j) * ldb + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * NR + j] = src[from + p];
          }
        }
        if (cols < NR) {
          for (int p = 0; p < kc; p++) {
            Arrays.fill(dst, base + p * NR + cols, base + (p + 1) * NR, 0f);
          }
        }
      } else {
        // op(B)(p, j) = B[j + p * ldb]: each step of k is a contiguous run of NR values.
        int from = offset + pc * ldb + j0;
        if (cols == NR) {
          // Written out: far faster than System.arraycopy for eight floats.
          for (int p = 0, to = base; p < kc; p++, from += ldb, to += NR) {
            dst[to] = src[from];
            dst[to + 1] = src[from + 1];
            dst[to + 2] = src[from + 2];
            dst[to + 3] = src[from + 3];
            dst[to + 4] = src[from + 4];
            dst[to + 5] = src[from + 5];
            dst[to + 6] = src[from + 6];
            dst[to + 7] = src[from + 7];
          }
          continue;
        }
        for (int p = 0; p < kc; p++, from += ldb) {
          int to = base + p * NR;
          System.arraycopy(src, from, dst, to, cols);
          Arrays.fill(dst, to + cols, to + NR, 0f);
        }
      }
    }
    return dst;
  }
}
