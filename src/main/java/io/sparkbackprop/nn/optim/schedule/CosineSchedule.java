package io.sparkbackprop.nn.optim.schedule;

/**
 * Cosine annealing from the base rate down to a floor over {@code length} iterations (Loshchilov and
 * Hutter 2017, "SGDR", eq. 5, without restarts):
 *
 * <pre>{@code rate(t) = floor + (base - floor) * (1 + cos(pi * min(t - 1, length) / length)) / 2}</pre>
 *
 * with {@code floor = minFactor * base}. Iteration 1 uses {@code base}; iteration {@code length} is
 * one small step above the floor, and every iteration after {@code length} uses the floor (so the last
 * iteration of a run of {@code length} iterations still moves when the floor is 0).
 */
public final class CosineSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;

  private final int length;
  private final double minFactor;

  /**
   * @param length iterations over which the rate decays, >= 1 (normally {@code maxIter})
   * @param minFactor the floor as a fraction of the base rate, in [0, 1]
   */
  public CosineSchedule(int length, double minFactor) {
    if (length < 1) {
      throw new IllegalArgumentException("cosine schedule length must be >= 1, got " + length);
    }
    ScheduleSettings.checkMinFactor(minFactor);
    this.length = length;
    this.minFactor = minFactor;
  }

  @Override
  public double rate(double baseStepSize, int iteration) {
    LearningRateSchedule.checkIteration(iteration);
    double floor = minFactor * baseStepSize;
    double progress = (double) Math.min(iteration - 1, length) / length;
    return floor + (baseStepSize - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  @Override
  public String toString() {
    return "cosine(length=" + length + ", minFactor=" + minFactor + ")";
  }
}
