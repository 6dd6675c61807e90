package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.training.LocalObjective;
import io.sparkbackprop.nn.training.TrainingConfig;
import io.sparkbackprop.nn.training.TrainingLoop;
import io.sparkbackprop.nn.training.TrainingResult;
import io.sparkbackprop.testing.TrainingProblems;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LbfgsTest {
  private static final double[] ROSENBROCK_START = {-1.2, 1};

  @Test
  void solvesRosenbrockWhereGradientDescentCrawls() {
    OptimizerProblems.Run run = OptimizerProblems.run(new Lbfgs(2, 10),
        OptimizerProblems.ROSENBROCK, ROSENBROCK_START, 0.01, 45);
    // 45 iterations (about 52 evaluations) reach (1, 1) to 1e-6 and a loss below 1e-10.
    assertEquals(1, run.finalWeights()[0], 1e-6);
    assertEquals(1, run.finalWeights()[1], 1e-6);
    assertTrue(run.finalLoss() < 1e-10, "loss " + run.finalLoss());
    assertTrue(run.evaluations() < 70, "evaluations " + run.evaluations());
    // GD gets as many gradient evaluations as L-BFGS used and its best stable step: loss ~0.97.
    double gd = OptimizerProblems.bestGradientDescent(OptimizerProblems.ROSENBROCK,
        ROSENBROCK_START, run.evaluations(), 1e-4, 3e-4, 1e-3, 2e-3, 3e-3);
    assertTrue(gd > 0.5, "GD reached " + gd);
  }

  @Test
  void matchesScipyLbfgsbOnAQuadratic() {
    // Reference: scipy 1.17 optimize.minimize(method='L-BFGS-B', options={maxcor: 10}) on the same
    // quadratic (curvatures 0.01..100 log-spaced, start at ones), f after iterations 6, 11, 21, 31.
    // Both take a first step of length 1, then unit steps, backtracking at the same three trials.
    OptimizerProblems.Problem quadratic = OptimizerProblems.quadratic(
        OptimizerProblems.logSpaced(10, 0.01, 100), OptimizerProblems.filled(10, 0));
    double[] start = OptimizerProblems.filled(10, 1);
    int[] k = {6, 11, 21, 31};
    double[] scipy = {0.7155326678440797, 0.13232226462798446, 0.0218304765499262,
        0.006722461996113731};
    for (int i = 0; i < k.length; i++) {
      double loss = OptimizerProblems.run(new Lbfgs(10, 10), quadratic, start, 1, k[i] + 1)
          .finalLoss();
      assertEquals(scipy[i], loss, 1e-7 * scipy[i], "f(x_" + k[i] + ")");
    }
  }

  @Test
  void rejectsATrialThatIncreasesTheLoss() {
    Lbfgs lbfgs = new Lbfgs(2, 10);
    double[] g = new double[2];
    double[] w = ROSENBROCK_START.clone();
    double f0 = OptimizerProblems.ROSENBROCK.evaluate(w, g);
    assertTrue(lbfgs.step(w, f0, g, 0.01, 1), "the first point is an iterate");
    // The first trial moves distance 1 along -g: into the valley wall, loss 24.2 -> ~171.
    assertEquals(1, distance(w, ROSENBROCK_START), 1e-12);
    double[] trial = w.clone();
    double f1 = OptimizerProblems.ROSENBROCK.evaluate(w, g);
    assertTrue(f1 > f0);
    assertFalse(lbfgs.step(w, f1, g, 0.01, 2), "a trial with a higher loss is rejected");
    assertArrayEquals(ROSENBROCK_START, lbfgs.finalWeights(w), 0);
    // The next trial is shorter, on the same ray.
    double shorter = distance(w, ROSENBROCK_START);
    assertTrue(shorter > 0 && shorter < 1, "next trial at distance " + shorter);
    assertNotEquals(Arrays.toString(trial), Arrays.toString(w));
  }

  @Test
  void finalWeightsIsAlwaysTheLastAcceptedEvaluatedPoint() {
    Lbfgs lbfgs = new Lbfgs(2, 4);
    double[] w = ROSENBROCK_START.clone();
    double[] g = new double[2];
    double[] lastAccepted = null;
    double lastAcceptedLoss = Double.POSITIVE_INFINITY;
    int rejected = 0;
    for (int evaluation = 0; evaluation < 80; evaluation++) {
      double[] evaluated = w.clone();
      double f = OptimizerProblems.ROSENBROCK.evaluate(w, g);
      if (lbfgs.step(w, f, g, 0.01, 1)) {
        // Strictly lower by sufficient decrease; equal only once the exact minimum (f = 0) is hit.
        assertTrue(f < lastAcceptedLoss || f == 0, "accepted loss " + f + " after "
            + lastAcceptedLoss);
        lastAccepted = evaluated;
        lastAcceptedLoss = f;
      } else {
        rejected++;
      }
      assertArrayEquals(lastAccepted, lbfgs.finalWeights(w), 0);
    }
    assertTrue(rejected > 0, "the run should exercise rejections");
  }

  @Test
  void ignoresTheStepSize() {
    double[] a = OptimizerProblems.run(new Lbfgs(2, 10), OptimizerProblems.ROSENBROCK,
        ROSENBROCK_START, 0.001, 20).finalWeights();
    double[] b = OptimizerProblems.run(new Lbfgs(2, 10), OptimizerProblems.ROSENBROCK,
        ROSENBROCK_START, 10, 20).finalWeights();
    assertArrayEquals(a, b, 0);
  }

  @Test
  void discardsAHistoryThatGivesAnAscentDirection() {
    // White box: restore a history whose pair has negative curvature (s'y = -1), which a run never
    // stores. At x = 0 with gradient (1, 0) the two-loop recursion then yields d = (1, 0), uphill.
    Lbfgs lbfgs = new Lbfgs(2, 3);
    Map<String, double[]> state = new LinkedHashMap<>(lbfgs.state());
    state.put("historyCount", new double[] {1});
    state.put("s0", new double[] {1, 0});
    state.put("y0", new double[] {-1, 0});
    state.put("rho", new double[] {-1});
    lbfgs.restoreState(state);
    double[] w = {0, 0};
    assertTrue(lbfgs.step(w, 0, new double[] {1, 0}, 1, 1));
    // Steepest descent instead, first trial of length 1: (-1, 0); the history is gone.
    assertArrayEquals(new double[] {-1, 0}, w, 0);
    assertEquals(0, lbfgs.state().get("historyCount")[0]);
  }

  @Test
  void anUphillGradientNeverMovesTheIterateAndNeverStallsTheLoop() {
    // A broken oracle reports -grad f: every direction it suggests goes uphill. The line search
    // must reject all trials, fall back to re-evaluating the iterate (accepted unchanged, which the
    // training loop's convergence check sees as converged), and never hang or accept a worse point.
    OptimizerProblems.Problem uphill = (w, g) -> {
      double f = OptimizerProblems.ROSENBROCK.evaluate(w, g);
      for (int i = 0; i < g.length; i++) {
        g[i] = -g[i];
      }
      return f;
    };
    OptimizerProblems.Run run = OptimizerProblems.run(new Lbfgs(2, 10), uphill, ROSENBROCK_START,
        1, 5, 1000);
    assertEquals(5, run.accepted());
    assertTrue(run.evaluations() <= 5 * (Lbfgs.MAX_TRIALS + 1) + 1, "evaluations "
        + run.evaluations());
    assertArrayEquals(ROSENBROCK_START, run.finalWeights(), 0);
  }

  @Test
  void trainsWithSampledMiniBatchesWithoutHanging() {
    // Mini-batches make the objective change between trials; the loop must still finish.
    FeedForwardNetwork network = TrainingProblems.spiralNetwork();
    LocalObjective objective = new LocalObjective(network, TrainingProblems.spiral(16),
        new BlockSampler(0.5, 11));
    TrainingResult result = TrainingLoop.run(objective, network.initialParams(3),
        new TrainingConfig().solver("l-bfgs").maxIter(30).tol(0).miniBatchFraction(0.5));
    assertTrue(result.totalIterations() > 0);
    assertTrue(Arrays.stream(result.weights()).allMatch(Double::isFinite));
    double start = TrainingProblems.meanLoss(objective, network.initialParams(3));
    double end = TrainingProblems.meanLoss(objective, result.weights());
    assertTrue(end < start, "loss " + start + " -> " + end);
  }

  @Test
  void keepsAtMostHistoryPairs() {
    Lbfgs lbfgs = new Lbfgs(2, 3);
    OptimizerProblems.run(lbfgs, OptimizerProblems.ROSENBROCK, ROSENBROCK_START, 1, 20);
    Map<String, double[]> state = lbfgs.state();
    assertEquals(3, state.get("historyCount")[0]);
    assertTrue(state.containsKey("s2") && !state.containsKey("s3"));
  }

  private static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }
}
