package io.sparkbackprop.ml;

import io.sparkbackprop.nn.layer.RecurrentCell;
import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/**
 * The params of recurrent stages: the training params shared with the feed-forward stages plus the
 * recurrent network's shape and how sequences are read.
 */
public interface RecurrentParams extends TrainingParams, ParamSets.Owner {

  @Override
  default TrainingParamSet trainingParams() {
    return paramSets().training;
  }

  /** The holder of this stage's recurrent params. */
  default RecurrentParamSet recurrentParams() {
    return paramSets().recurrent;
  }

  default Param<String> cell() {
    return recurrentParams().cell;
  }

  default IntParam hiddenSize() {
    return recurrentParams().hiddenSize;
  }

  default IntParam numLayers() {
    return recurrentParams().numLayers;
  }

  default BooleanParam bidirectional() {
    return recurrentParams().bidirectional;
  }

  default IntParam bpttSteps() {
    return recurrentParams().bpttSteps;
  }

  default IntParam maxSequenceLength() {
    return recurrentParams().maxSequenceLength;
  }

  default Param<String> outputMode() {
    return recurrentParams().outputMode;
  }

  default IntParam vocabSize() {
    return recurrentParams().vocabSize;
  }

  default IntParam embeddingSize() {
    return recurrentParams().embeddingSize;
  }

  default String getCell() {
    return RecurrentCell.fromParamName($(cell())).paramName();
  }

  default int getHiddenSize() {
    return (Integer) $(hiddenSize());
  }

  default int getNumLayers() {
    return (Integer) $(numLayers());
  }

  default boolean getBidirectional() {
    return (Boolean) $(bidirectional());
  }

  default int getBpttSteps() {
    return (Integer) $(bpttSteps());
  }

  default int getMaxSequenceLength() {
    return (Integer) $(maxSequenceLength());
  }

  default String getOutputMode() {
    return $(outputMode()).toLowerCase(Locale.ROOT);
  }

  /** Whether labels and predictions have one value per step. */
  default boolean isSequenceOutput() {
    return RecurrentParamSet.SEQUENCE.equals(getOutputMode());
  }

  default int getVocabSize() {
    return (Integer) $(vocabSize());
  }

  default int getEmbeddingSize() {
    return (Integer) $(embeddingSize());
  }
}
