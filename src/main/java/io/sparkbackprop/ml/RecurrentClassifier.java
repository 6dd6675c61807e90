package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.training.TrainingListener;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A recurrent neural network classifier (Elman RNN, LSTM or GRU) trained by backpropagation through
 * time, on a column of sequences: {@code array<double>} (one value per step),
 * {@code array<array<double>>} or {@code array<vector>} (features per step), or {@code array<int>} /
 * {@code array<string>} tokens (embedded through a vocabulary built at fit).
 *
 * <p>With {@code outputMode} {@code last} (the default) each sequence has one class label
 * (0..k-1) and gets {@code rawPrediction}, {@code probability} and {@code prediction} like
 * {@link BackpropClassifier}, honouring {@code thresholds}. With {@code sequence} the label is an
 * array with one label per step (class indices, or for token sequences the next tokens themselves:
 * a language model) and the outputs are arrays too.
 */
public class RecurrentClassifier
    extends ProbabilisticClassifier<Object, RecurrentClassifier, RecurrentClassificationModel>
    implements RecurrentEstimatorParams<RecurrentClassifier>,
    ClassifierEstimatorParams<RecurrentClassifier>, RecurrentClassificationParams,
    DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  private transient TrainingListener listener;

  public RecurrentClassifier() {
    this(Identifiable.randomUID("recurrentClassifier"));
  }

  public RecurrentClassifier(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private RecurrentClassifier(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.recurrent(this, true);
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
  public RecurrentClassifier setTrainingListener(TrainingListener value) {
    this.listener = value;
    return this;
  }

  /** Spark's fit, without casting the label to a number (per-step labels are arrays). */
  @Override
  public RecurrentClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return copyValues(train(dataset).setParent(this), ParamMap.empty());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    RecurrentTraining.checkColumns(schema, this, getFeaturesCol(), getLabelCol(), true);
    return RecurrentOutputs.classifierSchema(schema, this, isSequenceOutput(), -1);
  }

  @Override
  public RecurrentClassificationModel train(Dataset<?> dataset) {
    String featuresCol = getFeaturesCol();
    String labelCol = getLabelCol();
    ModelContent initial = TrainingRun.initialModel(this,
        path -> RecurrentClassificationModel.load(path).content());
    boolean tokenLabels = RecurrentTraining.tokenLabels(dataset.schema(), this, labelCol,
        SequenceEncoding.kindOf(dataset.schema(), featuresCol));
    SequenceEncoding encoding = RecurrentTraining.encoding(dataset, this, featuresCol, labelCol,
        tokenLabels, initial);
    int longest = Math.min(RecurrentTraining.longest(dataset, featuresCol),
        getMaxSequenceLength());
    int known = initial != null ? initial.spec().outputWidth()
        : tokenLabels ? encoding.vocabularySize()
        : isSequenceOutput() ? -1 : BackpropClassifier.numClassesFromMetadata(dataset, labelCol);
    RecurrentTraining.RecurrentPlan plan =
        new RecurrentTraining.RecurrentPlan(this, encoding, tokenLabels, longest) {
          @Override
          int outputWidth(StackedData data) {
            return known > 0 ? known : BackpropClassifier.inferredNumClasses(data.summary(), labelCol);
          }

          @Override
          int provisionalOutputWidth() {
            return known > 0 ? known : 2;
          }

          @Override
          RecurrentSpec spec(RecurrentNetwork.Architecture architecture, StackedData data) {
            return new RecurrentSpec(architecture, encoding, ModelSpec.SOFTMAX_CROSS_ENTROPY, 1.0,
                0, 1, inputScaling(data));
          }

          @Override
          public double[] classWeights(StackedData data, int numClasses) {
            return TrainingRun.classWeights(getClassWeights(), getBalanceClasses(),
                data.summary().classWeights(numClasses));
          }

          @Override
          public void save(ModelContent content, String path) {
            ModelSupport.save(copyValues(new RecurrentClassificationModel(uid(), content),
                ParamMap.empty()), path);
          }
        };
    TrainingRun.Outcome outcome = TrainingRun.fit(this, dataset,
        TrainingInput.classification(featuresCol, labelCol, known), initial, plan,
        TrainingRun.orNone(listener));
    return new RecurrentClassificationModel(uid(), outcome.content())
        .setSummary(outcome.summary());
  }

  @Override
  public RecurrentClassifier copy(ParamMap extra) {
    RecurrentClassifier copy = defaultCopy(extra);
    copy.listener = listener;
    return copy;
  }

  public static MLReader<RecurrentClassifier> read() {
    return new CheckedParamsReader<>(RecurrentClassifier.class);
  }

  public static RecurrentClassifier load(String path) {
    return read().load(path);
  }
}
