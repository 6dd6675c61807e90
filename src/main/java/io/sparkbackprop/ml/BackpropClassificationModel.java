package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.BlockInference;
import io.sparkbackprop.nn.FittedNetwork;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link BackpropClassifier}: raw predictions are the network's logits (centered),
 * probabilities their softmax. Saved as JSON params plus Parquet weights and training state (see
 * {@link ModelIO}).
 */
public class BackpropClassificationModel
    extends ProbabilisticClassificationModel<Vector, BackpropClassificationModel>
    implements BackpropClassificationParams, NetworkModel {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  final ModelSupport.State state = new ModelSupport.State();

  /** An empty model, for Spark's reflection-based loaders; load or fit to get a usable one. */
  public BackpropClassificationModel() {
    this(Identifiable.randomUID("backpropClassificationModel"));
  }

  public BackpropClassificationModel(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private BackpropClassificationModel(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.feedForward(this, true);
  }

  BackpropClassificationModel(String uid, ModelContent content) {
    this(uid);
    state.content = content;
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  @Override
  public ParamSets paramSets() {
    return params;
  }

  ModelContent content() {
    return ModelSupport.content(this);
  }

  /** Sizes of all layers, input to output. */
  public int[] layerSizes() {
    return content().feedForward().layerSizes();
  }

  /** All weights, laid out as in Spark's MultilayerPerceptronClassificationModel. */
  public Vector weights() {
    return Vectors.dense(content().weights());
  }

  @Override
  public int numFeatures() {
    return state.content == null ? -1 : state.content.feedForward().numFeatures();
  }

  @Override
  public int numClasses() {
    return content().feedForward().outputWidth();
  }

  /**
   * The network's logits, centered on their mean. Centering changes neither the softmax nor the
   * predicted class, but makes {@code rawPrediction[1]} rank rows like the probability of class 1 in
   * the two-class case, which is what BinaryClassificationEvaluator scores by.
   */
  @Override
  public Vector predictRaw(Vector features) {
    double[] logits = content().predictRaw(features, getFeaturesCol());
    double mean = 0;
    for (double z : logits) {
      mean += z;
    }
    mean /= logits.length;
    for (int i = 0; i < logits.length; i++) {
      logits[i] -= mean;
    }
    return Vectors.dense(logits);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    return ClassScores.softmaxInPlace(rawPrediction);
  }

  /**
   * Spark's output columns and semantics (rawPrediction, probability, prediction with thresholds;
   * empty column names are skipped), computed a block of rows at a time.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType outputSchema = transformSchema(dataset.schema(), true);
    double[] thresholds = ClassScores.thresholds(this, numClasses());
    String[] columns = {getRawPredictionCol(), getProbabilityCol(), getPredictionCol()};
    StructType appended = dataset.schema();
    for (String column : columns) {
      if (!column.isEmpty()) {
        appended = appended.add(outputSchema.apply(column));
      }
    }
    if (appended.size() == dataset.schema().size()) {
      return dataset.toDF();
    }
    return BlockInference.appendColumns(dataset, getFeaturesCol(), numFeatures(), getBlockSize(),
        appended, new ClassifierOutputs(content().fitted(), thresholds, !columns[0].isEmpty(),
            !columns[1].isEmpty(), !columns[2].isEmpty()));
  }

  /** Logits of a block turned into the requested output columns; holds no reference to the model. */
  private static final class ClassifierOutputs implements BlockInference.BlockFunction {
    private static final long serialVersionUID = 1L;

    private final FittedNetwork network;
    private final double[] thresholds;
    private final boolean raw;
    private final boolean probability;
    private final boolean prediction;

    ClassifierOutputs(FittedNetwork network, double[] thresholds, boolean raw, boolean probability,
        boolean prediction) {
      this.network = network;
      this.thresholds = thresholds;
      this.raw = raw;
      this.probability = probability;
      this.prediction = prediction;
    }

    @Override
    public Object[][] apply(float[] features, int rows) {
      int k = network.network().outputWidth();
      float[] logits = network.forwardBlock(features, rows);
      int columns = (raw ? 1 : 0) + (probability ? 1 : 0) + (prediction ? 1 : 0);
      Object[][] out = new Object[rows][columns];
      for (int j = 0; j < rows; j++) {
        ClassScores scores = new ClassScores(logits, j * k, k);
        int c = 0;
        if (raw) {
          out[j][c++] = scores.raw();
        }
        if (probability) {
          out[j][c++] = scores.probabilities();
        }
        if (prediction) {
          out[j][c] = (double) scores.predictedClass(thresholds);
        }
      }
      return out;
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    VectorRows.checkDeclaredWidth(schema, getFeaturesCol(), numFeatures());
    return super.transformSchema(schema);
  }

  BackpropClassificationModel setSummary(BackpropTrainingSummary value) {
    state.summary = value;
    return this;
  }

  /**
   * A copy of this model (same uid, params and weights) carrying the diagonal Fisher information
   * of its weights estimated on {@code dataset} ({@link NetworkModel explained there}): one
   * distributed pass over its rows.
   */
  public BackpropClassificationModel withFisher(Dataset<?> dataset) {
    return FisherSupport.withFisher(this, dataset, getFeaturesCol(), getLabelCol());
  }

  @Override
  public BackpropClassificationModel copy(ParamMap extra) {
    return ModelSupport.copy(this, new BackpropClassificationModel(uid()), extra);
  }

  // Java cannot reconcile two inherited findSummaryModel signatures (Scala's covariant Tuple3).
  @SuppressWarnings({"rawtypes", "unchecked"})
  @Override
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  public static MLReader<BackpropClassificationModel> read() {
    return ModelSupport.reader(BackpropClassificationModel.class, BackpropClassificationModel::new,
        true);
  }

  public static BackpropClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "BackpropClassificationModel: uid=" + uid() + ", layers="
        + (state.content == null ? "none"
            : java.util.Arrays.toString(state.content.feedForward().layerSizes()));
  }
}
