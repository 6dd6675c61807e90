package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.loss.TargetScaling;
import io.sparkbackprop.nn.training.TrainingListener;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A recurrent neural network regressor (Elman RNN, LSTM or GRU) trained by backpropagation through
 * time, on a column of sequences (see {@link RecurrentClassifier} for the accepted types). With
 * {@code outputMode} {@code last} each sequence has one real label (forecasting the next value of a
 * window, scoring a sequence); with {@code sequence} an array label with one value per step. Labels
 * are standardised internally and predictions come back in label units.
 */
public class RecurrentRegressor extends Regressor<Object, RecurrentRegressor, RecurrentRegressionModel>
    implements RecurrentEstimatorParams<RecurrentRegressor>,
    RegressorEstimatorParams<RecurrentRegressor>, RecurrentRegressionParams,
    DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  private transient TrainingListener listener;

  public RecurrentRegressor() {
    this(Identifiable.randomUID("recurrentRegressor"));
  }

  public RecurrentRegressor(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private RecurrentRegressor(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.recurrent(this, false);
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  @Override
  public ParamSets paramSets() {
    return params;
  }

  /** Called on the driver after every training iteration; not a param (not saved). */
  public RecurrentRegressor setTrainingListener(TrainingListener value) {
    this.listener = value;
    return this;
  }

  /** Spark's fit, without casting the label to a number (per-step labels are arrays). */
  @Override
  public RecurrentRegressionModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return copyValues(train(dataset).setParent(this), ParamMap.empty());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    RecurrentTraining.checkColumns(schema, this, getFeaturesCol(), getLabelCol(), true);
    RecurrentTraining.requireNumericLabels(schema, getLabelCol());
    return RecurrentOutputs.regressorSchema(schema, getPredictionCol(), isSequenceOutput());
  }

  @Override
  public RecurrentRegressionModel train(Dataset<?> dataset) {
    String featuresCol = getFeaturesCol();
    String labelCol = getLabelCol();
    ModelContent initial = TrainingRun.initialModel(this,
        path -> RecurrentRegressionModel.load(path).content());
    if (initial != null && !initial.spec().loss().equals(getLoss()) && isSet(loss())) {
      throw new IllegalArgumentException("initialModelPath " + getInitialModelPath() + " was trained "
          + "with loss " + initial.spec().loss() + " but loss is set to " + getLoss());
    }
    SequenceEncoding encoding = RecurrentTraining.encoding(dataset, this, featuresCol, labelCol,
        false, initial);
    int longest = Math.min(RecurrentTraining.longest(dataset, featuresCol),
        getMaxSequenceLength());
    RecurrentTraining.RecurrentPlan plan =
        new RecurrentTraining.RecurrentPlan(this, encoding, false, longest) {
          @Override
          int outputWidth(StackedData data) {
            return 1;
          }

          @Override
          int provisionalOutputWidth() {
            return 1;
          }

          @Override
          RecurrentSpec spec(RecurrentNetwork.Architecture architecture, StackedData data) {
            TargetScaling scaling = TargetScaling.standardizing(data.summary().labelMean(),
                data.summary().labelStdDev());
            return new RecurrentSpec(architecture, encoding, getLoss(), getHuberDelta(),
                scaling.center(), scaling.scale(), inputScaling(data));
          }

          @Override
          public double[] classWeights(StackedData data, int numClasses) {
            return null;
          }

          @Override
          public void save(ModelContent content, String path) {
            ModelSupport.save(copyValues(new RecurrentRegressionModel(uid(), content),
                ParamMap.empty()), path);
          }
        };
    TrainingRun.Outcome outcome = TrainingRun.fit(this, dataset,
        TrainingInput.regression(featuresCol, labelCol), initial, plan,
        TrainingRun.orNone(listener));
    return new RecurrentRegressionModel(uid(), outcome.content()).setSummary(outcome.summary());
  }

  @Override
  public RecurrentRegressor copy(ParamMap extra) {
    RecurrentRegressor copy = defaultCopy(extra);
    copy.listener = listener;
    return copy;
  }

  public static MLReader<RecurrentRegressor> read() {
    return new CheckedParamsReader<>(RecurrentRegressor.class);
  }

  public static RecurrentRegressor load(String path) {
    return read().load(path);
  }
}
