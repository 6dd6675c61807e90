package io.sparkbackprop.nn.optim.schedule;

/**
 * Linear warm-up in front of another schedule (Goyal et al. 2017, "Accurate, Large Minibatch SGD",
 * sec. 2.2, gradual warm-up): iterations {@code 1..warmup} ramp linearly to the base rate,
 * {@code rate(t) = base * t / warmup}; afterwards the wrapped schedule runs on its own clock, starting
 * at its iteration 1: {@code rate(t) = after.rate(base, t - warmup)}.
 */
public final class LinearWarmup implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;

  private final int warmup;
  private final LearningRateSchedule after;

  /**
   * @param warmup number of warm-up iterations, >= 1
   * @param after the schedule that follows the warm-up
   */
  public LinearWarmup(int warmup, LearningRateSchedule after) {
    if (warmup < 1) {
      throw new IllegalArgumentException("warmupIterations must be >= 1, got " + warmup);
    }
    if (after == null) {
      throw new IllegalArgumentException("The schedule after the warm-up is missing");
    }
    this.warmup = warmup;
    this.after = after;
  }

  @Override
  public double rate(double baseStepSize, int iteration) {
    LearningRateSchedule.checkIteration(iteration);
    if (iteration <= warmup) {
      return baseStepSize * iteration / warmup;
    }
    return after.rate(baseStepSize, iteration - warmup);
  }

  @Override
  public String toString() {
    return "warmup(" + warmup + ") then " + after;
  }
}
