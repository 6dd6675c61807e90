package io.sparkbackprop.nn.layer;

import java.util.Random;

/**
 * Random orthogonal matrices (Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of
 * learning in deep linear neural networks"): the recommended start for recurrent weights, whose
 * repeated products then preserve the state's norm.
 */
final class Orthogonal {
  private Orthogonal() {}

  /**
   * An {@code n x n} orthogonal matrix, column-major: Gaussian columns orthonormalised by modified
   * Gram-Schmidt (in double, twice for stability).
   */
  static double[] matrix(int n, Random rng) {
    double[] q = new double[n * n];
    for (int i = 0; i < q.length; i++) {
      q[i] = rng.nextGaussian();
    }
    for (int c = 0; c < n; c++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < c; p++) {
          double dot = 0;
          for (int r = 0; r < n; r++) {
            dot += q[p * n + r] * q[c * n + r];
          }
          for (int r = 0; r < n; r++) {
            q[c * n + r] -= dot * q[p * n + r];
          }
        }
      }
      double norm = 0;
      for (int r = 0; r < n; r++) {
        norm += q[c * n + r] * q[c * n + r];
      }
      norm = Math.sqrt(norm);
      for (int r = 0; r < n; r++) {
        q[c * n + r] /= norm;
      }
    }
    return q;
  }
}
