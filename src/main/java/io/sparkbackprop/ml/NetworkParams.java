package io.sparkbackprop.ml;

import io.sparkbackprop.nn.layer.Activation;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params that shape a feed-forward network (hidden layers, MLPC's {@code layers}, the hidden
 * activation, MLPC's {@code initialWeights}), created for one owner once its uid is known; exposed
 * through {@link BackpropParams}.
 */
public final class NetworkParams implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

  final IntArrayParam hiddenLayers;
  final IntArrayParam layers;
  final Param<String> activation;
  final Param<Vector> initialWeights;

  NetworkParams(Params owner) {
    String uid = owner.uid();
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
        "sizes of the hidden layers, e.g. [64, 32]; the input and output sizes are inferred from the "
            + "data (empty for no hidden layer)", Validators.positiveInts(true, 0));
    layers = new IntArrayParam(owner, "layers",
        "all layer sizes from input to output, as in MultilayerPerceptronClassifier; when set it "
            + "overrides hiddenLayers and is checked against the data", Validators.positiveInts(false, 2));
    activation = new Param<>(uid, "activation",
        "activation of the hidden layers: " + String.join(", ", Activation.paramNames()),
        Validators.oneOfIgnoringCase(Activation.paramNames()), String.class);
    initialWeights = new Param<>(uid, "initialWeights",
        "initial weights of the network, laid out as in MultilayerPerceptronClassifier",
        Validators.finiteVector(), Vector.class);

    owner.setDefault(hiddenLayers, new int[] {64});
    owner.setDefault(activation, "relu");
  }
}
