package io.sparkbackprop.ml;

import io.sparkbackprop.nn.SoftmaxCrossEntropy;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link BackpropClassifier}: raw predictions are the network's logits (centered),
 * probabilities their softmax. Saved as JSON params plus Parquet weights and training state (see
 * {@link ModelIO}).
 */
public class BackpropClassificationModel
    extends ProbabilisticClassificationModel<Vector, BackpropClassificationModel>
    implements BackpropClassificationParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NetworkParams networkParams;
  private final ClassificationParams classificationParams;
  private ModelContent content;
  private transient BackpropTrainingSummary summary;

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
    this.networkParams = new NetworkParams(this);
    this.classificationParams = new ClassificationParams(this);
  }

  BackpropClassificationModel(String uid, ModelContent content) {
    this(uid);
    this.content = content;
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  @Override
  public NetworkParams networkParams() {
    return networkParams;
  }

  @Override
  public ClassificationParams classificationParams() {
    return classificationParams;
  }

  ModelContent content() {
    return ModelSupport.require(content, uid());
  }

  /** Sizes of all layers, input to output. */
  public int[] layerSizes() {
    return content().spec().layerSizes();
  }

  /** All weights, laid out as in Spark's MultilayerPerceptronClassificationModel. */
  public Vector weights() {
    return Vectors.dense(content().weights());
  }

  @Override
  public int numFeatures() {
    return content == null ? -1 : content.spec().numFeatures();
  }

  @Override
  public int numClasses() {
    return content().spec().outputWidth();
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
    if (!(rawPrediction instanceof DenseVector dense)) {
      throw new IllegalArgumentException("Expected a dense rawPrediction vector, got a sparse one");
    }
    SoftmaxCrossEntropy.softmaxInPlace(dense.values());
    return dense;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    VectorRows.checkDeclaredWidth(schema, getFeaturesCol(), numFeatures());
    return super.transformSchema(schema);
  }

  /** True if this model was produced by {@code fit} in this session (summaries are not saved). */
  public boolean hasSummary() {
    return summary != null;
  }

  /** The training summary; only models fitted in this session have one. */
  public BackpropTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("No training summary available for this "
          + getClass().getSimpleName() + " (loaded models have none)");
    }
    return summary;
  }

  BackpropClassificationModel setSummary(BackpropTrainingSummary value) {
    this.summary = value;
    return this;
  }

  @Override
  public BackpropClassificationModel copy(ParamMap extra) {
    BackpropClassificationModel copy = new BackpropClassificationModel(uid(), content);
    copy.summary = summary;
    return copyValues(copy, extra).setParent(parent());
  }

  // Java cannot reconcile two inherited findSummaryModel signatures (Scala's covariant Tuple3).
  @SuppressWarnings({"rawtypes", "unchecked"})
  @Override
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public MLWriter write() {
    return ModelSupport.writer(this, content);
  }

  public static MLReader<BackpropClassificationModel> read() {
    return ModelSupport.reader(BackpropClassificationModel.class, BackpropClassificationModel::new,
        true, (model, loaded) -> model.content = loaded);
  }

  public static BackpropClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "BackpropClassificationModel: uid=" + uid() + ", layers="
        + (content == null ? "none" : java.util.Arrays.toString(content.spec().layerSizes()));
  }
}
