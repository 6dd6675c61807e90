package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.SparkSession;

/**
 * Loads what {@code train} saved, or any Spark ML model saved elsewhere: the class named in the
 * model's metadata is asked to {@code load} it, as Spark's own Pipeline reader does, so every model
 * type (and a PipelineModel of them) loads without a list here.
 */
final class SavedModels {
  private SavedModels() {}

  static Transformer load(SparkSession spark, String path) {
    String className = className(spark, path);
    try {
      Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      Object loaded = type.getMethod("load", String.class).invoke(null, path);
      if (!(loaded instanceof Transformer transformer)) {
        throw CliException.failure("--model " + path + " holds a " + className + ", not a model");
      }
      return transformer;
    } catch (ClassNotFoundException e) {
      throw CliException.failure("--model " + path + " holds a " + className
          + ", which is not on the class path", e);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw CliException.failure("--model " + path + " holds a " + className
          + ", which cannot be loaded", e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw CliException.failure("cannot load --model " + path + ": " + cause.getMessage(), cause);
    }
  }

  /** The model stage that predicts: the last stage of a PipelineModel, or the model itself. */
  static Params predictor(Transformer model) {
    if (model instanceof PipelineModel pipeline) {
      Transformer[] stages = pipeline.stages();
      return stages[stages.length - 1];
    }
    return model;
  }

  /** Whether the model predicts classes (it has a probability or raw-prediction output). */
  static boolean isClassifier(Transformer model) {
    Params stage = predictor(model);
    return stage.hasParam("probabilityCol") || stage.hasParam("rawPredictionCol");
  }

  /** A string param of the predicting stage, or {@code fallback}. */
  static String stringParam(Transformer model, String name, String fallback) {
    Params stage = predictor(model);
    if (stage.hasParam(name) && stage.isDefined(stage.getParam(name))) {
      return String.valueOf(stage.getOrDefault(stage.getParam(name)));
    }
    return fallback;
  }

  private static String className(SparkSession spark, String path) {
    Path metadata = new Path(path, "metadata");
    try {
      FileSystem fs = metadata.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(new Path(path))) {
        throw CliException.failure("--model " + path + " does not exist");
      }
      FileStatus[] parts = fs.exists(metadata) ? fs.globStatus(new Path(metadata, "part-*")) : null;
      if (parts == null || parts.length == 0) {
        throw CliException.failure("--model " + path + " is not a saved Spark ML model (no metadata)");
      }
      String text;
      try (InputStream in = fs.open(parts[0].getPath())) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      JsonNode node = Json.parse(text.lines().findFirst().orElse(""), "model metadata");
      JsonNode type = node.get("class");
      if (type == null || !type.isTextual()) {
        throw CliException.failure("--model " + path + " has metadata without a class name");
      }
      return type.textValue();
    } catch (IOException e) {
      throw CliException.failure("cannot read --model " + path + ": " + e.getMessage(), e);
    }
  }
}
