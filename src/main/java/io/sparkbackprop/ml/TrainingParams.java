package io.sparkbackprop.ml;

import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training params shared by every spark-backprop estimator and model, with their getters. Spark
 * discovers params by reflecting over public no-arg methods returning a {@link Param}; the default
 * methods here count.
 */
public interface TrainingParams extends Params {

  /** The holder of this stage's training params. */
  TrainingParamSet trainingParams();

  default Param<String> solver() {
    return trainingParams().solver;
  }

  default DoubleParam stepSize() {
    return trainingParams().stepSize;
  }

  default IntParam maxIter() {
    return trainingParams().maxIter;
  }

  default DoubleParam tol() {
    return trainingParams().tol;
  }

  default IntParam lossPatience() {
    return trainingParams().lossPatience;
  }

  default LongParam seed() {
    return trainingParams().seed;
  }

  default IntParam blockSize() {
    return trainingParams().blockSize;
  }

  default DoubleParam miniBatchFraction() {
    return trainingParams().miniBatchFraction;
  }

  default BooleanParam standardization() {
    return trainingParams().standardization;
  }

  default DoubleParam regParam() {
    return trainingParams().regParam;
  }

  default DoubleParam elasticNetParam() {
    return trainingParams().elasticNetParam;
  }

  default DoubleParam momentum() {
    return trainingParams().momentum;
  }

  default DoubleParam beta1() {
    return trainingParams().beta1;
  }

  default DoubleParam beta2() {
    return trainingParams().beta2;
  }

  default DoubleParam epsilon() {
    return trainingParams().epsilon;
  }

  default DoubleParam weightDecay() {
    return trainingParams().weightDecay;
  }

  default Param<String> learningRateSchedule() {
    return trainingParams().learningRateSchedule;
  }

  default DoubleParam decayRate() {
    return trainingParams().decayRate;
  }

  default IntParam decaySteps() {
    return trainingParams().decaySteps;
  }

  default DoubleParam minLearningRateFactor() {
    return trainingParams().minLearningRateFactor;
  }

  default IntParam warmupIters() {
    return trainingParams().warmupIters;
  }

  default DoubleParam maxGradNorm() {
    return trainingParams().maxGradNorm;
  }

  default DoubleParam clipValue() {
    return trainingParams().clipValue;
  }

  default BooleanParam autoStepSize() {
    return trainingParams().autoStepSize;
  }

  default DoubleArrayParam dropout() {
    return trainingParams().dropout;
  }

  default Param<String> weightCol() {
    return trainingParams().weightCol;
  }

  default Param<String> validationIndicatorCol() {
    return trainingParams().validationIndicatorCol;
  }

  default DoubleParam validationFraction() {
    return trainingParams().validationFraction;
  }

  default IntParam validationInterval() {
    return trainingParams().validationInterval;
  }

  default IntParam earlyStoppingPatience() {
    return trainingParams().earlyStoppingPatience;
  }

  default DoubleParam validationSmoothing() {
    return trainingParams().validationSmoothing;
  }

  default Param<String> initialModelPath() {
    return trainingParams().initialModelPath;
  }

  default Param<String> checkpointDir() {
    return trainingParams().checkpointDir;
  }

  default IntParam checkpointInterval() {
    return trainingParams().checkpointInterval;
  }

  default IntParam localSteps() {
    return trainingParams().localSteps;
  }

  default DoubleParam driverTrainingMaxMB() {
    return trainingParams().driverTrainingMaxMB;
  }

  default double getDriverTrainingMaxMB() {
    return (Double) $(driverTrainingMaxMB());
  }

  default BooleanParam computeFisher() {
    return trainingParams().computeFisher;
  }

  default DoubleParam fisherSampleFraction() {
    return trainingParams().fisherSampleFraction;
  }

  default DoubleParam consolidation() {
    return trainingParams().consolidation;
  }

  default boolean getComputeFisher() {
    return (Boolean) $(computeFisher());
  }

  default double getFisherSampleFraction() {
    return (Double) $(fisherSampleFraction());
  }

  default double getConsolidation() {
    return (Double) $(consolidation());
  }

  default int getLocalSteps() {
    return (Integer) $(localSteps());
  }

  default String getSolver() {
    return $(solver()).toLowerCase(Locale.ROOT);
  }

  default double getStepSize() {
    return (Double) $(stepSize());
  }

  default int getMaxIter() {
    return (Integer) $(maxIter());
  }

  default double getTol() {
    return (Double) $(tol());
  }

  default int getLossPatience() {
    return (Integer) $(lossPatience());
  }

  default long getSeed() {
    return (Long) $(seed());
  }

  default int getBlockSize() {
    return (Integer) $(blockSize());
  }

  default double getMiniBatchFraction() {
    return (Double) $(miniBatchFraction());
  }

  default boolean getStandardization() {
    return (Boolean) $(standardization());
  }

  default double getRegParam() {
    return (Double) $(regParam());
  }

  default double getElasticNetParam() {
    return (Double) $(elasticNetParam());
  }

  default double getMomentum() {
    return (Double) $(momentum());
  }

  default double getBeta1() {
    return (Double) $(beta1());
  }

  default double getBeta2() {
    return (Double) $(beta2());
  }

  default double getEpsilon() {
    return (Double) $(epsilon());
  }

  default double getWeightDecay() {
    return (Double) $(weightDecay());
  }

  default String getLearningRateSchedule() {
    return $(learningRateSchedule());
  }

  /** The value if set, else null. */
  default Double getDecayRate() {
    return isDefined(decayRate()) ? (Double) $(decayRate()) : null;
  }

  /** The value if set, else null. */
  default Integer getDecaySteps() {
    return isDefined(decaySteps()) ? (Integer) $(decaySteps()) : null;
  }

  default double getMinLearningRateFactor() {
    return (Double) $(minLearningRateFactor());
  }

  default int getWarmupIters() {
    return (Integer) $(warmupIters());
  }

  default double getMaxGradNorm() {
    return (Double) $(maxGradNorm());
  }

  default double getClipValue() {
    return (Double) $(clipValue());
  }

  default boolean getAutoStepSize() {
    return (Boolean) $(autoStepSize());
  }

  default double[] getDropout() {
    return $(dropout());
  }

  /** The value if set, else null. */
  default String getWeightCol() {
    return isDefined(weightCol()) ? $(weightCol()) : null;
  }

  /** The value if set, else null. */
  default String getValidationIndicatorCol() {
    return isDefined(validationIndicatorCol()) ? $(validationIndicatorCol()) : null;
  }

  default double getValidationFraction() {
    return (Double) $(validationFraction());
  }

  default int getValidationInterval() {
    return (Integer) $(validationInterval());
  }

  default int getEarlyStoppingPatience() {
    return (Integer) $(earlyStoppingPatience());
  }

  default double getValidationSmoothing() {
    return (Double) $(validationSmoothing());
  }

  /** The value if set, else null. */
  default String getInitialModelPath() {
    return isDefined(initialModelPath()) ? $(initialModelPath()) : null;
  }

  /** The value if set, else null. */
  default String getCheckpointDir() {
    return isDefined(checkpointDir()) ? $(checkpointDir()) : null;
  }

  default int getCheckpointInterval() {
    return (Integer) $(checkpointInterval());
  }
}
