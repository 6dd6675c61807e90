package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Optimizers;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params every spark-backprop stage shares, created for one owner once its uid is known. Java
 * classes cannot inherit Scala's shared-param traits, so each stage holds one of these and exposes the
 * params through {@link BackpropParams}. Names and meanings follow Spark's
 * MultilayerPerceptronClassifier where it has the same param.
 */
public final class NetworkParams implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  final IntArrayParam hiddenLayers;
  final IntArrayParam layers;
  final Param<String> activation;
  final Param<String> solver;
  final DoubleParam stepSize;
  final IntParam maxIter;
  final DoubleParam tol;
  final LongParam seed;
  final IntParam blockSize;
  final DoubleParam miniBatchFraction;
  final Param<Vector> initialWeights;
  final BooleanParam standardization;
  final DoubleParam regParam;
  final DoubleParam elasticNetParam;

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
    solver = new Param<>(uid, "solver",
        "optimization algorithm: " + String.join(", ", Optimizers.names()),
        Validators.oneOfIgnoringCase(Optimizers.names()), String.class);
    stepSize = new DoubleParam(owner, "stepSize", "learning rate of the solver (> 0)",
        Validators.finiteAbove(0, false));
    maxIter = new IntParam(owner, "maxIter", "maximum number of iterations (>= 0)",
        ParamValidators.gtEq(0));
    tol = new DoubleParam(owner, "tol",
        "convergence tolerance on the relative change of the training loss (>= 0)",
        Validators.finiteAbove(0, true));
    seed = new LongParam(owner, "seed", "random seed for weight initialisation and sampling");
    blockSize = new IntParam(owner, "blockSize",
        "rows stacked into one block for matrix operations (> 0)", ParamValidators.gt(0));
    miniBatchFraction = new DoubleParam(owner, "miniBatchFraction",
        "fraction of the training blocks sampled for each iteration, in (0, 1]",
        ParamValidators.inRange(0, 1, false, true));
    initialWeights = new Param<>(uid, "initialWeights",
        "initial weights of the network, laid out as in MultilayerPerceptronClassifier",
        Validators.finiteVector(), Vector.class);
    standardization = new BooleanParam(owner, "standardization",
        "whether to standardise each feature to mean 0 and variance 1 inside the network (statistics "
            + "from the training data, applied on the fly, stored with the model)");
    regParam = new DoubleParam(owner, "regParam",
        "regularisation strength on the weights (not biases), >= 0", Validators.finiteAbove(0, true));
    elasticNetParam = new DoubleParam(owner, "elasticNetParam",
        "mix of L1 in the penalty, in [0, 1]: 0 is L2 (weight decay), 1 is L1",
        ParamValidators.inRange(0, 1));

    owner.setDefault(hiddenLayers, new int[] {64});
    owner.setDefault(activation, "relu");
    owner.setDefault(solver, Optimizers.ADAM);
    owner.setDefault(stepSize, 0.01);
    owner.setDefault(maxIter, 100);
    owner.setDefault(tol, 1e-6);
    owner.setDefault(seed, (long) owner.getClass().getName().hashCode());
    owner.setDefault(blockSize, 128);
    owner.setDefault(miniBatchFraction, 1.0);
    owner.setDefault(standardization, true);
    owner.setDefault(regParam, 0.0);
    owner.setDefault(elasticNetParam, 0.0);
  }
}
