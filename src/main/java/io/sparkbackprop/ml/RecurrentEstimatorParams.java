package io.sparkbackprop.ml;

import io.sparkbackprop.nn.layer.RecurrentCell;

/**
 * Setters for the recurrent params, returning the concrete estimator so calls chain.
 *
 * @param <T> the estimator type
 */
public interface RecurrentEstimatorParams<T extends RecurrentEstimatorParams<T>>
    extends TrainingEstimatorParams<T>, RecurrentParams {

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  default T setCell(String value) {
    set(cell(), ParamChecks.oneOf("cell", value, RecurrentCell.paramNames()));
    return self();
  }

  default T setHiddenSize(int value) {
    set(hiddenSize(), atLeast("hiddenSize", value, 1));
    return self();
  }

  default T setNumLayers(int value) {
    set(numLayers(), atLeast("numLayers", value, 1));
    return self();
  }

  default T setBidirectional(boolean value) {
    set(bidirectional(), value);
    return self();
  }

  default T setBpttSteps(int value) {
    set(bpttSteps(), atLeast("bpttSteps", value, 0));
    return self();
  }

  default T setMaxSequenceLength(int value) {
    set(maxSequenceLength(), atLeast("maxSequenceLength", value, 1));
    return self();
  }

  default T setOutputMode(String value) {
    set(outputMode(), ParamChecks.oneOf("outputMode", value, RecurrentParamSet.OUTPUT_MODES));
    return self();
  }

  default T setVocabSize(int value) {
    set(vocabSize(), atLeast("vocabSize", value, 2));
    return self();
  }

  default T setEmbeddingSize(int value) {
    set(embeddingSize(), atLeast("embeddingSize", value, 1));
    return self();
  }

  private static int atLeast(String param, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(param + " must be >= " + min + ", got " + value);
    }
    return value;
  }
}
