package io.sparkbackprop.nn.optim.schedule;

import java.util.Locale;

/** Creates learning-rate schedules from their names (case-insensitive). */
public final class LearningRateSchedules {
  /** The base step size throughout: {@link ConstantSchedule}. */
  public static final String CONSTANT = "constant";
  /** Multiply by {@code gamma} every {@code stepEvery} iterations: {@link StepDecaySchedule}. */
  public static final String STEP = "step";
  /** Multiply by {@code gamma} every iteration: {@link ExponentialSchedule}. */
  public static final String EXPONENTIAL = "exponential";
  /** Cosine annealing to {@code minFactor * base} over the run: {@link CosineSchedule}. */
  public static final String COSINE = "cosine";

  private static final String[] NAMES = {CONSTANT, STEP, EXPONENTIAL, COSINE};

  private LearningRateSchedules() {}

  /** Schedule names accepted by {@link #create}. */
  public static String[] names() {
    return NAMES.clone();
  }

  /**
   * The named schedule, preceded by a {@link LinearWarmup} if {@code settings.warmupIterations() > 0}
   * (the schedule's own clock then starts after the warm-up).
   *
   * <ul>
   *   <li>{@code constant}: needs nothing.
   *   <li>{@code step}: needs {@code gamma} and {@code stepEvery}.
   *   <li>{@code exponential}: needs {@code gamma}.
   *   <li>{@code cosine}: uses {@code minFactor}; decays over the {@code maxIter - warmupIterations}
   *       iterations after the warm-up, which must be at least 1.
   * </ul>
   *
   * @param maxIter the iteration budget of the run (used by {@code cosine} only)
   */
  public static LearningRateSchedule create(String name, int maxIter, ScheduleSettings settings) {
    int warmup = settings.warmupIterations();
    LearningRateSchedule schedule;
    switch (name.toLowerCase(Locale.ROOT)) {
      case CONSTANT:
        schedule = new ConstantSchedule();
        break;
      case STEP:
        requireGamma(name, settings);
        if (settings.stepEvery() < 1) {
          throw new IllegalArgumentException("stepEvery must be set (>= 1) for schedule '" + name
              + "'");
        }
        schedule = new StepDecaySchedule(settings.stepEvery(), settings.gamma());
        break;
      case EXPONENTIAL:
        requireGamma(name, settings);
        schedule = new ExponentialSchedule(settings.gamma());
        break;
      case COSINE:
        if (maxIter - warmup < 1) {
          throw new IllegalArgumentException("warmupIterations (" + warmup
              + ") must be less than maxIter (" + maxIter + ") for schedule '" + name + "'");
        }
        schedule = new CosineSchedule(maxIter - warmup, settings.minFactor());
        break;
      default:
        throw new IllegalArgumentException("Unknown learning-rate schedule '" + name
            + "'; expected one of " + String.join(", ", NAMES));
    }
    return warmup > 0 ? new LinearWarmup(warmup, schedule) : schedule;
  }

  private static void requireGamma(String name, ScheduleSettings settings) {
    if (Double.isNaN(settings.gamma())) {
      throw new IllegalArgumentException("gamma must be set (in (0, 1]) for schedule '" + name
          + "'");
    }
  }
}
