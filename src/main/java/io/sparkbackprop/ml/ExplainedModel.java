package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;

/**
 * What {@link Attributions} needs from a fitted model of ours: its content (network, weights,
 * scalings), the features column it reads, its thresholds and, for recurrent models, the longest
 * sequence it accepts.
 *
 * @param thresholds the classifier's thresholds if set, else null
 * @param maxSequenceLength recurrent models' {@code maxSequenceLength}, else 0
 */
record ExplainedModel(ModelContent content, String featuresCol, double[] thresholds,
    int maxSequenceLength) {

  /** The model's parts, or a clear error for a stage that is not one of our fitted models. */
  static ExplainedModel of(Object model) {
    if (model instanceof BackpropClassificationModel m) {
      return new ExplainedModel(m.content(), m.getFeaturesCol(),
          m.isDefined(m.thresholds()) ? m.getThresholds() : null, 0);
    }
    if (model instanceof BackpropRegressionModel m) {
      return new ExplainedModel(m.content(), m.getFeaturesCol(), null, 0);
    }
    if (model instanceof RecurrentClassificationModel m) {
      return new ExplainedModel(m.content(), m.getFeaturesCol(),
          m.isDefined(m.thresholds()) ? m.getThresholds() : null, m.getMaxSequenceLength());
    }
    if (model instanceof RecurrentRegressionModel m) {
      return new ExplainedModel(m.content(), m.getFeaturesCol(), null, m.getMaxSequenceLength());
    }
    throw new IllegalArgumentException("Attributions explain the fitted models of spark-backprop "
        + "(BackpropClassificationModel, BackpropRegressionModel, RecurrentClassificationModel, "
        + "RecurrentRegressionModel), not " + (model == null ? "null"
            : model.getClass().getName()));
  }

  ModelSpec spec() {
    return content.spec();
  }

  boolean isRecurrent() {
    return content.spec() instanceof RecurrentSpec;
  }

  /** The recurrent model's sequence encoding, checked to be numeric. */
  SequenceEncoding encoding() {
    SequenceEncoding encoding = content.recurrent().encoding();
    if (encoding.kind() == SequenceEncoding.Kind.TOKENS) {
      throw new IllegalArgumentException("Attributions need numeric features; this model reads "
          + "tokens, whose ids have no gradient");
    }
    return encoding;
  }
}
