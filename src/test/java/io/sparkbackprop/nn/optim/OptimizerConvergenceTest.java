package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each first-order rule, with one fixed step size, must push an ill-conditioned quadratic below a bar
 * that plain gradient descent does not reach in the same number of iterations with any step size of a
 * grid covering its whole stable range (GD diverges beyond 2 / lambdaMax = 0.02). Both sides are
 * asserted, so the test fails if the rule is broken or behaves like GD.
 */
class OptimizerConvergenceTest {
  private static final int N = 10;
  private static final int ITERATIONS = 100;
  private static final double[] START = OptimizerProblems.filled(N, 1);
  private static final double[] GD_STEPS =
      {1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.015, 0.018, 0.019, 0.0195, 0.02};

  /** Curvatures 1..100 (condition number 100), loss 124.09 at the start. */
  private static final OptimizerProblems.Problem MODERATE = OptimizerProblems.quadratic(
      OptimizerProblems.logSpaced(N, 1, 100), OptimizerProblems.filled(N, 0));
  /** Curvatures 0.01..100 (condition number 10^4), loss 78.05 at the start. */
  private static final OptimizerProblems.Problem BADLY_SCALED = OptimizerProblems.quadratic(
      OptimizerProblems.logSpaced(N, 0.01, 100), OptimizerProblems.filled(N, 0));

  private static void assertBeatsGradientDescent(String solver, OptimizerProblems.Problem problem,
      double stepSize, double bar) {
    double loss = OptimizerProblems.run(Optimizers.create(solver, N), problem, START, stepSize,
        ITERATIONS).finalLoss();
    double gd = OptimizerProblems.bestGradientDescent(problem, START, ITERATIONS, GD_STEPS);
    assertTrue(loss < bar, solver + " reached " + loss + ", bar " + bar);
    assertTrue(gd > bar, "GD reached " + gd + ", below the bar " + bar);
  }

  @Test
  void momentumBeatsGradientDescent() {
    // momentum 5.3e-4 < 3e-3 < GD 1.2e-2 (GD's best step 0.019)
    assertBeatsGradientDescent("momentum", MODERATE, 0.015, 3e-3);
  }

  @Test
  void nesterovBeatsGradientDescent() {
    // nesterov 3.9e-6 < 1e-4 < GD 1.2e-2
    assertBeatsGradientDescent("nesterov", MODERATE, 0.01, 1e-4);
  }

  @Test
  void adagradBeatsGradientDescent() {
    // adagrad 1.3e-18 < 1e-6 < GD 0.125 (per-weight steps ignore the curvature spread)
    assertBeatsGradientDescent("adagrad", BADLY_SCALED, 0.3, 1e-6);
  }

  @Test
  void rmspropBeatsGradientDescent() {
    // rmsprop 1.8e-31 < 1e-6 < GD 0.125
    assertBeatsGradientDescent("rmsprop", BADLY_SCALED, 0.02, 1e-6);
  }

  @Test
  void adamBeatsGradientDescent() {
    // adam 6.7e-4 < 1e-2 < GD 0.125
    assertBeatsGradientDescent("adam", BADLY_SCALED, 0.1, 1e-2);
  }

  @Test
  void adamwBeatsGradientDescent() {
    // adamw 7.1e-4 < 1e-2 < GD 0.125
    assertBeatsGradientDescent("adamw", BADLY_SCALED, 0.1, 1e-2);
  }

  @Test
  void lbfgsBeatsGradientDescent() {
    // l-bfgs 3.6e-8 < 1e-6 < GD 0.125 (l-bfgs ignores the step size)
    assertBeatsGradientDescent("l-bfgs", BADLY_SCALED, 1, 1e-6);
  }
}
