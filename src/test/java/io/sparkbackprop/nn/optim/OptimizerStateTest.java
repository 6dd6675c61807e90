package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Saving an optimizer's state mid-run and restoring it into a fresh instance must continue the run
 * bit for bit: same accept/reject decisions, same weights, same final weights, same state.
 */
class OptimizerStateTest {
  private static final int DIM = 6;
  private static final int CONTINUE = 12;
  private static final OptimizerProblems.Problem QUADRATIC = OptimizerProblems.quadratic(
      OptimizerProblems.logSpaced(DIM, 0.1, 10), new double[] {1, -1, 0.5, 2, -2, 0});
  private static final double[] START = OptimizerProblems.filled(DIM, 0.3);

  /** What one evaluation produced. */
  private record Step(boolean accepted, double[] weights, double[] finalWeights) {}

  /** Runs {@code evaluations} evaluations from {@code w} (updated in place). */
  private static List<Step> drive(Optimizer optimizer, OptimizerProblems.Problem problem,
      double[] w, int[] accepted, int evaluations, double stepSize) {
    List<Step> steps = new ArrayList<>();
    double[] g = new double[w.length];
    for (int e = 0; e < evaluations; e++) {
      double f = problem.evaluate(w, g);
      boolean ok = optimizer.step(w, f, g, stepSize, accepted[0] + 1);
      if (ok) {
        accepted[0]++;
      }
      steps.add(new Step(ok, w.clone(), optimizer.finalWeights(w).clone()));
    }
    return steps;
  }

  private static Map<String, double[]> deepCopy(Map<String, double[]> state) {
    Map<String, double[]> copy = new HashMap<>();
    state.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /**
   * For every split point, compares an uninterrupted run with one saved after {@code split}
   * evaluations and restored into a fresh optimizer. Returns the L-BFGS phases seen at the splits.
   */
  private static Set<Integer> assertResumesExactly(String solver, int dim,
      OptimizerProblems.Problem problem, double[] start, double stepSize, int splits) {
    Set<Integer> phases = new TreeSet<>();
    for (int split = 0; split <= splits; split++) {
      int[] acceptedA = {0};
      double[] wA = start.clone();
      Optimizer a = Optimizers.create(solver, dim);
      List<Step> uninterrupted = drive(a, problem, wA, acceptedA, split + CONTINUE, stepSize);

      int[] acceptedB = {0};
      double[] wB = start.clone();
      Optimizer b = Optimizers.create(solver, dim);
      drive(b, problem, wB, acceptedB, split, stepSize);
      Map<String, double[]> saved = deepCopy(b.state());
      if (saved.containsKey("phase")) {
        phases.add((int) saved.get("phase")[0]);
      }
      // Keep stepping the original to make sure the saved copy does not alias live arrays.
      drive(b, problem, wB.clone(), acceptedB.clone(), 3, stepSize);

      Optimizer c = Optimizers.create(solver, dim);
      c.restoreState(saved);
      List<Step> resumed = drive(c, problem, wB, acceptedB, CONTINUE, stepSize);
      for (int k = 0; k < CONTINUE; k++) {
        Step expected = uninterrupted.get(split + k);
        Step actual = resumed.get(k);
        String where = solver + " split " + split + " step " + k;
        assertEquals(expected.accepted(), actual.accepted(), where);
        assertArrayEquals(expected.weights(), actual.weights(), where);
        assertArrayEquals(expected.finalWeights(), actual.finalWeights(), where);
      }
      Map<String, double[]> stateA = a.state();
      Map<String, double[]> stateC = c.state();
      assertEquals(stateA.keySet(), stateC.keySet(), solver);
      stateA.forEach((key, value) -> assertArrayEquals(value, stateC.get(key), solver + " " + key));
    }
    return phases;
  }

  static String[] solvers() {
    return Optimizers.names();
  }

  @ParameterizedTest
  @MethodSource("solvers")
  void resumesBitIdenticallyOnAQuadratic(String solver) {
    assertResumesExactly(solver, DIM, QUADRATIC, START, 0.05, 25);
  }

  @Test
  void lbfgsResumesInEveryPhase() {
    // Rosenbrock: searches with rejected trials and brackets (phase 1), and the start (phase 0).
    Set<Integer> phases = new TreeSet<>(assertResumesExactly("l-bfgs", 2,
        OptimizerProblems.ROSENBROCK, new double[] {-1.2, 1}, 1, 60));
    // A linear objective decreases without end, so the curvature condition never holds and every
    // search runs out of trials and retreats to its best point (phase 2).
    OptimizerProblems.Problem linear = (w, g) -> {
      double f = 0;
      for (int i = 0; i < w.length; i++) {
        f -= w[i];
        g[i] = -1;
      }
      return f;
    };
    phases.addAll(assertResumesExactly("l-bfgs", 2, linear, new double[] {0, 0}, 1, 45));
    // At the kink of f = 100 (|w1| + |w2|) a (wrong) reported gradient (1, 1) makes every trial
    // worse, even the shortest, so every search fails and the iterate is re-evaluated (phase 3).
    OptimizerProblems.Problem kink = (w, g) -> {
      g[0] = 1;
      g[1] = 1;
      return 100 * (Math.abs(w[0]) + Math.abs(w[1]));
    };
    phases.addAll(assertResumesExactly("l-bfgs", 2, kink, new double[] {0, 0}, 1, 45));
    assertEquals(Set.of(0, 1, 2, 3), phases);
  }

  @Test
  void rejectsStateOfTheWrongShape() {
    Optimizer momentum = Optimizers.create("momentum", 3);
    IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
        () -> momentum.restoreState(Map.of("velocity", new double[2])));
    assertTrue(wrongSize.getMessage().contains("velocity"), wrongSize.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> momentum.restoreState(Map.of("momentum", new double[3])));
    Optimizer adamw = Optimizers.create("adamw", 3);
    Map<String, double[]> state = new HashMap<>(adamw.state());
    state.put("steps", new double[] {1.5});
    assertThrows(IllegalArgumentException.class, () -> adamw.restoreState(state));
    Optimizer lbfgs = Optimizers.create("l-bfgs", 3, OptimizerSettings.defaults()
        .withLbfgsHistory(2));
    Map<String, double[]> tooLong = new HashMap<>(lbfgs.state());
    tooLong.put("historyCount", new double[] {3});
    assertThrows(IllegalArgumentException.class, () -> lbfgs.restoreState(tooLong));
  }
}
