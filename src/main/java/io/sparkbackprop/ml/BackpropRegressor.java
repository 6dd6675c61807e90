package io.sparkbackprop.ml;

import io.sparkbackprop.nn.TargetScaling;
import io.sparkbackprop.train.TrainingInput;
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
    implements BackpropEstimatorParams<BackpropRegressor>, BackpropRegressionParams,
    DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NetworkParams networkParams;
  private final RegressionLossParams lossParams;

  public BackpropRegressor() {
    this(Identifiable.randomUID("backpropRegressor"));
  }

  public BackpropRegressor(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private BackpropRegressor(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.networkParams = new NetworkParams(this);
    this.lossParams = new RegressionLossParams(this);
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

  public BackpropRegressor setLoss(String value) {
    set(loss(), ParamChecks.oneOf("loss", value, RegressionLossParams.LOSSES));
    return this;
  }

  public BackpropRegressor setHuberDelta(double value) {
    set(huberDelta(), ParamChecks.positive("huberDelta", value));
    return this;
  }

  @Override
  public BackpropRegressionModel train(Dataset<?> dataset) {
    String featuresCol = getFeaturesCol();
    TrainingRun.Outcome outcome = TrainingRun.fit(this, dataset,
        TrainingInput.regression(featuresCol, getLabelCol()),
        data -> {
          int[] sizes = TrainingRun.layerSizes(this, data.numFeatures(), featuresCol, 1,
              "one label column ('" + getLabelCol() + "')");
          TargetScaling scaling = TargetScaling.standardizing(data.summary().labelMean(),
              data.summary().labelStdDev());
          return new NetworkSpec(sizes, getActivation(), getLoss(), getHuberDelta(),
              scaling.center(), scaling.scale(), TrainingRun.inputScaling(this, data));
        });
    return new BackpropRegressionModel(uid(), outcome.spec(), outcome.result().weights())
        .setSummary(outcome.summary());
  }

  @Override
  public BackpropRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<BackpropRegressor> read() {
    return new CheckedParamsReader<>(BackpropRegressor.class);
  }

  public static BackpropRegressor load(String path) {
    return read().load(path);
  }
}
