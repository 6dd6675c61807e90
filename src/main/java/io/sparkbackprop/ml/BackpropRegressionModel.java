package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FittedNetwork;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.StructType;

/** A fitted {@link BackpropRegressor}. Saved as JSON params plus a Parquet weight file. */
public class BackpropRegressionModel extends RegressionModel<Vector, BackpropRegressionModel>
    implements BackpropRegressionParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NetworkParams networkParams;
  private final RegressionLossParams lossParams;
  private NetworkSpec spec;
  private FittedNetwork fitted;
  private transient BackpropTrainingSummary summary;

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
    this.networkParams = new NetworkParams(this);
    this.lossParams = new RegressionLossParams(this);
  }

  BackpropRegressionModel(String uid, NetworkSpec spec, double[] weights) {
    this(uid);
    setNetwork(spec, weights);
  }

  private void setNetwork(NetworkSpec spec, double[] weights) {
    this.spec = spec;
    this.fitted = new FittedNetwork(spec.toNetwork(), weights);
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
  public RegressionLossParams regressionLossParams() {
    return lossParams;
  }

  private FittedNetwork fitted() {
    if (fitted == null) {
      throw new IllegalStateException("Model " + uid() + " has no weights; fit or load it first");
    }
    return fitted;
  }

  /** Sizes of all layers, input to output. */
  public int[] layerSizes() {
    fitted();
    return spec.layerSizes();
  }

  /** All weights (each layer's matrix column-major, then its bias). */
  public Vector weights() {
    return Vectors.dense(fitted().weights());
  }

  /** The label mean and standard deviation used to standardise the label during training. */
  public double[] labelScaling() {
    fitted();
    return new double[] {spec.targetCenter(), spec.targetScale()};
  }

  @Override
  public int numFeatures() {
    return fitted == null ? -1 : spec.numFeatures();
  }

  @Override
  public double predict(Vector features) {
    double raw = fitted().predictRaw(VectorRows.source(features, spec.numFeatures(),
        getFeaturesCol()))[0];
    return raw * spec.targetScale() + spec.targetCenter();
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

  BackpropRegressionModel setSummary(BackpropTrainingSummary value) {
    this.summary = value;
    return this;
  }

  @Override
  public BackpropRegressionModel copy(ParamMap extra) {
    BackpropRegressionModel copy = new BackpropRegressionModel(uid());
    if (fitted != null) {
      copy.spec = spec;
      copy.fitted = fitted;
    }
    copy.summary = summary;
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelIO.save(BackpropRegressionModel.this, spec, fitted().weights(), path, sparkSession());
      }
    };
  }

  public static MLReader<BackpropRegressionModel> read() {
    return new MLReader<>() {
      @Override
      public BackpropRegressionModel load(String path) {
        ModelIO.Loaded<BackpropRegressionModel> loaded = ModelIO.load(path, sparkSession(),
            BackpropRegressionModel.class.getName(), BackpropRegressionModel::new);
        if (NetworkSpec.SOFTMAX_CROSS_ENTROPY.equals(loaded.spec().loss())) {
          throw new IllegalArgumentException("Model at " + path + " is a classifier, not a regressor");
        }
        loaded.instance().setNetwork(loaded.spec(), loaded.weights());
        return loaded.instance();
      }
    };
  }

  public static BackpropRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "BackpropRegressionModel: uid=" + uid() + ", layers="
        + (fitted == null ? "none" : java.util.Arrays.toString(spec.layerSizes()));
  }
}
