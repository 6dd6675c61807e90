package io.sparkbackprop.distributed;

import java.io.Serializable;

/**
 * What sequence training reads besides the columns of {@link TrainingInput}: how the features
 * column turns into steps, whether labels come one per step (an array as long as the sequence,
 * numbers or tokens of the features' vocabulary) or one per sequence, and the longest sequence
 * accepted.
 */
public record SequenceInput(TrainingInput columns, SequenceEncoding encoding, boolean perStepLabels,
    boolean tokenLabels, int maxSequenceLength) implements Serializable {

  public SequenceInput {
    if (maxSequenceLength < 1) {
      throw new IllegalArgumentException("maxSequenceLength must be at least 1, got "
          + maxSequenceLength);
    }
    if (tokenLabels && (!perStepLabels || encoding.kind() != SequenceEncoding.Kind.TOKENS)) {
      throw new IllegalArgumentException("Token labels need token features and per-step labels");
    }
  }
}
