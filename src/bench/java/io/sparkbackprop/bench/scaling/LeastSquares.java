package io.sparkbackprop.bench.scaling;

import java.util.Arrays;

/**
 * Ordinary least squares {@code min |X b - y|} for a handful of coefficients (normal equations,
 * Gaussian elimination with partial pivoting), and a non-negative variant for cost constants: fit,
 * and while some coefficient comes out negative, pin the most negative one to zero and refit the
 * rest (a time cannot have a negative share); coefficients the points cannot determine are pinned
 * to zero too, last first.
 */
final class LeastSquares {
  private LeastSquares() {}

  /** Coefficients {@code b} (length = columns of {@code x}). */
  static double[] fit(double[][] x, double[] y) {
    return fit(x, y, new boolean[x[0].length]);
  }

  /** As {@link #fit(double[][], double[])} with every coefficient at least zero. */
  static double[] fitNonNegative(double[][] x, double[] y) {
    int p = x[0].length;
    boolean[] pinned = new boolean[p];
    while (true) {
      double[] b;
      try {
        b = fit(x, y, pinned);
      } catch (IllegalArgumentException singular) {
        // The points do not determine every coefficient (e.g. one executor count only): pin the
        // last free one at zero.
        int last = p - 1;
        while (last >= 0 && pinned[last]) {
          last--;
        }
        if (last <= 0) {
          throw singular;
        }
        pinned[last] = true;
        continue;
      }
      int worst = -1;
      for (int j = 0; j < p; j++) {
        if (!pinned[j] && b[j] < 0 && (worst < 0 || b[j] < b[worst])) {
          worst = j;
        }
      }
      if (worst < 0) {
        return b;
      }
      pinned[worst] = true;
    }
  }

  /** Root mean square of {@code X b - y}. */
  static double rmsResidual(double[][] x, double[] y, double[] b) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double r = predict(x[i], b) - y[i];
      sum += r * r;
    }
    return Math.sqrt(sum / y.length);
  }

  static double predict(double[] row, double[] b) {
    double s = 0;
    for (int j = 0; j < b.length; j++) {
      s += row[j] * b[j];
    }
    return s;
  }

  private static double[] fit(double[][] x, double[] y, boolean[] pinned) {
    int p = x[0].length;
    int[] free = java.util.stream.IntStream.range(0, p).filter(j -> !pinned[j]).toArray();
    int k = free.length;
    double[] b = new double[p];
    if (k == 0) {
      return b;
    }
    // Columns are scaled to unit maximum first: the features span many orders of magnitude.
    double[] scale = new double[k];
    for (int a = 0; a < k; a++) {
      for (double[] row : x) {
        scale[a] = Math.max(scale[a], Math.abs(row[free[a]]));
      }
      if (scale[a] == 0) {
        scale[a] = 1;
      }
    }
    double[][] m = new double[k][k + 1];
    for (int i = 0; i < y.length; i++) {
      for (int a = 0; a < k; a++) {
        double xa = x[i][free[a]] / scale[a];
        for (int c = 0; c < k; c++) {
          m[a][c] += xa * x[i][free[c]] / scale[c];
        }
        m[a][k] += xa * y[i];
      }
    }
    double[] solution = solve(m);
    for (int a = 0; a < k; a++) {
      b[free[a]] = solution[a] / scale[a];
    }
    return b;
  }

  /** Solves the augmented system {@code m = [A | r]} in place. */
  private static double[] solve(double[][] m) {
    int k = m.length;
    for (int col = 0; col < k; col++) {
      int pivot = col;
      for (int r = col + 1; r < k; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      if (Math.abs(m[col][col]) < 1e-12) {
        throw new IllegalArgumentException("Singular system: the points do not determine "
            + "coefficient " + col + " " + Arrays.deepToString(m));
      }
      for (int r = 0; r < k; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int c = col; c <= k; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] solution = new double[k];
    for (int r = 0; r < k; r++) {
      solution[r] = m[r][k] / m[r][r];
    }
    return solution;
  }
}
