package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.loss.TargetScaling;
import io.sparkbackprop.nn.training.TrainingListener;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A feed-forward neural network regressor trained by backpropagation, with a linear output. The label
 * is standardised internally (centered on its mean, divided by its standard deviation) so any scale
 * trains well; predictions come back in label units. The loss is half the squared error by default,
 * or Huber for robustness to outliers.
 */
public class BackpropRegressor extends Regressor<Vector, BackpropRegressor, BackpropRegressionModel>
    implements BackpropEstimatorParams<BackpropRegressor>,
    RegressorEstimatorParams<BackpropRegressor>, BackpropRegressionParams,
    DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  private transient TrainingListener listener;

  public BackpropRegressor() {
    this(Identifiable.randomUID("backpropRegressor"));
  }

  public BackpropRegressor(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private BackpropRegressor(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.feedForward(this, false);
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  @Override
  public ParamSets paramSets() {
    return params;
  }

  /**
   * Called on the driver after every training iteration (progress bars, notebooks). Not a param:
   * it is not saved, and copies made by {@link #copy} share it.
   */
  public BackpropRegressor setTrainingListener(TrainingListener value) {
    this.listener = value;
    return this;
  }

  @Override
  public BackpropRegressionModel train(Dataset<?> dataset) {
    String featuresCol = getFeaturesCol();
    ModelContent initial = TrainingRun.initialModel(this,
        path -> BackpropRegressionModel.load(path).content());
    if (initial != null && !initial.spec().loss().equals(getLoss()) && isSet(loss())) {
      throw new IllegalArgumentException("initialModelPath " + getInitialModelPath() + " was trained "
          + "with loss " + initial.spec().loss() + " but loss is set to " + getLoss());
    }
    TrainingRun.Plan plan = new TrainingRun.FeedForwardPlan(this) {
      @Override
      public double defaultRegParam(StackedData data) {
        return FeedForwardDefaults.regressorRegParam(data.summary().rows());
      }

      @Override
      public NetworkSpec freshSpec(StackedData data) {
        int[] sizes = TrainingRun.layerSizes(BackpropRegressor.this, data.numFeatures(), featuresCol,
            1, "one label column ('" + getLabelCol() + "')");
        TargetScaling scaling = TargetScaling.standardizing(data.summary().labelMean(),
            data.summary().labelStdDev());
        return new NetworkSpec(sizes, getActivation(), getLoss(), getHuberDelta(),
            scaling.center(), scaling.scale(), TrainingRun.inputScaling(BackpropRegressor.this, data));
      }

      @Override
      int outputWidth(StackedData data) {
        return 1;
      }

      @Override
      public double[] classWeights(StackedData data, int numClasses) {
        return null;
      }

      @Override
      public void save(ModelContent content, String path) {
        ModelSupport.save(copyValues(new BackpropRegressionModel(uid(), content), ParamMap.empty()),
            path);
      }
    };
    TrainingRun.Outcome outcome = TrainingRun.fit(this, dataset,
        TrainingInput.regression(featuresCol, getLabelCol()), initial, plan,
        TrainingRun.orNone(listener));
    return new BackpropRegressionModel(uid(), outcome.content()).setSummary(outcome.summary());
  }

  @Override
  public BackpropRegressor copy(ParamMap extra) {
    BackpropRegressor copy = defaultCopy(extra);
    copy.listener = listener;
    return copy;
  }

  public static MLReader<BackpropRegressor> read() {
    return new CheckedParamsReader<>(BackpropRegressor.class);
  }

  public static BackpropRegressor load(String path) {
    return read().load(path);
  }
}
