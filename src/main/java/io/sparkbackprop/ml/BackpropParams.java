package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Activation;
import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
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

  /** The initial weights if set, else null. */
  default Vector getInitialWeights() {
    return isDefined(initialWeights()) ? $(initialWeights()) : null;
  }
}
