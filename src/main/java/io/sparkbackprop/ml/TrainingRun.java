package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.InputScaling;
import io.sparkbackprop.train.BlockStacker;
import io.sparkbackprop.train.DistributedTrainer;
import io.sparkbackprop.train.StackedData;
import io.sparkbackprop.nn.TrainingConfig;
import io.sparkbackprop.train.TrainingInput;
import io.sparkbackprop.nn.TrainingResult;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/** The fit procedure both estimators share: stack, choose the network, train, release the cache. */
final class TrainingRun {
  private TrainingRun() {}

  /** The network that was trained and how training went. */
  record Outcome(NetworkSpec spec, TrainingResult result) {
    BackpropTrainingSummary summary() {
      return new BackpropTrainingSummary(result.objectiveHistory(), result.stopReason().name());
    }
  }

  /**
   * @param specFor picks the network once the data's width and label summary are known
   */
  static Outcome fit(BackpropParams params, Dataset<?> dataset, TrainingInput input,
      Function<StackedData, NetworkSpec> specFor) {
    TrainingConfig config = new TrainingConfig()
        .solver(params.getSolver())
        .stepSize(params.getStepSize())
        .maxIter(params.getMaxIter())
        .tol(params.getTol())
        .seed(params.getSeed())
        .miniBatchFraction(params.getMiniBatchFraction())
        .regParam(params.getRegParam())
        .elasticNetParam(params.getElasticNetParam())
        .validate();
    try (StackedData data = BlockStacker.stack(dataset, input, params.getBlockSize(),
        StorageLevel.MEMORY_AND_DISK())) {
      NetworkSpec spec = specFor.apply(data);
      FeedForwardNetwork network = spec.toNetwork();
      double[] initial = initialWeights(params, network);
      return new Outcome(spec, DistributedTrainer.train(data, network, initial, config));
    }
  }

  private static double[] initialWeights(BackpropParams params, FeedForwardNetwork network) {
    Vector given = params.getInitialWeights();
    if (given == null) {
      return network.initialParams(params.getSeed());
    }
    if (given.size() != network.paramCount()) {
      throw new IllegalArgumentException("initialWeights has " + given.size() + " entries but layers "
          + Arrays.toString(network.layerSizes()) + " need " + network.paramCount());
    }
    return given.toArray();
  }

  /** The input standardisation the params ask for, from the training data's statistics. */
  static InputScaling inputScaling(BackpropParams params, StackedData data) {
    return params.getStandardization()
        ? InputScaling.standardizing(data.summary().features()) : null;
  }

  /**
   * The full layer sizes: {@code layers} if set (checked against the data), else the input width,
   * {@code hiddenLayers}, and the output width.
   *
   * @param outputWhat describes the output width in errors, e.g. "3 classes in column 'label'"
   */
  static int[] layerSizes(BackpropParams params, int numFeatures, String featuresCol,
      int outputWidth, String outputWhat) {
    int[] layers = params.getLayers();
    if (layers != null) {
      if (layers[0] != numFeatures) {
        throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " starts with "
            + layers[0] + " inputs but column '" + featuresCol + "' holds vectors of size " + numFeatures);
      }
      if (layers[layers.length - 1] != outputWidth) {
        throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " ends with "
            + layers[layers.length - 1] + " outputs but the data has " + outputWhat);
      }
      return layers.clone();
    }
    int[] hidden = params.getHiddenLayers();
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = numFeatures;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = outputWidth;
    return sizes;
  }
}
