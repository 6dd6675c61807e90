package io.sparkbackprop.ml;

import io.sparkbackprop.nn.layer.Activation;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;

/**
 * Setters for the feed-forward params, returning the concrete estimator so calls chain.
 *
 * @param <T> the estimator type
 */
public interface BackpropEstimatorParams<T extends BackpropEstimatorParams<T>>
    extends TrainingEstimatorParams<T>, BackpropParams {

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  default T setHiddenLayers(int... value) {
    if (value == null || Arrays.stream(value).anyMatch(v -> v <= 0)) {
      throw new IllegalArgumentException("hiddenLayers must hold positive sizes, got "
          + Arrays.toString(value));
    }
    set(hiddenLayers(), value.clone());
    return self();
  }

  default T setLayers(int... value) {
    if (value == null || value.length < 2 || Arrays.stream(value).anyMatch(v -> v <= 0)) {
      throw new IllegalArgumentException("layers must hold at least two positive sizes (input and "
          + "output), got " + Arrays.toString(value));
    }
    set(layers(), value.clone());
    return self();
  }

  default T setActivation(String value) {
    set(activation(), ParamChecks.oneOf("activation", value, io.sparkbackprop.nn.layer.Activation.paramNames()));
    return self();
  }

  default T setInitialWeights(Vector value) {
    if (value == null || value.size() == 0) {
      throw new IllegalArgumentException("initialWeights must be a non-empty vector");
    }
    for (double d : value.toArray()) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("initialWeights must be finite, found " + d);
      }
    }
    set(initialWeights(), value);
    return self();
  }
}
