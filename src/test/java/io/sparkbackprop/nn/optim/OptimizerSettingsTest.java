package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OptimizerSettingsTest {

  @Test
  void defaults() {
    OptimizerSettings d = OptimizerSettings.defaults();
    assertEquals(0.9, d.momentum());
    assertEquals(0.9, d.beta1());
    assertEquals(0.999, d.beta2());
    assertEquals(1e-8, d.epsilon());
    assertEquals(0.01, d.weightDecay());
    assertEquals(0.9, d.rmspropDecay());
    assertEquals(10, d.lbfgsHistory());
  }

  @Test
  void withersChangeOneValue() {
    OptimizerSettings s = OptimizerSettings.defaults().withMomentum(0.5).withBeta1(0.8)
        .withBeta2(0.99).withEpsilon(1e-6).withWeightDecay(0).withRmspropDecay(0.99)
        .withLbfgsHistory(3);
    assertEquals(new OptimizerSettings(0.5, 0.8, 0.99, 1e-6, 0, 0.99, 3), s);
    assertEquals(0.9, OptimizerSettings.defaults().momentum(), "defaults are immutable");
  }

  @Test
  void invalidValuesNameTheSetting() {
    OptimizerSettings d = OptimizerSettings.defaults();
    List<Object[]> cases = List.<Object[]>of(
        new Object[] {"momentum", (Supplier<?>) () -> d.withMomentum(1)},
        new Object[] {"momentum", (Supplier<?>) () -> d.withMomentum(-0.1)},
        new Object[] {"beta1", (Supplier<?>) () -> d.withBeta1(1)},
        new Object[] {"beta2", (Supplier<?>) () -> d.withBeta2(Double.NaN)},
        new Object[] {"epsilon", (Supplier<?>) () -> d.withEpsilon(0)},
        new Object[] {"epsilon", (Supplier<?>) () -> d.withEpsilon(Double.POSITIVE_INFINITY)},
        new Object[] {"weightDecay", (Supplier<?>) () -> d.withWeightDecay(-1e-3)},
        new Object[] {"rmspropDecay", (Supplier<?>) () -> d.withRmspropDecay(1.5)},
        new Object[] {"lbfgsHistory", (Supplier<?>) () -> d.withLbfgsHistory(0)});
    for (Object[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ((Supplier<?>) c[1]).get());
      assertTrue(e.getMessage().startsWith(c[0] + " must be"), e.getMessage());
    }
    IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
        () -> new Adam(2, 0.9, 0.999, 1e-8, -1, null));
    assertTrue(direct.getMessage().startsWith("weightDecay"), direct.getMessage());
  }

  @Test
  void namesListEverySolverAndKeepSparkNames() {
    assertArrayEquals(new String[] {"gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop",
        "adam", "adamw", "l-bfgs"}, Optimizers.names());
    for (String name : Optimizers.names()) {
      assertTrue(Optimizers.isSupported(name.toUpperCase(java.util.Locale.ROOT)), name);
      Optimizer optimizer = Optimizers.create(name.toUpperCase(java.util.Locale.ROOT), 3);
      assertTrue(optimizer != null, name);
    }
    assertTrue(Optimizers.create("gd", 3) instanceof GradientDescent);
    assertTrue(Optimizers.create("l-bfgs", 3) instanceof Lbfgs);
    assertTrue(Optimizers.create("adam", 3) instanceof Adam);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("lbfgs", 3));
    assertTrue(e.getMessage().contains("l-bfgs"), e.getMessage());
  }

  @Test
  void settingsReachTheOptimizers() {
    // Momentum 0 turns both momentum rules into gradient descent.
    OptimizerSettings noMomentum = OptimizerSettings.defaults().withMomentum(0);
    for (String name : new String[] {"momentum", "nesterov"}) {
      double[] w = {1, 2};
      Optimizers.create(name, 2, noMomentum).step(w, 0, new double[] {1, -1}, 0.5, 1);
      Optimizers.create(name, 2, noMomentum).step(w, 0, new double[] {1, -1}, 0.5, 1);
      assertArrayEquals(new double[] {0, 3}, w, 0, name);
    }
    // Epsilon dominates a tiny gradient in AdaGrad, RMSProp, Adam and AdamW.
    for (String name : new String[] {"adagrad", "rmsprop", "adam", "adamw"}) {
      double[] small = {1, 1};
      double[] big = {1, 1};
      OptimizerSettings noDecay = OptimizerSettings.defaults().withWeightDecay(0);
      Optimizers.create(name, 2, noDecay).step(small, 0, new double[] {1e-6, 1e-6}, 0.1, 1);
      Optimizers.create(name, 2, noDecay.withEpsilon(1)).step(big, 0,
          new double[] {1e-6, 1e-6}, 0.1, 1);
      assertTrue(1 - small[0] > 1e-2 && 1 - big[0] < 1e-5, name + " " + small[0] + " " + big[0]);
    }
    // RMSProp's decay sets its first step: stepSize / sqrt(1 - decay) per weight.
    double[] w = {0};
    Optimizers.create("rmsprop", 1, OptimizerSettings.defaults().withRmspropDecay(0.99))
        .step(w, 0, new double[] {2}, 0.1, 1);
    assertEquals(-0.1 / Math.sqrt(0.01), w[0], 1e-6);
    // Adam's betas: beta1 = 0 makes each step use only the newest gradient.
    double[] a = {0};
    Optimizer adam = Optimizers.create("adam", 1, OptimizerSettings.defaults().withBeta1(0));
    adam.step(a, 0, new double[] {1}, 0.1, 1);
    double afterOne = a[0];
    adam.step(a, 0, new double[] {-1}, 0.1, 2);
    assertNotEquals(afterOne, a[0]);
    assertTrue(a[0] > afterOne, "with beta1 = 0 the second step follows the new gradient sign");
    // L-BFGS history length.
    Lbfgs lbfgs = (Lbfgs) Optimizers.create("l-bfgs", 2,
        OptimizerSettings.defaults().withLbfgsHistory(2));
    OptimizerProblems.run(lbfgs, OptimizerProblems.ROSENBROCK, new double[] {-1.2, 1}, 1, 15);
    assertEquals(2, lbfgs.state().get("historyCount")[0]);
  }
}
