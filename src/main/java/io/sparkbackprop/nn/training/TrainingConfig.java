package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.optim.ElasticConsolidation;
import io.sparkbackprop.nn.optim.OptimizerSettings;
import io.sparkbackprop.nn.optim.Optimizers;
import io.sparkbackprop.nn.optim.schedule.LearningRateSchedules;
import io.sparkbackprop.nn.optim.schedule.ScheduleSettings;

/**
 * Settings of the driver loop. Built fluently by the Spark ML layer from its params; validated by
 * {@link #validate()} before training starts.
 */
public final class TrainingConfig {
  private String solver = "adam";
  private double stepSize = 0.01;
  private int maxIter = 100;
  private double tol = 1e-6;
  private int lossPatience = 0;
  private String data;
  private long seed = 42;
  private double miniBatchFraction = 1.0;
  private int aggregationDepth = 2;
  private double regParam = 0;
  private double elasticNetParam = 0;
  private OptimizerSettings optimizerSettings = OptimizerSettings.defaults();
  private String schedule = LearningRateSchedules.CONSTANT;
  private ScheduleSettings scheduleSettings = ScheduleSettings.defaults();
  private double maxGradNorm = 0;
  private double clipValue = 0;
  private boolean autoStepSize = false;
  private int validationInterval = 1;
  private int earlyStoppingPatience = 0;
  private double validationSmoothing = 0;
  private int checkpointInterval = 0;
  private int localSteps = 1;
  private long driverTrainingMaxBytes = 0;
  private ElasticConsolidation consolidation;

  public String solver() {
    return solver;
  }

  public TrainingConfig solver(String value) {
    this.solver = value;
    return this;
  }

  public double stepSize() {
    return stepSize;
  }

  public TrainingConfig stepSize(double value) {
    this.stepSize = value;
    return this;
  }

  public int maxIter() {
    return maxIter;
  }

  public TrainingConfig maxIter(int value) {
    this.maxIter = value;
    return this;
  }

  public double tol() {
    return tol;
  }

  public TrainingConfig tol(double value) {
    this.tol = value;
    return this;
  }

  /**
   * 0: {@code tol} bounds the relative change between the mean losses of consecutive epochs. P > 0:
   * training stops after more than P epochs in a row that do not lower the best epoch mean loss by
   * more than {@code tol} (see {@link ConvergenceCheck}).
   */
  public int lossPatience() {
    return lossPatience;
  }

  public TrainingConfig lossPatience(int value) {
    this.lossPatience = value;
    return this;
  }

  /**
   * What identifies the training data (the trainer's fingerprint of rows, labels and features),
   * saved with the training state: a run resumed on the same data continues early stopping
   * exactly; on other data (a warm start on a new task) early stopping starts afresh, since the old
   * rows' best validation loss and weights say nothing about the new ones. Null: unknown.
   */
  public String data() {
    return data;
  }

  public TrainingConfig data(String value) {
    this.data = value;
    return this;
  }

  public long seed() {
    return seed;
  }

  public TrainingConfig seed(long value) {
    this.seed = value;
    return this;
  }

  public double miniBatchFraction() {
    return miniBatchFraction;
  }

  public TrainingConfig miniBatchFraction(double value) {
    this.miniBatchFraction = value;
    return this;
  }

  public int aggregationDepth() {
    return aggregationDepth;
  }

  public TrainingConfig aggregationDepth(int value) {
    this.aggregationDepth = value;
    return this;
  }

  public double regParam() {
    return regParam;
  }

  public TrainingConfig regParam(double value) {
    this.regParam = value;
    return this;
  }

  public double elasticNetParam() {
    return elasticNetParam;
  }

  public TrainingConfig elasticNetParam(double value) {
    this.elasticNetParam = value;
    return this;
  }

  public OptimizerSettings optimizerSettings() {
    return optimizerSettings;
  }

  public TrainingConfig optimizerSettings(OptimizerSettings value) {
    this.optimizerSettings = value;
    return this;
  }

  /** Name of the learning-rate schedule (see {@link LearningRateSchedules}). */
  public String schedule() {
    return schedule;
  }

  public TrainingConfig schedule(String value) {
    this.schedule = value;
    return this;
  }

  public ScheduleSettings scheduleSettings() {
    return scheduleSettings;
  }

  public TrainingConfig scheduleSettings(ScheduleSettings value) {
    this.scheduleSettings = value;
    return this;
  }

  /** Largest allowed Euclidean norm of the gradient (larger ones are scaled down); 0 = no limit. */
  public double maxGradNorm() {
    return maxGradNorm;
  }

  public TrainingConfig maxGradNorm(double value) {
    this.maxGradNorm = value;
    return this;
  }

  /** Largest allowed absolute value of each gradient entry; 0 = no limit. */
  public double clipValue() {
    return clipValue;
  }

  public TrainingConfig clipValue(double value) {
    this.clipValue = value;
    return this;
  }

  /** On divergence, halve the step and retry from the last good weights instead of failing. */
  public boolean autoStepSize() {
    return autoStepSize;
  }

  public TrainingConfig autoStepSize(boolean value) {
    this.autoStepSize = value;
    return this;
  }

  /** Evaluate the validation rows every this many iterations. */
  public int validationInterval() {
    return validationInterval;
  }

  public TrainingConfig validationInterval(int value) {
    this.validationInterval = value;
    return this;
  }

  /**
   * Stop after this many validation evaluations without a new best validation loss, keeping the best
   * weights; 0 = no early stopping.
   */
  public int earlyStoppingPatience() {
    return earlyStoppingPatience;
  }

  public TrainingConfig earlyStoppingPatience(int value) {
    this.earlyStoppingPatience = value;
    return this;
  }

  /**
   * Weight of the previous average when patience counts on an exponential average of the
   * validation losses instead of the losses themselves: 0 (the default) counts on each loss, 0.9
   * averages over about ten evaluations, so that one noisy evaluation neither ends training nor
   * resets the count. The best weights are those of the best single validation loss either way.
   */
  public double validationSmoothing() {
    return validationSmoothing;
  }

  public TrainingConfig validationSmoothing(double value) {
    this.validationSmoothing = value;
    return this;
  }

  /** Hand the run to the checkpointer every this many iterations; 0 = never. */
  public int checkpointInterval() {
    return checkpointInterval;
  }

  public TrainingConfig checkpointInterval(int value) {
    this.checkpointInterval = value;
    return this;
  }

  /**
   * SGD steps each partition takes per round from the broadcast weights before the driver averages
   * (see {@link LocalSteps}); 1 = exact synchronous gradients.
   */
  /**
   * Training data up to this size (bytes of the stacked blocks) is trained on the driver, without a
   * Spark job per iteration; 0 (the engine's default) always runs one job per iteration.
   */
  public long driverTrainingMaxBytes() {
    return driverTrainingMaxBytes;
  }

  public TrainingConfig driverTrainingMaxBytes(long value) {
    this.driverTrainingMaxBytes = value;
    return this;
  }

  public int localSteps() {
    return localSteps;
  }

  public TrainingConfig localSteps(int value) {
    this.localSteps = value;
    return this;
  }

  /** The elastic weight consolidation penalty added to the loss, or null for none. */
  public ElasticConsolidation consolidation() {
    return consolidation;
  }

  public TrainingConfig consolidation(ElasticConsolidation value) {
    this.consolidation = value;
    return this;
  }

  /** Fails with a message naming the setting if any value is out of range. */
  public TrainingConfig validate() {
    require(stepSize > 0 && Double.isFinite(stepSize), "stepSize", stepSize, "> 0");
    require(maxIter >= 0, "maxIter", maxIter, ">= 0");
    require(tol >= 0, "tol", tol, ">= 0");
    require(miniBatchFraction > 0 && miniBatchFraction <= 1, "miniBatchFraction", miniBatchFraction,
        "in (0, 1]");
    require(regParam >= 0 && Double.isFinite(regParam), "regParam", regParam, ">= 0");
    require(elasticNetParam >= 0 && elasticNetParam <= 1, "elasticNetParam", elasticNetParam,
        "in [0, 1]");
    require(maxGradNorm >= 0 && Double.isFinite(maxGradNorm), "maxGradNorm", maxGradNorm, ">= 0");
    require(clipValue >= 0 && Double.isFinite(clipValue), "clipValue", clipValue, ">= 0");
    require(validationInterval >= 1, "validationInterval", validationInterval, ">= 1");
    require(earlyStoppingPatience >= 0, "earlyStoppingPatience", earlyStoppingPatience, ">= 0");
    require(lossPatience >= 0, "lossPatience", lossPatience, ">= 0");
    require(validationSmoothing >= 0 && validationSmoothing < 1, "validationSmoothing",
        validationSmoothing, "in [0, 1)");
    require(localSteps >= 1, "localSteps", localSteps, ">= 1");
    require(driverTrainingMaxBytes >= 0, "driverTrainingMaxBytes", driverTrainingMaxBytes, ">= 0");
    require(checkpointInterval >= 0, "checkpointInterval", checkpointInterval, ">= 0");
    require(Optimizers.isSupported(solver), "solver", solver,
        "one of " + String.join(", ", Optimizers.names()));
    LearningRateSchedules.create(schedule, Math.max(1, maxIter), scheduleSettings);
    require(aggregationDepth >= 1, "aggregationDepth", aggregationDepth, ">= 1");
    checkLbfgsCombinations();
    return this;
  }

  /**
   * L-BFGS's Wolfe line search compares losses with the gradient it is given, so that gradient must
   * be the true gradient of the loss it measures: clipping changes it, and a local-steps round
   * returns a model-averaging pseudo-gradient.
   */
  private void checkLbfgsCombinations() {
    if (!Optimizers.canonicalName(solver).equals(Optimizers.LBFGS)) {
      return;
    }
    String why = ": its line search needs the true gradient of the loss it measures";
    if (maxGradNorm > 0) {
      throw new IllegalArgumentException("solver l-bfgs cannot be combined with maxGradNorm ("
          + maxGradNorm + ")" + why + ", and clipping changes it; unset maxGradNorm or choose a "
          + "first-order solver such as adam");
    }
    if (clipValue > 0) {
      throw new IllegalArgumentException("solver l-bfgs cannot be combined with clipValue ("
          + clipValue + ")" + why + ", and clipping changes it; unset clipValue or choose a "
          + "first-order solver such as adam");
    }
    if (localSteps > 1) {
      throw new IllegalArgumentException("solver l-bfgs cannot be combined with localSteps ("
          + localSteps + ")" + why + ", and a local-steps round returns an averaged weight change "
          + "instead; set localSteps to 1 or choose a first-order solver such as gd or momentum");
    }
  }

  private static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + rule + ", got " + value);
    }
  }
}
