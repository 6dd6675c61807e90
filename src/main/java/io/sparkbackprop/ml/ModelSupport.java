package io.sparkbackprop.ml;

import java.util.function.Function;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/** Persistence plumbing and summary access both model classes share. */
final class ModelSupport {
  private ModelSupport() {}

  /** The model's content, or a clear error for a model that was neither fitted nor loaded. */
  static ModelContent require(ModelContent content, String uid) {
    if (content == null) {
      throw new IllegalStateException("Model " + uid + " has no weights; fit or load it first");
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

  static MLWriter writer(Params instance, ModelContent content) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelIO.save(instance, require(content, instance.uid()), path, sparkSession());
      }
    };
  }

  /**
   * A reader for model class {@code type}.
   *
   * @param classifier whether the saved network must be a classifier (else a regressor)
   * @param attach installs the loaded content on the new instance
   */
  static <M extends Params> MLReader<M> reader(Class<M> type, Function<String, M> newInstance,
      boolean classifier, java.util.function.BiConsumer<M, ModelContent> attach) {
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
        attach.accept(loaded.instance(), loaded.content());
        return loaded.instance();
      }
    };
  }
}
