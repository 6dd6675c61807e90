package io.sparkbackprop.cli;

import io.sparkbackprop.nn.training.TrainingListener;
import java.util.function.Function;
import org.apache.spark.ml.Estimator;

/**
 * One kind of network the CLI trains: its name for {@code --model-type}, the estimator for each
 * task (wired to a progress listener), and how input columns become its features.
 *
 * @param name the value of {@code --model-type}
 * @param description one line for {@code --help}
 * @param classifier a new classifier reporting each iteration to the listener
 * @param regressor a new regressor reporting each iteration to the listener
 * @param layout how the feature columns reach the estimator
 */
record ModelType(String name, String description,
    Function<TrainingListener, Estimator<?>> classifier,
    Function<TrainingListener, Estimator<?>> regressor,
    FeatureLayout layout) {

  /** A fresh estimator for {@code task}. */
  Estimator<?> estimator(Task task, TrainingListener listener) {
    return task == Task.CLASSIFICATION ? classifier.apply(listener) : regressor.apply(listener);
  }
}
