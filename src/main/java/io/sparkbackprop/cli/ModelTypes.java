package io.sparkbackprop.cli;

import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.ml.BackpropRegressor;
import io.sparkbackprop.ml.RecurrentClassifier;
import io.sparkbackprop.ml.RecurrentRegressor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The model types {@code --model-type} accepts. A new network family is one more entry here; every
 * param of its estimators is then reachable by its Spark name through {@code --param} and
 * {@code --config}.
 */
final class ModelTypes {
  private ModelTypes() {}

  static final List<ModelType> ALL = List.of(
      new ModelType("feedforward",
          "dense layers over numeric columns (BackpropClassifier / BackpropRegressor)",
          listener -> new BackpropClassifier().setTrainingListener(listener),
          listener -> new BackpropRegressor().setTrainingListener(listener),
          FeatureLayout.VECTOR),
      new ModelType("recurrent",
          "RNN, LSTM or GRU over one array column of sequences (RecurrentClassifier / "
              + "RecurrentRegressor; params cell, hiddenSize, numLayers, bidirectional, ...)",
          listener -> new RecurrentClassifier().setTrainingListener(listener),
          listener -> new RecurrentRegressor().setTrainingListener(listener),
          FeatureLayout.SEQUENCE));

  /** The type called {@code name} (any case). */
  static ModelType named(String name) {
    for (ModelType type : ALL) {
      if (type.name().equalsIgnoreCase(name.trim())) {
        return type;
      }
    }
    throw CliException.usage("unknown --model-type '" + name + "'; known: " + names());
  }

  /** The known names, comma separated. */
  static String names() {
    return ALL.stream().map(ModelType::name).collect(Collectors.joining(", "));
  }
}
