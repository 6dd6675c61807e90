package io.sparkbackprop.nn.optim.schedule;

/**
 * Step decay: the rate is multiplied by {@code gamma} every {@code stepEvery} iterations, so
 * iterations {@code 1..stepEvery} use {@code base}, the next {@code stepEvery} use
 * {@code base * gamma}, and so on: {@code rate(t) = base * gamma^floor((t - 1) / stepEvery)}.
 */
public final class StepDecaySchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;

  private final int stepEvery;
  private final double gamma;

  /**
   * @param stepEvery iterations between decays, >= 1
   * @param gamma decay factor, in (0, 1]
   */
  public StepDecaySchedule(int stepEvery, double gamma) {
    if (stepEvery < 1) {
      throw new IllegalArgumentException("stepEvery must be >= 1, got " + stepEvery);
    }
    ScheduleSettings.checkGamma(gamma);
    this.stepEvery = stepEvery;
    this.gamma = gamma;
  }

  @Override
  public double rate(double baseStepSize, int iteration) {
    LearningRateSchedule.checkIteration(iteration);
    return baseStepSize * Math.pow(gamma, (iteration - 1) / stepEvery);
  }

  @Override
  public String toString() {
    return "step(stepEvery=" + stepEvery + ", gamma=" + gamma + ")";
  }
}
