package io.sparkbackprop.ml;

import io.sparkbackprop.nn.optim.Optimizers;
import io.sparkbackprop.nn.optim.schedule.LearningRateSchedules;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;

/**
 * Setters for the training params, returning the concrete estimator so calls chain. Each setter
 * checks its value and names the param in the error, before Spark's own validator sees it.
 *
 * @param <T> the estimator type
 */
public interface TrainingEstimatorParams<T extends TrainingEstimatorParams<T>> extends TrainingParams {

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  default T setSolver(String value) {
    set(solver(), ParamChecks.oneOf("solver", value, io.sparkbackprop.nn.optim.Optimizers.names()));
    return self();
  }

  default T setStepSize(double value) {
    set(stepSize(), ParamChecks.positive("stepSize", value));
    return self();
  }

  default T setMaxIter(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("maxIter must be >= 0, got " + value);
    }
    set(maxIter(), value);
    return self();
  }

  default T setTol(double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("tol must be finite and >= 0, got " + value);
    }
    set(tol(), value);
    return self();
  }

  default T setLossPatience(int value) {
    ParamChecks.valid(lossPatience(), value);
    set(lossPatience(), value);
    return self();
  }

  default T setSeed(long value) {
    set(seed(), value);
    return self();
  }

  default T setBlockSize(int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("blockSize must be > 0, got " + value);
    }
    set(blockSize(), value);
    return self();
  }

  default T setMiniBatchFraction(double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException("miniBatchFraction must be in (0, 1], got " + value);
    }
    set(miniBatchFraction(), value);
    return self();
  }

  default T setStandardization(boolean value) {
    set(standardization(), value);
    return self();
  }

  default T setRegParam(double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("regParam must be finite and >= 0, got " + value);
    }
    set(regParam(), value);
    return self();
  }

  default T setElasticNetParam(double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("elasticNetParam must be in [0, 1], got " + value);
    }
    set(elasticNetParam(), value);
    return self();
  }

  default T setMomentum(double value) {
    ParamChecks.valid(momentum(), value);
    set(momentum(), value);
    return self();
  }

  default T setBeta1(double value) {
    ParamChecks.valid(beta1(), value);
    set(beta1(), value);
    return self();
  }

  default T setBeta2(double value) {
    ParamChecks.valid(beta2(), value);
    set(beta2(), value);
    return self();
  }

  default T setEpsilon(double value) {
    ParamChecks.valid(epsilon(), value);
    set(epsilon(), value);
    return self();
  }

  default T setWeightDecay(double value) {
    ParamChecks.valid(weightDecay(), value);
    set(weightDecay(), value);
    return self();
  }

  default T setLearningRateSchedule(String value) {
    set(learningRateSchedule(), ParamChecks.oneOf("learningRateSchedule", value, LearningRateSchedules.names()));
    return self();
  }

  default T setDecayRate(double value) {
    ParamChecks.valid(decayRate(), value);
    set(decayRate(), value);
    return self();
  }

  default T setDecaySteps(int value) {
    ParamChecks.valid(decaySteps(), value);
    set(decaySteps(), value);
    return self();
  }

  default T setMinLearningRateFactor(double value) {
    ParamChecks.valid(minLearningRateFactor(), value);
    set(minLearningRateFactor(), value);
    return self();
  }

  default T setWarmupIters(int value) {
    ParamChecks.valid(warmupIters(), value);
    set(warmupIters(), value);
    return self();
  }

  default T setMaxGradNorm(double value) {
    ParamChecks.valid(maxGradNorm(), value);
    set(maxGradNorm(), value);
    return self();
  }

  default T setClipValue(double value) {
    ParamChecks.valid(clipValue(), value);
    set(clipValue(), value);
    return self();
  }

  default T setAutoStepSize(boolean value) {
    set(autoStepSize(), value);
    return self();
  }

  default T setDropout(double[] value) {
    set(dropout(), ParamChecks.dropout(value));
    return self();
  }

  default T setWeightCol(String value) {
    set(weightCol(), ParamChecks.string("weightCol", value));
    return self();
  }

  default T setValidationIndicatorCol(String value) {
    set(validationIndicatorCol(), ParamChecks.string("validationIndicatorCol", value));
    return self();
  }

  default T setValidationFraction(double value) {
    ParamChecks.valid(validationFraction(), value);
    set(validationFraction(), value);
    return self();
  }

  default T setValidationInterval(int value) {
    ParamChecks.valid(validationInterval(), value);
    set(validationInterval(), value);
    return self();
  }

  default T setEarlyStoppingPatience(int value) {
    ParamChecks.valid(earlyStoppingPatience(), value);
    set(earlyStoppingPatience(), value);
    return self();
  }

  default T setValidationSmoothing(double value) {
    ParamChecks.valid(validationSmoothing(), value);
    set(validationSmoothing(), value);
    return self();
  }

  default T setInitialModelPath(String value) {
    set(initialModelPath(), ParamChecks.string("initialModelPath", value));
    return self();
  }

  default T setCheckpointDir(String value) {
    set(checkpointDir(), ParamChecks.string("checkpointDir", value));
    return self();
  }

  default T setCheckpointInterval(int value) {
    ParamChecks.valid(checkpointInterval(), value);
    set(checkpointInterval(), value);
    return self();
  }

  default T setComputeFisher(boolean value) {
    set(computeFisher(), value);
    return self();
  }

  default T setFisherSampleFraction(double value) {
    ParamChecks.valid(fisherSampleFraction(), value);
    set(fisherSampleFraction(), value);
    return self();
  }

  default T setConsolidation(double value) {
    ParamChecks.valid(consolidation(), value);
    set(consolidation(), value);
    return self();
  }

  default T setDriverTrainingMaxMB(double value) {
    ParamChecks.valid(driverTrainingMaxMB(), value);
    set(driverTrainingMaxMB(), value);
    return self();
  }

  default T setLocalSteps(int value) {
    ParamChecks.valid(localSteps(), value);
    set(localSteps(), value);
    return self();
  }
}
