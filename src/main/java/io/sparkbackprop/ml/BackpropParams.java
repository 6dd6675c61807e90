package io.sparkbackprop.ml;

import io.sparkbackprop.nn.layer.Activation;
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
 * Params shared by every spark-backprop estimator and model, with their getters. Spark discovers params
 * by reflecting over public no-arg methods returning a {@link Param}; the default methods here count.
 */
public interface BackpropParams extends Params {

  /** The holder of this stage's params. */
  NetworkParams networkParams();

  default IntArrayParam hiddenLayers() {
    return networkParams().hiddenLayers;
  }

  default IntArrayParam layers() {
    return networkParams().layers;
  }

  default Param<String> activation() {
    return networkParams().activation;
  }

  default Param<String> solver() {
    return networkParams().solver;
  }

  default DoubleParam stepSize() {
    return networkParams().stepSize;
  }

  default IntParam maxIter() {
    return networkParams().maxIter;
  }

  default DoubleParam tol() {
    return networkParams().tol;
  }

  default LongParam seed() {
    return networkParams().seed;
  }

  default IntParam blockSize() {
    return networkParams().blockSize;
  }

  default DoubleParam miniBatchFraction() {
    return networkParams().miniBatchFraction;
  }

  default Param<Vector> initialWeights() {
    return networkParams().initialWeights;
  }

  default BooleanParam standardization() {
    return networkParams().standardization;
  }

  default DoubleParam regParam() {
    return networkParams().regParam;
  }

  default DoubleParam elasticNetParam() {
    return networkParams().elasticNetParam;
  }

  default DoubleParam momentum() {
    return networkParams().momentum;
  }

  default DoubleParam beta1() {
    return networkParams().beta1;
  }

  default DoubleParam beta2() {
    return networkParams().beta2;
  }

  default DoubleParam epsilon() {
    return networkParams().epsilon;
  }

  default DoubleParam weightDecay() {
    return networkParams().weightDecay;
  }

  default Param<String> learningRateSchedule() {
    return networkParams().learningRateSchedule;
  }

  default DoubleParam decayRate() {
    return networkParams().decayRate;
  }

  default IntParam decaySteps() {
    return networkParams().decaySteps;
  }

  default DoubleParam minLearningRateFactor() {
    return networkParams().minLearningRateFactor;
  }

  default IntParam warmupIters() {
    return networkParams().warmupIters;
  }

  default DoubleParam maxGradNorm() {
    return networkParams().maxGradNorm;
  }

  default DoubleParam clipValue() {
    return networkParams().clipValue;
  }

  default BooleanParam autoStepSize() {
    return networkParams().autoStepSize;
  }

  default DoubleArrayParam dropout() {
    return networkParams().dropout;
  }

  default Param<String> weightCol() {
    return networkParams().weightCol;
  }

  default Param<String> validationIndicatorCol() {
    return networkParams().validationIndicatorCol;
  }

  default DoubleParam validationFraction() {
    return networkParams().validationFraction;
  }

  default IntParam validationInterval() {
    return networkParams().validationInterval;
  }

  default IntParam earlyStoppingPatience() {
    return networkParams().earlyStoppingPatience;
  }

  default Param<String> initialModelPath() {
    return networkParams().initialModelPath;
  }

  default Param<String> checkpointDir() {
    return networkParams().checkpointDir;
  }

  default IntParam checkpointInterval() {
    return networkParams().checkpointInterval;
  }

  default IntParam localSteps() {
    return networkParams().localSteps;
  }

  default int getLocalSteps() {
    return (Integer) $(localSteps());
  }

  default int[] getHiddenLayers() {
    return $(hiddenLayers());
  }

  /** The full layer sizes if {@code layers} was set, else null. */
  default int[] getLayers() {
    return isDefined(layers()) ? $(layers()) : null;
  }

  default String getActivation() {
    return Activation.fromParamName($(activation())).paramName();
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

  /** The initial weights if set, else null. */
  default Vector getInitialWeights() {
    return isDefined(initialWeights()) ? $(initialWeights()) : null;
  }
}
