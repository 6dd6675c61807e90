package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.BlockInference;
import io.sparkbackprop.nn.FittedNetwork;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link BackpropRegressor}. Saved as JSON params plus Parquet weights and training state.
 */
public class BackpropRegressionModel extends RegressionModel<Vector, BackpropRegressionModel>
    implements BackpropRegressionParams, NetworkModel {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  final ModelSupport.State state = new ModelSupport.State();

  /** An empty model, for Spark's reflection-based loaders; load or fit to get a usable one. */
  public BackpropRegressionModel() {
    this(Identifiable.randomUID("backpropRegressionModel"));
  }

  public BackpropRegressionModel(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private BackpropRegressionModel(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.feedForward(this, false);
  }

  BackpropRegressionModel(String uid, ModelContent content) {
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

  /** All weights (each layer's matrix column-major, then its bias). */
  public Vector weights() {
    return Vectors.dense(content().weights());
  }

  /** The label mean and standard deviation used to standardise the label during training. */
  public double[] labelScaling() {
    NetworkSpec spec = content().feedForward();
    return new double[] {spec.targetCenter(), spec.targetScale()};
  }

  @Override
  public int numFeatures() {
    return state.content == null ? -1 : state.content.feedForward().numFeatures();
  }

  @Override
  public double predict(Vector features) {
    NetworkSpec spec = content().feedForward();
    double raw = content().predictRaw(features, getFeaturesCol())[0];
    return raw * spec.targetScale() + spec.targetCenter();
  }

  /** Appends the prediction column, computed a block of rows at a time. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType outputSchema = transformSchema(dataset.schema(), true);
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    NetworkSpec spec = content().feedForward();
    return BlockInference.appendColumns(dataset, getFeaturesCol(), numFeatures(), getBlockSize(),
        dataset.schema().add(outputSchema.apply(getPredictionCol())),
        new RegressionOutputs(content().fitted(), spec.targetCenter(), spec.targetScale()));
  }

  /** A block's outputs in label units; holds no reference to the model. */
  private record RegressionOutputs(FittedNetwork network, double center, double scale)
      implements BlockInference.BlockFunction {
    @Override
    public Object[][] apply(float[] features, int rows) {
      float[] outputs = network.forwardBlock(features, rows);
      Object[][] out = new Object[rows][1];
      for (int j = 0; j < rows; j++) {
        out[j][0] = outputs[j] * scale + center;
      }
      return out;
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    VectorRows.checkDeclaredWidth(schema, getFeaturesCol(), numFeatures());
    return super.transformSchema(schema);
  }

  BackpropRegressionModel setSummary(BackpropTrainingSummary value) {
    state.summary = value;
    return this;
  }

  /**
   * A copy of this model (same uid, params and weights) carrying the diagonal Fisher information
   * of its weights estimated on {@code dataset} ({@link NetworkModel explained there}): one
   * distributed pass over its rows.
   */
  public BackpropRegressionModel withFisher(Dataset<?> dataset) {
    return FisherSupport.withFisher(this, dataset, getFeaturesCol(), getLabelCol());
  }

  @Override
  public BackpropRegressionModel copy(ParamMap extra) {
    return ModelSupport.copy(this, new BackpropRegressionModel(uid()), extra);
  }

  public static MLReader<BackpropRegressionModel> read() {
    return ModelSupport.reader(BackpropRegressionModel.class, BackpropRegressionModel::new,
        false);
  }

  public static BackpropRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "BackpropRegressionModel: uid=" + uid() + ", layers="
        + (state.content == null ? "none"
            : java.util.Arrays.toString(state.content.feedForward().layerSizes()));
  }
}
