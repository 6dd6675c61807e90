package io.sparkbackprop.nn.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  private static final double TOL = 1e-15;

  private static LearningRateSchedule create(String name, int maxIter, ScheduleSettings settings) {
    return LearningRateSchedules.create(name, maxIter, settings);
  }

  @Test
  void constant() {
    LearningRateSchedule s = create("constant", 100, ScheduleSettings.defaults());
    assertEquals(0.3, s.rate(0.3, 1));
    assertEquals(0.3, s.rate(0.3, 1000));
  }

  @Test
  void stepDecay() {
    LearningRateSchedule s = create("step", 100,
        ScheduleSettings.defaults().withGamma(0.5).withStepEvery(10));
    assertEquals(0.8, s.rate(0.8, 1), TOL);
    assertEquals(0.8, s.rate(0.8, 10), TOL);
    assertEquals(0.4, s.rate(0.8, 11), TOL);
    assertEquals(0.4, s.rate(0.8, 20), TOL);
    assertEquals(0.2, s.rate(0.8, 21), TOL);
    assertEquals(0.8 / 1024, s.rate(0.8, 101), TOL);
  }

  @Test
  void exponential() {
    LearningRateSchedule s = create("Exponential", 100, ScheduleSettings.defaults().withGamma(0.9));
    assertEquals(0.1, s.rate(0.1, 1), TOL);
    assertEquals(0.09, s.rate(0.1, 2), TOL);
    assertEquals(0.081, s.rate(0.1, 3), TOL);
    assertEquals(0.1 * Math.pow(0.9, 49), s.rate(0.1, 50), TOL);
  }

  @Test
  void cosine() {
    // length 100, floor 0.1 * base: rate(t) = 0.1 + 0.9 * (1 + cos(pi (t - 1) / 100)) / 2 for base 1
    LearningRateSchedule s = create("cosine", 100, ScheduleSettings.defaults().withMinFactor(0.1));
    assertEquals(2.0, s.rate(2.0, 1), TOL);
    assertEquals(2 * (0.1 + 0.9 * 0.5), s.rate(2.0, 51), TOL);   // halfway: cos(pi/2) = 0
    assertEquals(2 * (0.1 + 0.9 * (1 + Math.cos(Math.PI / 4)) / 2), s.rate(2.0, 26), 1e-15);
    assertEquals(2 * (0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.99)) / 2), s.rate(2.0, 100), 1e-15);
    assertEquals(0.2, s.rate(2.0, 101), TOL);                    // the floor, and it stays there
    assertEquals(0.2, s.rate(2.0, 500), TOL);
    // Without a floor the last iteration of the run still moves.
    LearningRateSchedule toZero = create("cosine", 100, ScheduleSettings.defaults());
    assertTrue(toZero.rate(1, 100) > 0);
    assertEquals(0, toZero.rate(1, 101), TOL);
  }

  @Test
  void cosineDecreasesMonotonically() {
    LearningRateSchedule s = create("cosine", 37, ScheduleSettings.defaults().withMinFactor(0.05));
    for (int t = 1; t < 40; t++) {
      assertTrue(s.rate(1, t + 1) <= s.rate(1, t), "t=" + t);
    }
  }

  @Test
  void warmupThenAnySchedule() {
    // 4 warm-up iterations: base * t / 4, then the schedule starts at its own iteration 1.
    ScheduleSettings warm = ScheduleSettings.defaults().withWarmupIterations(4);
    LearningRateSchedule constant = create("constant", 50, warm);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 1, 1},
        rates(constant, 1, 6), TOL);
    LearningRateSchedule step = create("step", 50, warm.withGamma(0.1).withStepEvery(2));
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 1, 1, 0.1, 0.1, 0.01},
        rates(step, 1, 9), 1e-16);
    LearningRateSchedule exponential = create("exponential", 50, warm.withGamma(0.5));
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 1, 0.5, 0.25},
        rates(exponential, 1, 7), TOL);
    // The cosine spans the maxIter - warmup = 10 iterations after the warm-up.
    LearningRateSchedule cosine = create("cosine", 14, warm);
    assertEquals(1, cosine.rate(1, 5), TOL);
    assertEquals(0.5, cosine.rate(1, 10), TOL);
    assertEquals(0, cosine.rate(1, 15), TOL);
    assertEquals(new CosineSchedule(10, 0).rate(3, 7), cosine.rate(3, 11), TOL);
  }

  @Test
  void rejectsMissingOrInvalidParameters() {
    ScheduleSettings d = ScheduleSettings.defaults();
    assertMessage("gamma must be set", () -> create("step", 10, d.withStepEvery(3)));
    assertMessage("stepEvery must be set", () -> create("step", 10, d.withGamma(0.5)));
    assertMessage("gamma must be set", () -> create("exponential", 10, d));
    assertMessage("gamma must be in (0, 1]", () -> d.withGamma(1.5));
    assertMessage("gamma must be in (0, 1]", () -> d.withGamma(0));
    assertMessage("minFactor must be in [0, 1]", () -> d.withMinFactor(-0.1));
    assertMessage("warmupIterations must be >= 0", () -> d.withWarmupIterations(-1));
    assertMessage("stepEvery must be >= 1", () -> d.withStepEvery(-2));
    assertMessage("warmupIterations (10) must be less than maxIter (10)",
        () -> create("cosine", 10, d.withWarmupIterations(10)));
    assertMessage("Unknown learning-rate schedule 'linear'", () -> create("linear", 10, d));
    assertMessage("iteration must be >= 1", () -> new ConstantSchedule().rate(1, 0));
    assertArrayEquals(new String[] {"constant", "step", "exponential", "cosine"},
        LearningRateSchedules.names());
  }

  private static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static double[] rates(LearningRateSchedule schedule, int from, int to) {
    double[] values = new double[to - from + 1];
    for (int t = from; t <= to; t++) {
      values[t - from] = schedule.rate(1, t);
    }
    return values;
  }
}
