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
 * The params of feed-forward stages: the training params plus the network's shape. Spark discovers
 * params by reflecting over public no-arg methods returning a {@link Param}; the default methods here
 * count.
 */
public interface BackpropParams extends TrainingParams, ParamSets.Owner {

  @Override
  default TrainingParamSet trainingParams() {
    return paramSets().training;
  }

  /** The holder of this stage's network-shape params. */
  default NetworkParams networkParams() {
    return paramSets().network;
  }

  default IntArrayParam hiddenLayers() {
    return networkParams().hiddenLayers;
  }

  default IntArrayParam layers() {
    return networkParams().layers;
  }

  default Param<String> activation() {
    return networkParams().activation;
  }

  default Param<Vector> initialWeights() {
    return networkParams().initialWeights;
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

  /** The initial weights if set, else null. */
  default Vector getInitialWeights() {
    return isDefined(initialWeights()) ? $(initialWeights()) : null;
  }
}
