package io.sparkbackprop.nn.optim.schedule;

import java.io.Serializable;

/**
 * Parameters of the learning-rate schedules, immutable and validated on construction. Which ones a
 * schedule needs is listed in {@link LearningRateSchedules#create}; {@code gamma} and
 * {@code stepEvery} have no default (NaN and 0 mean "not set"), because no single value suits both the
 * step and the exponential schedule.
 *
 * <pre>{@code ScheduleSettings.defaults().withGamma(0.5).withStepEvery(20).withWarmupIterations(5)}</pre>
 *
 * @param gamma decay factor of {@code step} (per {@code stepEvery} iterations) and {@code exponential}
 *     (per iteration), in (0, 1]; NaN when not set
 * @param stepEvery iterations between decays of {@code step}, >= 1; 0 when not set
 * @param minFactor floor of {@code cosine} as a fraction of the base rate, in [0, 1]; default 0
 * @param warmupIterations iterations of linear warm-up before any schedule, >= 0; default 0 (none)
 */
public record ScheduleSettings(double gamma, int stepEvery, double minFactor, int warmupIterations)
    implements Serializable {

  private static final ScheduleSettings DEFAULTS = new ScheduleSettings(Double.NaN, 0, 0.0, 0);

  /** Validates every setting that is set; the exception message names the offending one. */
  public ScheduleSettings {
    if (!Double.isNaN(gamma)) {
      checkGamma(gamma);
    }
    if (stepEvery < 0) {
      throw new IllegalArgumentException("stepEvery must be >= 1 (or 0 for not set), got "
          + stepEvery);
    }
    checkMinFactor(minFactor);
    if (warmupIterations < 0) {
      throw new IllegalArgumentException("warmupIterations must be >= 0, got " + warmupIterations);
    }
  }

  /** gamma and stepEvery not set, minFactor 0, no warm-up. */
  public static ScheduleSettings defaults() {
    return DEFAULTS;
  }

  public ScheduleSettings withGamma(double value) {
    return new ScheduleSettings(value, stepEvery, minFactor, warmupIterations);
  }

  public ScheduleSettings withStepEvery(int value) {
    return new ScheduleSettings(gamma, value, minFactor, warmupIterations);
  }

  public ScheduleSettings withMinFactor(double value) {
    return new ScheduleSettings(gamma, stepEvery, value, warmupIterations);
  }

  public ScheduleSettings withWarmupIterations(int value) {
    return new ScheduleSettings(gamma, stepEvery, minFactor, value);
  }

  static void checkGamma(double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
    }
  }

  static void checkMinFactor(double minFactor) {
    if (!(minFactor >= 0 && minFactor <= 1)) {
      throw new IllegalArgumentException("minFactor must be in [0, 1], got " + minFactor);
    }
  }
}
