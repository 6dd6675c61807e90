package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Two steps of each first-order rule computed by hand from w0 = (1, -2) with gradients g1 = (0.5, -1)
 * then g2 = (0.2, 0.4), stepSize 0.1 and the default settings, plus properties that tie the rules to
 * their definitions.
 */
class FirstOrderOptimizersTest {
  private static final double[] W0 = {1, -2};
  private static final double[] G1 = {0.5, -1};
  private static final double[] G2 = {0.2, 0.4};
  private static final double ETA = 0.1;
  private static final double TOL = 1e-12;

  /** Applies two steps and returns the weights after each. */
  private static double[][] twoSteps(Optimizer optimizer) {
    double[] w = W0.clone();
    assertTrue(optimizer.step(w, 0, G1.clone(), ETA, 1));
    double[] w1 = w.clone();
    assertTrue(optimizer.step(w, 0, G2.clone(), ETA, 2));
    return new double[][] {w1, w.clone()};
  }

  @Test
  void momentumTwoSteps() {
    // v1 = -0.1 g1 = (-0.05, 0.1)                       w1 = w0 + v1 = (0.95, -1.9)
    // v2 = 0.9 v1 - 0.1 g2 = (-0.065, 0.05)              w2 = w1 + v2 = (0.885, -1.85)
    double[][] w = twoSteps(Optimizers.create("momentum", 2));
    assertArrayEquals(new double[] {0.95, -1.9}, w[0], TOL);
    assertArrayEquals(new double[] {0.885, -1.85}, w[1], TOL);
  }

  @Test
  void nesterovTwoSteps() {
    // v1 = -0.1 g1 = (-0.05, 0.1)          w1 = w0 + 0.9 v1 - 0.1 g1 = (0.905, -1.81)
    // v2 = 0.9 v1 - 0.1 g2 = (-0.065, 0.05) w2 = w1 + 0.9 v2 - 0.1 g2 = (0.8265, -1.805)
    double[][] w = twoSteps(Optimizers.create("nesterov", 2));
    assertArrayEquals(new double[] {0.905, -1.81}, w[0], TOL);
    assertArrayEquals(new double[] {0.8265, -1.805}, w[1], TOL);
  }

  @Test
  void adagradTwoSteps() {
    // G1 = g1^2 = (0.25, 1)        w1 = w0 - 0.1 g1 / (sqrt(G1) + 1e-8) = (0.900000002, -1.900000001)
    // G2 = G1 + g2^2 = (0.29, 1.16) w2 = w1 - 0.1 g2 / (sqrt(G2) + 1e-8)
    //    = (0.9 - 0.02 / 0.5385165, -1.9 - 0.04 / 1.0770330) = (0.86286094, -1.93713907)
    double[][] w = twoSteps(Optimizers.create("adagrad", 2));
    assertArrayEquals(new double[] {0.900000002, -1.900000001}, w[0], TOL);
    assertArrayEquals(new double[] {0.8628609350542448, -1.9371390682905827}, w[1], TOL);
  }

  @Test
  void rmspropTwoSteps() {
    // s1 = 0.1 g1^2 = (0.025, 0.1)  w1 = w0 - 0.1 g1 / (sqrt(s1) + 1e-8) = w0 -+ 0.1 sqrt(10) ...
    //    = (0.68377225, -1.68377224)
    // s2 = 0.9 s1 + 0.1 g2^2 = (0.0265, 0.106)  w2 = w1 - 0.1 g2 / (sqrt(s2) + 1e-8)
    //    = (0.68377225 - 0.02 / 0.1627882, -1.68377224 - 0.04 / 0.3255764) = (0.56091324, -1.80663126)
    double[][] w = twoSteps(Optimizers.create("rmsprop", 2));
    assertArrayEquals(new double[] {0.6837722539831608, -1.6837722439831617}, w[0], TOL);
    assertArrayEquals(new double[] {0.5609132381635399, -1.8066312635763673}, w[1], TOL);
  }

  @Test
  void adamwTwoSteps() {
    // t=1: mHat = g1, vHat = g1^2, so the Adam part is g1 / (|g1| + 1e-8) ~ (1, -1);
    //      w1 = w0 - 0.1 ((1, -1) + 0.01 w0) = (1 - 0.101, -2 + 0.102) = (0.899, -1.898) (+ eps terms)
    // t=2: m = (0.065, -0.05), v = (0.00028975, 0.00139900),
    //      mHat = m / 0.19 = (0.3421053, -0.2631579), vHat = v / 0.001999 = (0.1449475, 0.5797899)
    //      w2 = w1 - 0.1 (mHat / (sqrt(vHat) + 1e-8) + 0.01 w1) = (0.80824348, -1.86154142)
    double[][] w = twoSteps(Optimizers.create("adamw", 2));
    assertArrayEquals(new double[] {0.899000002, -1.898000001}, w[0], TOL);
    assertArrayEquals(new double[] {0.8082434839009283, -1.861541416661626}, w[1], TOL);
  }

  @Test
  void sgdIsGradientDescent() {
    Optimizer sgd = Optimizers.create("SGD", 2);
    assertTrue(sgd instanceof GradientDescent);
    double[][] w = twoSteps(sgd);
    assertArrayEquals(new double[] {0.95, -1.9}, w[0], TOL);
    assertArrayEquals(new double[] {0.93, -1.94}, w[1], TOL);
  }

  @Test
  void adamwWithoutDecayIsAdam() {
    OptimizerProblems.Problem quadratic = OptimizerProblems.quadratic(
        OptimizerProblems.logSpaced(5, 0.1, 10), new double[] {1, -1, 2, 0, 3});
    double[] start = {0, 0, 0, 1, 1};
    OptimizerSettings noDecay = OptimizerSettings.defaults().withWeightDecay(0);
    double[] adamw = OptimizerProblems.run(Optimizers.create("adamw", 5, noDecay), quadratic, start,
        0.05, 50).finalWeights();
    double[] adam = OptimizerProblems.run(Optimizers.create("adam", 5, noDecay), quadratic, start,
        0.05, 50).finalWeights();
    assertArrayEquals(adam, adamw, 1e-12);
    // With the default decay the two differ: the decay is really applied.
    double[] decayed = OptimizerProblems.run(Optimizers.create("adamw", 5), quadratic, start, 0.05,
        50).finalWeights();
    assertTrue(Math.abs(decayed[4] - adam[4]) > 1e-3, "decay had no effect");
  }

  @Test
  void adamwDecayIsDecoupledFromTheGradient() {
    // A weight with zero gradient has zero moments, so only the decay moves it: by exactly the factor
    // (1 - stepSize * weightDecay) per step, whatever the step size schedule does.
    Optimizer adamw = Optimizers.create("adamw", 2, OptimizerSettings.defaults().withWeightDecay(0.5));
    double[] w = {3, 3};
    double expected = 3;
    double[] rates = {0.1, 0.2, 0.05};
    for (int t = 0; t < rates.length; t++) {
      adamw.step(w, 0, new double[] {1, 0}, rates[t], t + 1);
      expected *= 1 - rates[t] * 0.5;
      assertEquals(expected, w[1], 1e-15);
    }
    // The coupled alternative (decay added to the gradient, as in Adam with L2) would instead move
    // the weight by about one full step per iteration: 3 - 0.35 = 2.65, not 3 * 0.95 * 0.9 * 0.975.
    assertEquals(3 * 0.95 * 0.9 * 0.975, w[1], 1e-15);
  }

  @Test
  void nesterovFollowsSutskeverFormulation() {
    // Sutskever et al. 2013 eq. (3)-(4): v' = mu v - eta grad(theta + mu v), theta' = theta + v'.
    // Our optimizer's weights must equal the look-ahead point theta + mu v at every step.
    OptimizerProblems.Problem quadratic = OptimizerProblems.quadratic(
        OptimizerProblems.logSpaced(4, 1, 30), new double[] {0.5, -1, 2, 0});
    double mu = 0.9;
    double eta = 0.02;
    double[] theta = {1, 1, 1, 1};
    double[] v = new double[4];
    double[] phi = theta.clone();
    double[] g = new double[4];
    Optimizer nesterov = Optimizers.create("nesterov", 4);
    for (int t = 1; t <= 30; t++) {
      double[] lookAhead = new double[4];
      for (int i = 0; i < 4; i++) {
        lookAhead[i] = theta[i] + mu * v[i];
      }
      quadratic.evaluate(lookAhead, g);
      for (int i = 0; i < 4; i++) {
        v[i] = mu * v[i] - eta * g[i];
        theta[i] += v[i];
      }
      double[] gPhi = new double[4];
      nesterov.step(phi, quadratic.evaluate(phi, gPhi), gPhi, eta, t);
      for (int i = 0; i < 4; i++) {
        assertEquals(theta[i] + mu * v[i], phi[i], 1e-12, "step " + t + " weight " + i);
      }
    }
  }
}
