package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.distributed.SequenceInference;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.loss.TargetScaling;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link RecurrentRegressor}: predictions in label units, one per sequence or an array
 * with one per step. Transforms a block of sequences at a time.
 */
public class RecurrentRegressionModel extends RegressionModel<Object, RecurrentRegressionModel>
    implements RecurrentRegressionParams, NetworkModel {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  final ModelSupport.State state = new ModelSupport.State();

  /** An empty model, for Spark's reflection-based loaders; load or fit to get a usable one. */
  public RecurrentRegressionModel() {
    this(Identifiable.randomUID("recurrentRegressionModel"));
  }

  public RecurrentRegressionModel(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private RecurrentRegressionModel(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.recurrent(this, false);
  }

  RecurrentRegressionModel(String uid, ModelContent content) {
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

  private RecurrentSpec spec() {
    return content().recurrent();
  }

  /** The layers of the network, one description each. */
  public String[] layers() {
    return spec().describeLayers();
  }

  @Override
  public int numFeatures() {
    return state.content == null ? -1 : state.content.spec().numFeatures();
  }

  /** The prediction for one sequence of a many-to-one model. */
  @Override
  public double predict(Object features) {
    RecurrentSpec spec = spec();
    if (spec.sequenceOutput()) {
      throw new UnsupportedOperationException("A model with outputMode 'sequence' predicts one "
          + "value per step; use transform");
    }
    SequenceEncoding encoding = spec.encoding();
    int max = getMaxSequenceLength();
    float[] steps = new float[max * encoding.width()];
    int n = encoding.read(features, steps, max, getFeaturesCol(), "the given sequence");
    float[] out = content().fitted().forwardBlock(steps, BatchShape.sequences(1, n, null));
    return out[0] * spec.targetScale() + spec.targetCenter();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    spec().encoding().checkColumn(schema, getFeaturesCol());
    return RecurrentOutputs.regressorSchema(schema, getPredictionCol(), spec().sequenceOutput());
  }

  /** Appends the prediction column, a block of sequences at a time. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType outputSchema = transformSchema(dataset.schema(), true);
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    RecurrentSpec spec = spec();
    return SequenceInference.appendColumns(dataset, getFeaturesCol(), spec.encoding(),
        getMaxSequenceLength(), getBlockSize(), outputSchema,
        new RecurrentOutputs.Values(content().fitted(),
            new TargetScaling(spec.targetCenter(), spec.targetScale()), spec.sequenceOutput()));
  }

  RecurrentRegressionModel setSummary(BackpropTrainingSummary value) {
    state.summary = value;
    return this;
  }

  /**
   * A copy of this model (same uid, params and weights) carrying the diagonal Fisher information
   * of its weights estimated on {@code dataset} ({@link NetworkModel explained there}): one
   * distributed pass over its rows.
   */
  public RecurrentRegressionModel withFisher(Dataset<?> dataset) {
    return FisherSupport.withFisher(this, dataset, getFeaturesCol(), getLabelCol());
  }

  @Override
  public RecurrentRegressionModel copy(ParamMap extra) {
    return ModelSupport.copy(this, new RecurrentRegressionModel(uid()), extra);
  }

  public static MLReader<RecurrentRegressionModel> read() {
    return ModelSupport.reader(RecurrentRegressionModel.class, RecurrentRegressionModel::new,
        false);
  }

  public static RecurrentRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "RecurrentRegressionModel: uid=" + uid() + ", layers="
        + (state.content == null ? "none"
            : String.join("; ", state.content.spec().describeLayers()));
  }
}
