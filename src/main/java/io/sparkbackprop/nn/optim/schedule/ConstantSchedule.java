package io.sparkbackprop.nn.optim.schedule;

/** The base step size in every iteration. */
public final class ConstantSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;

  @Override
  public double rate(double baseStepSize, int iteration) {
    LearningRateSchedule.checkIteration(iteration);
    return baseStepSize;
  }

  @Override
  public String toString() {
    return "constant";
  }
}
