package io.sparkbackprop.ml;

import java.util.function.Function;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * What the four fitted models share besides the methods of {@link NetworkModel}: their state,
 * copies, persistence plumbing and summary access.
 */
final class ModelSupport {
  private ModelSupport() {}

  /**
   * What a fitted model holds besides its params: its content (null for a model neither fitted nor
   * loaded) and the summary of a fit made in this session (never saved).
   */
  static final class State implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    ModelContent content;
    transient BackpropTrainingSummary summary;
  }

  /** The state of one of the four fitted models. */
  static State state(Object model) {
    if (model instanceof BackpropClassificationModel m) {
      return m.state;
    }
    if (model instanceof BackpropRegressionModel m) {
      return m.state;
    }
    if (model instanceof RecurrentClassificationModel m) {
      return m.state;
    }
    if (model instanceof RecurrentRegressionModel m) {
      return m.state;
    }
    throw new IllegalArgumentException("Not a fitted model of spark-backprop: "
        + (model == null ? "null" : model.getClass().getName()));
  }

  /**
   * {@code copy}, a new instance with the uid of {@code model}, made its copy: same content,
   * summary, params (plus {@code extra}) and parent.
   */
  static <M extends Model<M>> M copy(M model, M copy, ParamMap extra) {
    State from = state(model);
    State to = state(copy);
    to.content = from.content;
    to.summary = from.summary;
    return model.copyValues(copy, extra).setParent(model.parent());
  }

  /** The model's content, or a clear error for a model that was neither fitted nor loaded. */
  static ModelContent content(Params model) {
    ModelContent content = state(model).content;
    if (content == null) {
      throw new IllegalStateException("Model " + model.uid() + " has no weights; fit or load it "
          + "first");
    }
    return content;
  }

  /** The summary of a model fitted in this session, or a clear error for one that has none. */
  static BackpropTrainingSummary requireSummary(BackpropTrainingSummary summary, Object model) {
    if (summary == null) {
      throw new IllegalStateException("No training summary available for this "
          + model.getClass().getSimpleName() + " (loaded models have none)");
    }
    return summary;
  }

  /** Saves a model at a path that must not exist yet. */
  static void save(org.apache.spark.ml.util.MLWritable model, String path) {
    try {
      model.write().save(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot save model to " + path, e);
    }
  }

  /** The writer of a fitted model. */
  static MLWriter writer(NetworkModel instance) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelIO.save(instance, content(instance), path, sparkSession());
      }
    };
  }

  /**
   * A reader for model class {@code type}.
   *
   * @param classifier whether the saved network must be a classifier (else a regressor)
   */
  static <M extends Params> MLReader<M> reader(Class<M> type, Function<String, M> newInstance,
      boolean classifier) {
    return new MLReader<>() {
      @Override
      public M load(String path) {
        ModelIO.Loaded<M> loaded = ModelIO.load(Checkpoints.resolve(path), sparkSession(),
            type.getName(), newInstance);
        boolean isClassifier = loaded.content().spec().isClassifier();
        if (isClassifier != classifier) {
          throw new IllegalArgumentException("Model at " + path + " is a "
              + (isClassifier ? "classifier" : "regressor") + ", not a "
              + (classifier ? "classifier" : "regressor"));
        }
        state(loaded.instance()).content = loaded.content();
        return loaded.instance();
      }
    };
  }
}
