package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient descent and Adam on hand-computed steps; Adam's state round trip. */
class OptimizerTest {

  @Test
  void gradientDescentStepsAgainstTheGradient() {
    double[] w = {1, -2, 0.5};
    assertTrue(new GradientDescent().step(w, 3.0, new double[] {0.5, -1, 0}, 0.1, 1));
    assertArrayEquals(new double[] {0.95, -1.9, 0.5}, w, 1e-15);
  }

  @Test
  void gradientDescentHasNoState() {
    GradientDescent gd = new GradientDescent();
    assertTrue(gd.state().isEmpty());
    gd.restoreState(Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> gd.restoreState(Map.of("m", new double[1])));
    assertTrue(e.getMessage().contains("m"), e.getMessage());
  }

  @Test
  void adamFirstStepMovesEachWeightByAboutTheStepSize() {
    // Bias correction makes step 1 equal to stepSize * g / |g| (up to epsilon), whatever |g|.
    double[] w = {1, -2, 3, 0.25};
    double[] g = {0.5, -4, 0, 1e-3};
    new Adam(4).step(w, 1.0, g.clone(), 0.01, 1);
    assertEquals(0.99, w[0], 1e-9);
    assertEquals(-1.99, w[1], 1e-9);
    assertEquals(3, w[2], 0.0);
    assertEquals(0.24, w[3], 1e-7);
  }

  @Test
  void adamMatchesAlgorithmOneOfThePaperOverSeveralSteps() {
    double beta1 = 0.8;
    double beta2 = 0.95;
    double eps = 1e-3;
    Adam adam = new Adam(2, beta1, beta2, eps);
    double[] w = {0.3, -0.7};
    double[][] gradients = {{0.5, -1}, {-0.25, 2}, {1.5, 0.1}};
    // Textbook form: m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t), w -= a m_hat / (sqrt(v_hat) + eps).
    double[] expected = w.clone();
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= gradients.length; t++) {
      for (int i = 0; i < 2; i++) {
        double gi = gradients[t - 1][i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        double mHat = m[i] / (1 - Math.pow(beta1, t));
        double vHat = v[i] / (1 - Math.pow(beta2, t));
        expected[i] -= 0.05 * mHat / (Math.sqrt(vHat) + eps);
      }
      adam.step(w, 0, gradients[t - 1].clone(), 0.05, t);
      assertArrayEquals(expected, w, 1e-12, "after step " + t);
    }
  }

  /**
   * Bias correction counts the optimizer's own steps, not the training loop's iteration: a fresh
   * Adam (after autoStepSize replaced the optimizer, or warm-started from a model trained with
   * another solver) moves each weight by about the step size on its first step, whatever the
   * iteration. Failed before the fix: at iteration 20 the first step of adam was 0.51x the step
   * size, at iteration 3000 3.1x (adamw, which counted its own steps, passed).
   */
  @Test
  void aFreshAdamTakesAFirstStepOfAboutTheStepSizeAtAnyIteration() {
    OptimizerSettings noDecay = OptimizerSettings.defaults().withWeightDecay(0);
    for (String solver : new String[] {"adam", "adamw"}) {
      for (int iteration : new int[] {1, 20, 3000}) {
        double[] w = {1, -2};
        Optimizers.create(solver, 2, noDecay).step(w, 0, new double[] {0.5, -4}, 0.01, iteration);
        String where = solver + " joining at iteration " + iteration;
        assertEquals(0.99, w[0], 1e-9, where);
        assertEquals(-1.99, w[1], 1e-9, where);
      }
    }
  }

  @Test
  void adamAndAdamWAreOneImplementation() {
    assertEquals(Optimizers.create("adam", 2).getClass(), Optimizers.create("adamw", 2).getClass());
    assertEquals(Optimizers.create("adam", 2).state().keySet(),
        Optimizers.create("adamw", 2).state().keySet());
  }

  @Test
  void adamStateRoundTripContinuesIdentically() {
    double[][] gradients = {{0.5, -1, 0.2}, {-0.25, 2, 0.3}, {1.5, 0.1, -0.4}, {0.2, 0.2, 0.2},
        {-1, 0.5, 0.9}};
    Adam original = new Adam(3);
    double[] w = {0.1, 0.2, 0.3};
    for (int t = 1; t <= 3; t++) {
      original.step(w, 0, gradients[t - 1].clone(), 0.01, t);
    }
    Map<String, double[]> saved = new HashMap<>();
    original.state().forEach((k, v) -> saved.put(k, v.clone()));
    assertEquals(Map.of("m", 3, "v", 3), Map.of("m", saved.get("m").length, "v",
        saved.get("v").length));

    Adam resumed = new Adam(3);
    resumed.restoreState(saved);
    double[] w2 = w.clone();
    for (int t = 4; t <= 5; t++) {
      original.step(w, 0, gradients[t - 1].clone(), 0.01, t);
      resumed.step(w2, 0, gradients[t - 1].clone(), 0.01, t);
      assertArrayEquals(w, w2, 0.0, "step " + t);
    }
    // Without the state the same steps go elsewhere, so the round trip mattered.
    Adam fresh = new Adam(3);
    double[] w3 = w.clone();
    double[] w4 = w.clone();
    fresh.step(w3, 0, gradients[0].clone(), 0.01, 6);
    original.step(w4, 0, gradients[0].clone(), 0.01, 6);
    assertTrue(Math.abs(w3[0] - w4[0]) > 1e-6);
  }

  @Test
  void adamStateIsASnapshot() {
    Adam adam = new Adam(2);
    double[] w = {0.1, 0.2};
    adam.step(w, 0, new double[] {1, -1}, 0.01, 1);
    Map<String, double[]> state = adam.state();
    double[] m = state.get("m").clone();
    adam.step(w, 0, new double[] {3, 3}, 0.01, 2);
    assertArrayEquals(m, state.get("m"), 0.0);
  }

  @Test
  void adamRejectsBadStateAndHyperparameters() {
    Adam adam = new Adam(3);
    assertThrows(IllegalArgumentException.class,
        () -> adam.restoreState(Map.of("m", new double[3])));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.restoreState(Map.of("m", new double[3], "v", new double[2], "steps",
            new double[] {1})));
    assertTrue(e.getMessage().contains("'v'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Adam(3, 1.0, 0.999, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(3, 0.9, -0.1, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(3, 0.9, 0.999, 0));
  }

  @Test
  void optimizersAreCreatedByName() {
    assertInstanceOf(GradientDescent.class, Optimizers.create("gd", 3));
    assertInstanceOf(Adam.class, Optimizers.create("ADAM", 3));
    assertTrue(Optimizers.isSupported("Adam"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("lbfgs", 3));
    assertTrue(e.getMessage().contains("lbfgs") && e.getMessage().contains("adam"), e.getMessage());
  }
}
