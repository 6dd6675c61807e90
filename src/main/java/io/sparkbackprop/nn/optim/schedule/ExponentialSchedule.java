package io.sparkbackprop.nn.optim.schedule;

/**
 * Exponential decay: {@code rate(t) = base * gamma^(t - 1)}, i.e. {@code gamma^k} after {@code k}
 * completed iterations (the first iteration uses {@code base}).
 */
public final class ExponentialSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;

  private final double gamma;

  /** @param gamma decay factor per iteration, in (0, 1] */
  public ExponentialSchedule(double gamma) {
    ScheduleSettings.checkGamma(gamma);
    this.gamma = gamma;
  }

  @Override
  public double rate(double baseStepSize, int iteration) {
    LearningRateSchedule.checkIteration(iteration);
    return baseStepSize * Math.pow(gamma, iteration - 1);
  }

  @Override
  public String toString() {
    return "exponential(gamma=" + gamma + ")";
  }
}
