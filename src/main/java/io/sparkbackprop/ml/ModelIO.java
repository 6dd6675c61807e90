package io.sparkbackprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.layer.RecurrentCell;
import io.sparkbackprop.nn.optim.Adam;
import io.sparkbackprop.nn.optim.Optimizers;
import io.sparkbackprop.nn.training.ConvergenceWindow;
import io.sparkbackprop.nn.training.TrainingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * The on-disk format of fitted models, in Spark's layout: {@code path/metadata} holds the class, uid
 * and params as JSON (written by Spark's DefaultParamsWriter), {@code path/data} a one-row Parquet file
 * with the network description and the weights. No Java serialization, so models load across releases.
 *
 * <p>Data columns, format version 2: formatVersion int; network string (JSON describing the network:
 * {@code {"type":"feedforward"}} or {@code {"type":"recurrent","cell":...,"hiddenSize":...}} with
 * every field of {@link RecurrentNetwork.Architecture} and the sequence column's kind and width);
 * layers array&lt;string&gt; (one readable line per layer, for people, not read back); layerSizes
 * array&lt;int&gt; and activation string (feed-forward only, else null); vocabulary
 * array&lt;string&gt; (token models only, id order, else null); loss string, huberDelta double,
 * targetCenter double, targetScale double, inputCenter and inputScale array&lt;double&gt; (null
 * without input standardisation), weights array&lt;double&gt; (each layer's slice in order: for a
 * dense layer its weight matrix column-major, then its bias; for a recurrent layer per direction
 * {@code Wx}, {@code Wh}, bias and cell extras, see {@code RecurrentLayer}).
 *
 * <p>Version 1 (the first release) had no network, layers and vocabulary columns and always held a
 * feed-forward network; it still loads.
 *
 * <p>Models that can continue training also have {@code path/trainingState}, a one-row Parquet
 * file: formatVersion, solver, iterationsDone, draw, nextWeights (null unless the next point differs
 * from the model's weights: a line search under way, or best weights kept by early stopping), the
 * loop's stepScale, bestValidationLoss and validationsSinceBest, and the optimizer's named state
 * arrays (stateNames, stateValues). Version 2 of the state adds bestWeights and lastGoodWeights
 * (nullable arrays), firstLoss (the divergence test's reference) and the convergence window
 * (convergenceMean, convergenceSum, convergenceCount); version 3 adds smoothedValidationLoss and
 * bestSmoothedValidationLoss (where patience stands when it counts on smoothed validation losses).
 * Version 1 and 2 states load without the columns they lack.
 *
 * <p>Models that carry a diagonal Fisher information estimate of their weights (for elastic weight
 * consolidation: {@code computeFisher}, {@code withFisher(dataset)}) also have {@code path/fisher},
 * a one-row Parquet file, format version 1: formatVersion int; fisher array&lt;double&gt; (one
 * value per weight, in the layout of the data file's weights). Models without it load with no
 * estimate.
 *
 * <p>The Spark helpers used here are package-private in Scala but public in bytecode; keeping every
 * such call in this class means a Spark upgrade touches one file.
 */
final class ModelIO {
  /** Version of the training-state file. */
  static final int FORMAT_VERSION = 1;
  /** Version of the data file: 2 describes the network's layers (feed-forward or recurrent). */
  static final int DATA_FORMAT_VERSION = 2;
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Format of the training state; version 1 lacks the columns after stateValues, version 2 the
   * smoothed validation losses, version 3 the fingerprint of the training data.
   */
  static final int STATE_FORMAT_VERSION = 4;
  /** Version of the Fisher information file. */
  static final int FISHER_FORMAT_VERSION = 1;

  private static final StructType FISHER_SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("fisher", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private static final StructType SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("network", DataTypes.StringType, false)
      .add("layers", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("layerSizes", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
      .add("activation", DataTypes.StringType, true)
      .add("vocabulary", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("loss", DataTypes.StringType, false)
      .add("huberDelta", DataTypes.DoubleType, false)
      .add("targetCenter", DataTypes.DoubleType, false)
      .add("targetScale", DataTypes.DoubleType, false)
      .add("inputCenter", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add("inputScale", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private ModelIO() {}

  /** A loaded model instance (params already set) with its content. */
  record Loaded<M>(M instance, ModelContent content) {}

  private static final StructType STATE_SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("solver", DataTypes.StringType, false)
      .add("iterationsDone", DataTypes.IntegerType, false)
      .add("draw", DataTypes.IntegerType, false)
      .add("nextWeights", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add("stepScale", DataTypes.DoubleType, false)
      .add("bestValidationLoss", DataTypes.DoubleType, false)
      .add("validationsSinceBest", DataTypes.IntegerType, false)
      .add("stateNames", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("stateValues", DataTypes.createArrayType(
          DataTypes.createArrayType(DataTypes.DoubleType, false), false), false)
      .add("bestWeights", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add("lastGoodWeights", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add("firstLoss", DataTypes.DoubleType, false)
      .add("convergenceMean", DataTypes.DoubleType, false)
      .add("convergenceSum", DataTypes.DoubleType, false)
      .add("convergenceCount", DataTypes.IntegerType, false)
      .add("smoothedValidationLoss", DataTypes.DoubleType, false)
      .add("bestSmoothedValidationLoss", DataTypes.DoubleType, false)
      .add("data", DataTypes.StringType, true);

  static void save(Params instance, ModelContent content, String path, SparkSession spark) {
    DefaultParamsWriter.saveMetadata(instance, path, spark);
    ModelSpec spec = content.spec();
    InputScaling scaling = spec.inputScaling();
    NetworkSpec ff = spec instanceof NetworkSpec n ? n : null;
    String[] vocabulary = spec instanceof RecurrentSpec r ? r.encoding().vocabulary() : null;
    Row row = RowFactory.create(DATA_FORMAT_VERSION, describeNetwork(spec), spec.describeLayers(),
        ff == null ? null : ff.layerSizes(), ff == null ? null : ff.activation(), vocabulary,
        spec.loss(), spec.huberDelta(), spec.targetCenter(), spec.targetScale(),
        scaling == null ? null : scaling.center(), scaling == null ? null : scaling.scale(),
        content.weights());
    spark.createDataFrame(List.of(row), SCHEMA).repartition(1).write().parquet(path + "/data");
    TrainingState state = content.trainingState();
    if (state != null) {
      List<String> names = new ArrayList<>(state.optimizerState().keySet());
      List<double[]> values = new ArrayList<>();
      names.forEach(name -> values.add(state.optimizerState().get(name)));
      ConvergenceWindow window = state.convergence();
      Row stateRow = RowFactory.create(STATE_FORMAT_VERSION, state.solver(),
          state.iterationsDone(), state.draw(), state.nextWeights(), state.stepScale(),
          state.bestValidationLoss(), state.validationsSinceBest(), names.toArray(new String[0]),
          values.toArray(new double[0][]), state.bestWeights(), state.lastGoodWeights(),
          state.firstLoss(), window.previousMean(), window.sum(), window.count(),
          state.smoothedValidationLoss(), state.bestSmoothedValidationLoss(), state.data());
      spark.createDataFrame(List.of(stateRow), STATE_SCHEMA).repartition(1).write()
          .parquet(path + "/trainingState");
    }
    double[] fisher = content.fisher();
    if (fisher != null) {
      spark.createDataFrame(List.of(RowFactory.create(FISHER_FORMAT_VERSION, fisher)),
          FISHER_SCHEMA).repartition(1).write().parquet(path + "/fisher");
    }
  }

  /** Writes a stage's class, uid and params to {@code path/metadata} (Spark's layout). */
  static void saveMetadata(Params instance, String path, SparkSession spark) {
    DefaultParamsWriter.saveMetadata(instance, path, spark);
  }

  /** Reads {@code path/metadata} of class {@code className} into a new instance with its params. */
  static <M extends Params> M loadMetadata(String path, SparkSession spark, String className,
      Function<String, M> newInstance) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark, className);
    M instance = newInstance.apply(metadata.uid());
    metadata.getAndSetParams(instance, Option.empty());
    return instance;
  }

  /** Loads whatever stage was saved at {@code path}, through its class's own reader. */
  static Object loadStage(String path, SparkSession spark) {
    return DefaultParamsReader.loadParamsInstance(path, spark);
  }

  /**
   * Loads a model saved by {@link #save}: creates the instance with the saved uid, sets the saved
   * params on it and returns it with its spec and weights, after checking they fit together.
   */
  static <M extends Params> Loaded<M> load(String path, SparkSession spark, String className,
      Function<String, M> newInstance) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark, className);
    M instance = newInstance.apply(metadata.uid());
    metadata.getAndSetParams(instance, Option.empty());
    Row row = readRow(spark, path, "/data", "weights");
    int version = row.getInt(row.fieldIndex("formatVersion"));
    if (version < 1 || version > DATA_FORMAT_VERSION) {
      throw new IllegalArgumentException("Model at " + path + " has format version " + version
          + "; this release reads versions 1.." + DATA_FORMAT_VERSION + " (saved by a newer release?)");
    }
    ModelSpec spec = version == 1 || "feedforward".equals(networkType(row, path))
        ? feedForwardSpec(row) : recurrentSpec(row, path);
    double[] weights = doubles(row, "weights");
    long expected = spec.toNetwork().paramCount();
    if (weights.length != expected) {
      throw new IllegalArgumentException("Model at " + path + " is corrupt: its network ("
          + String.join("; ", spec.describeLayers()) + ") needs " + expected + " weights, found "
          + weights.length);
    }
    return new Loaded<>(instance, new ModelContent(spec, weights, loadState(path, spark),
        loadFisher(path, spark, weights.length)));
  }

  /** The saved Fisher information estimate, or null for models saved without one. */
  private static double[] loadFisher(String path, SparkSession spark, int weights) {
    String fisherPath = path + "/fisher";
    if (!exists(fisherPath, spark)) {
      return null;
    }
    Row row = readRow(spark, path, "/fisher", "Fisher information");
    int version = row.getInt(row.fieldIndex("formatVersion"));
    if (version < 1 || version > FISHER_FORMAT_VERSION) {
      throw new IllegalArgumentException("Fisher information at " + fisherPath + " has format "
          + "version " + version + "; this release reads versions 1.." + FISHER_FORMAT_VERSION);
    }
    double[] fisher = doubles(row, "fisher");
    if (fisher.length != weights) {
      throw new IllegalArgumentException("Model at " + path + " is corrupt: its Fisher information"
          + " has " + fisher.length + " values for " + weights + " weights");
    }
    return fisher;
  }

  private static boolean exists(String location, SparkSession spark) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read " + location, e);
    }
  }

  /** The saved training state, or null for models saved without one. */
  private static TrainingState loadState(String path, SparkSession spark) {
    String statePath = path + "/trainingState";
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(statePath);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        return null;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read " + statePath, e);
    }
    Row row = readRow(spark, path, "/trainingState", "training state");
    int version = row.getInt(row.fieldIndex("formatVersion"));
    if (version < 1 || version > STATE_FORMAT_VERSION) {
      throw new IllegalArgumentException("Training state at " + statePath + " has format version "
          + version + "; this release reads versions 1.." + STATE_FORMAT_VERSION);
    }
    List<String> names = row.getList(row.fieldIndex("stateNames"));
    List<scala.collection.Seq<Object>> values = row.getList(row.fieldIndex("stateValues"));
    Map<String, double[]> optimizerState = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      scala.collection.Seq<Object> seq = values.get(i);
      double[] array = new double[seq.size()];
      for (int k = 0; k < array.length; k++) {
        array[k] = (Double) seq.apply(k);
      }
      optimizerState.put(names.get(i), array);
    }
    String solver = row.getString(row.fieldIndex("solver"));
    int iterationsDone = row.getInt(row.fieldIndex("iterationsDone"));
    if (Optimizers.canonicalName(solver).equals(Optimizers.ADAM)
        && optimizerState.containsKey("m") && !optimizerState.containsKey(Adam.STEPS)) {
      // Saved before Adam counted its own steps: its bias correction counted the loop's
      // iterations, so the step count to continue from is the iteration count.
      optimizerState.put(Adam.STEPS, new double[] {iterationsDone});
    }
    double[] next = nullableDoubles(row, "nextWeights");
    TrainingState state = new TrainingState(solver, iterationsDone,
        row.getInt(row.fieldIndex("draw")), optimizerState, next,
        row.getDouble(row.fieldIndex("stepScale")),
        row.getDouble(row.fieldIndex("bestValidationLoss")),
        row.getInt(row.fieldIndex("validationsSinceBest")));
    if (version == 1) {
      return state;
    }
    ConvergenceWindow window = new ConvergenceWindow(
        row.getDouble(row.fieldIndex("convergenceMean")),
        row.getDouble(row.fieldIndex("convergenceSum")),
        row.getInt(row.fieldIndex("convergenceCount")));
    // Version 2 counted patience on each validation loss: its smoothed best is the best loss.
    double smoothed = version >= 3 ? row.getDouble(row.fieldIndex("smoothedValidationLoss"))
        : Double.NaN;
    double bestSmoothed = version >= 3
        ? row.getDouble(row.fieldIndex("bestSmoothedValidationLoss")) : state.bestValidationLoss();
    return new TrainingState(state.solver(), state.iterationsDone(), state.draw(),
        state.optimizerState(), state.nextWeights(), state.stepScale(),
        state.bestValidationLoss(), state.validationsSinceBest(),
        nullableDoubles(row, "bestWeights"), nullableDoubles(row, "lastGoodWeights"),
        row.getDouble(row.fieldIndex("firstLoss")), window, smoothed, bestSmoothed,
        version >= 4 ? row.getString(row.fieldIndex("data")) : null);
  }

  /**
   * The one row of the Parquet file {@code path + part}, or an error that names the model and says
   * it is incomplete (a missing or empty folder, an unreadable file) instead of Spark's "Unable to
   * infer schema for Parquet".
   */
  private static Row readRow(SparkSession spark, String path, String part, String what) {
    try {
      return spark.read().parquet(path + part).head();
    } catch (Exception e) {
      // AnalysisException (missing folder, no Parquet file) is undeclared from Java; an empty
      // file gives NoSuchElementException.
      throw new IllegalArgumentException("Model at " + path + " is incomplete: its " + what + " ("
          + path + part + ") cannot be read: " + e.getMessage() + ". Save the model again, or copy "
          + "the whole model folder", e);
    }
  }

  private static NetworkSpec feedForwardSpec(Row row) {
    List<Integer> sizes = row.getList(row.fieldIndex("layerSizes"));
    return new NetworkSpec(sizes.stream().mapToInt(Integer::intValue).toArray(),
        row.getString(row.fieldIndex("activation")), row.getString(row.fieldIndex("loss")),
        row.getDouble(row.fieldIndex("huberDelta")), row.getDouble(row.fieldIndex("targetCenter")),
        row.getDouble(row.fieldIndex("targetScale")), inputScaling(row));
  }

  /** The network description as JSON: its type and, for recurrent networks, every field. */
  private static String describeNetwork(ModelSpec spec) {
    ObjectNode node = JSON.createObjectNode();
    if (spec instanceof RecurrentSpec r) {
      RecurrentNetwork.Architecture a = r.architecture();
      node.put("type", "recurrent");
      node.put("cell", a.cell().paramName());
      node.put("inputWidth", a.inputWidth());
      node.put("tokens", a.tokens());
      node.put("embeddingSize", a.embeddingSize());
      node.put("hiddenSize", a.hiddenSize());
      node.put("numLayers", a.numLayers());
      node.put("bidirectional", a.bidirectional());
      node.put("bpttSteps", a.bpttSteps());
      node.put("sequenceOutput", a.sequenceOutput());
      node.put("outputWidth", a.outputWidth());
      node.put("maxSteps", a.maxSteps());
      node.put("sequenceKind", r.encoding().kind().name().toLowerCase(java.util.Locale.ROOT));
      node.put("stepWidth", r.encoding().width());
    } else {
      node.put("type", "feedforward");
    }
    return node.toString();
  }

  private static String networkType(Row row, String path) {
    return parse(row, path).path("type").asText("");
  }

  private static JsonNode parse(Row row, String path) {
    try {
      return JSON.readTree(row.getString(row.fieldIndex("network")));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Model at " + path + " has an unreadable network "
          + "description: " + e.getMessage(), e);
    }
  }

  private static RecurrentSpec recurrentSpec(Row row, String path) {
    JsonNode n = parse(row, path);
    if (!"recurrent".equals(n.path("type").asText())) {
      throw new IllegalArgumentException("Model at " + path + " has a network of unknown type '"
          + n.path("type").asText() + "' (saved by a newer release?)");
    }
    RecurrentNetwork.Architecture a = new RecurrentNetwork.Architecture(
        n.path("inputWidth").asInt(), n.path("tokens").asBoolean(), n.path("embeddingSize").asInt(),
        RecurrentCell.fromParamName(n.path("cell").asText()), n.path("hiddenSize").asInt(),
        n.path("numLayers").asInt(), n.path("bidirectional").asBoolean(), 0,
        n.path("bpttSteps").asInt(), n.path("sequenceOutput").asBoolean(),
        n.path("outputWidth").asInt(), n.path("maxSteps").asInt());
    SequenceEncoding encoding;
    switch (n.path("sequenceKind").asText()) {
      case "numbers":
        encoding = SequenceEncoding.numbers();
        break;
      case "vectors":
        encoding = SequenceEncoding.vectors(n.path("stepWidth").asInt());
        break;
      case "tokens":
        List<String> vocabulary = row.getList(row.fieldIndex("vocabulary"));
        encoding = SequenceEncoding.tokens(vocabulary.toArray(new String[0]));
        break;
      default:
        throw new IllegalArgumentException("Model at " + path + " has an unknown sequence kind '"
            + n.path("sequenceKind").asText() + "'");
    }
    return new RecurrentSpec(a, encoding, row.getString(row.fieldIndex("loss")),
        row.getDouble(row.fieldIndex("huberDelta")), row.getDouble(row.fieldIndex("targetCenter")),
        row.getDouble(row.fieldIndex("targetScale")), inputScaling(row));
  }

  private static InputScaling inputScaling(Row row) {
    if (row.isNullAt(row.fieldIndex("inputCenter"))) {
      return null;
    }
    return new InputScaling(doubles(row, "inputCenter"), doubles(row, "inputScale"));
  }

  private static double[] nullableDoubles(Row row, String column) {
    return row.isNullAt(row.fieldIndex(column)) ? null : doubles(row, column);
  }

  private static double[] doubles(Row row, String column) {
    List<Double> list = row.getList(row.fieldIndex(column));
    double[] values = new double[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i);
    }
    return values;
  }
}
