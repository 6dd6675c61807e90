package io.sparkbackprop.ml;

import io.sparkbackprop.nn.layer.RecurrentCell;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params that shape a recurrent network and say how sequences are read, created for one owner
 * once its uid is known; exposed through {@link RecurrentParams}.
 */
public final class RecurrentParamSet implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** One output per sequence (the final state feeds the head). */
  public static final String LAST = "last";
  /** One output per step (tagging, next-step prediction, language models). */
  public static final String SEQUENCE = "sequence";
  static final String[] OUTPUT_MODES = {LAST, SEQUENCE};

  final Param<String> cell;
  final IntParam hiddenSize;
  final IntParam numLayers;
  final BooleanParam bidirectional;
  final IntParam bpttSteps;
  final IntParam maxSequenceLength;
  final Param<String> outputMode;
  final IntParam vocabSize;
  final IntParam embeddingSize;

  RecurrentParamSet(Params owner) {
    String uid = owner.uid();
    cell = new Param<>(uid, "cell", "recurrent cell: rnn (Elman, tanh), lstm or gru",
        Validators.oneOfIgnoringCase(RecurrentCell.paramNames()), String.class);
    hiddenSize = new IntParam(owner, "hiddenSize", "state size of each recurrent layer (> 0)",
        ParamValidators.gt(0));
    numLayers = new IntParam(owner, "numLayers", "number of stacked recurrent layers (>= 1)",
        ParamValidators.gtEq(1));
    bidirectional = new BooleanParam(owner, "bidirectional",
        "whether each recurrent layer also reads the sequence backwards (outputs both states)");
    bpttSteps = new IntParam(owner, "bpttSteps",
        "truncate backpropagation through time to this many steps back from each sequence's end "
            + "(0 = full sequences)", ParamValidators.gtEq(0));
    maxSequenceLength = new IntParam(owner, "maxSequenceLength",
        "longest sequence accepted (>= 1); longer ones fail with a message naming the row",
        ParamValidators.gtEq(1));
    outputMode = new Param<>(uid, "outputMode",
        "last: one label and prediction per sequence; sequence: an array label and prediction with "
            + "one value per step", Validators.oneOfIgnoringCase(OUTPUT_MODES), String.class);
    vocabSize = new IntParam(owner, "vocabSize",
        "for token sequences: the most frequent tokens kept in the vocabulary, counting the "
            + "unknown token that stands for all others (>= 2)", ParamValidators.gtEq(2));
    embeddingSize = new IntParam(owner, "embeddingSize",
        "for token sequences: width of the learned token vectors (> 0)", ParamValidators.gt(0));
    owner.setDefault(cell, RecurrentCell.LSTM.paramName());
    owner.setDefault(hiddenSize, 64);
    owner.setDefault(numLayers, 1);
    owner.setDefault(bidirectional, false);
    owner.setDefault(bpttSteps, 0);
    owner.setDefault(maxSequenceLength, 1000);
    owner.setDefault(outputMode, LAST);
    owner.setDefault(vocabSize, 10000);
    owner.setDefault(embeddingSize, 32);
  }

  /**
   * Training defaults that differ for recurrent networks: gradient clipping at norm 1 is on, since
   * exploding gradients through time are the classic failure of recurrent training (Pascanu et al.
   * 2013, "On the difficulty of training recurrent neural networks").
   */
  static void setRecurrentTrainingDefaults(Params owner, TrainingParamSet training) {
    owner.setDefault(training.maxGradNorm, 1.0);
  }
}
