package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.DataSummary;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.training.TrainingListener;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import scala.Option;

/**
 * A feed-forward neural network classifier trained by backpropagation. A drop-in replacement for
 * Spark's MultilayerPerceptronClassifier (same {@code layers}, {@code solver}, {@code blockSize},
 * {@code initialWeights} params and weight layout) with modern activations and optimizers.
 *
 * <p>Labels are class indices 0..k-1; k comes from {@code layers}, the label column's metadata (as set
 * by StringIndexer) or the largest label (up to {@link TrainingInput#MAX_INFERRED_CLASSES} classes,
 * and only when at least half of the classes occur: see {@link #inferredNumClasses}). Output: {@code rawPrediction} (logits), {@code probability}
 * (softmax) and {@code prediction}, honouring {@code thresholds}.
 */
public class BackpropClassifier
    extends ProbabilisticClassifier<Vector, BackpropClassifier, BackpropClassificationModel>
    implements BackpropEstimatorParams<BackpropClassifier>,
    ClassifierEstimatorParams<BackpropClassifier>, BackpropClassificationParams,
    DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  private transient TrainingListener listener;

  public BackpropClassifier() {
    this(Identifiable.randomUID("backpropClassifier"));
  }

  public BackpropClassifier(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private BackpropClassifier(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.feedForward(this, true);
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
  public BackpropClassifier setTrainingListener(TrainingListener value) {
    this.listener = value;
    return this;
  }

  @Override
  public BackpropClassificationModel train(Dataset<?> dataset) {
    String featuresCol = getFeaturesCol();
    String labelCol = getLabelCol();
    ModelContent initial = TrainingRun.initialModel(this,
        path -> BackpropClassificationModel.load(path).content());
    int known = initial != null ? initial.spec().outputWidth() : knownNumClasses(dataset);
    TrainingRun.Plan plan = new TrainingRun.FeedForwardPlan(this) {
      @Override
      public double defaultRegParam(StackedData data) {
        return FeedForwardDefaults.CLASSIFIER_REG_PARAM;
      }

      @Override
      public int defaultBatchRows() {
        return FeedForwardDefaults.CLASSIFIER_BATCH_ROWS;
      }

      @Override
      public NetworkSpec freshSpec(StackedData data) {
        int numClasses = outputWidth(data);
        int[] sizes = TrainingRun.layerSizes(BackpropClassifier.this, data.numFeatures(), featuresCol,
            numClasses, numClasses + " classes in column '" + labelCol + "'");
        return NetworkSpec.classifier(sizes, getActivation(),
            TrainingRun.inputScaling(BackpropClassifier.this, data));
      }

      @Override
      public int outputWidth(StackedData data) {
        return known > 0 ? known : inferredNumClasses(data.summary(), labelCol);
      }

      @Override
      public double[] classWeights(StackedData data, int numClasses) {
        return TrainingRun.classWeights(getClassWeights(), getBalanceClasses(),
            data.summary().classWeights(numClasses));
      }

      @Override
      public void save(ModelContent content, String path) {
        ModelSupport.save(copyValues(new BackpropClassificationModel(uid(), content),
            ParamMap.empty()), path);
      }
    };
    TrainingRun.Outcome outcome = TrainingRun.fit(this, dataset,
        TrainingInput.classification(featuresCol, labelCol, known), initial, plan,
        TrainingRun.orNone(listener));
    return new BackpropClassificationModel(uid(), outcome.content()).setSummary(outcome.summary());
  }

  /** The class count fixed before looking at the data: from {@code layers} or label metadata. */
  private int knownNumClasses(Dataset<?> dataset) {
    int fromMetadata = numClassesFromMetadata(dataset, getLabelCol());
    int[] layers = getLayers();
    if (layers == null) {
      return fromMetadata;
    }
    int fromLayers = layers[layers.length - 1];
    if (fromLayers < 2) {
      throw new IllegalArgumentException("layers must end with at least 2 outputs (one per class), got "
          + fromLayers);
    }
    if (fromMetadata > 0 && fromMetadata != fromLayers) {
      throw new IllegalArgumentException("layers ends with " + fromLayers + " outputs but column '"
          + getLabelCol() + "' declares " + fromMetadata + " classes in its metadata");
    }
    return fromLayers;
  }

  /**
   * The class count inferred from the labels (the largest + 1, at least 2), refused when more than
   * 10 classes would have fewer than half of them occurring: such labels are codes (years, ids,
   * 1-based or sparse categories), not class indices. The stacker already refused labels of
   * {@link TrainingInput#MAX_INFERRED_CLASSES} and above.
   */
  static int inferredNumClasses(DataSummary summary, String labelCol) {
    int numClasses = Math.max(2, (int) summary.labelMax() + 1);
    if (numClasses > 10) {
      long distinct = java.util.Arrays.stream(summary.classWeights(numClasses))
          .filter(w -> w > 0).count();
      if (2 * distinct < numClasses) {
        throw new IllegalArgumentException("Column '" + labelCol + "' holds labels up to "
            + summary.labelMax() + ", which would make " + numClasses + " classes, but only "
            + distinct + " distinct labels occur among the training rows: the labels look like "
            + "codes, not class indices 0..k-1; index them with StringIndexer (or declare the "
            + "classes with layers)");
      }
    }
    return numClasses;
  }

  static int numClassesFromMetadata(Dataset<?> dataset, String labelCol) {
    Attribute attribute = Attribute.fromStructField(dataset.schema().apply(labelCol));
    if (attribute instanceof BinaryAttribute) {
      return 2;
    }
    if (attribute instanceof NominalAttribute nominal) {
      Option<Object> values = nominal.getNumValues();
      return values.isDefined() ? (Integer) values.get() : -1;
    }
    return -1;
  }

  @Override
  public BackpropClassifier copy(ParamMap extra) {
    BackpropClassifier copy = defaultCopy(extra);
    copy.listener = listener;
    return copy;
  }

  public static MLReader<BackpropClassifier> read() {
    return new CheckedParamsReader<>(BackpropClassifier.class);
  }

  public static BackpropClassifier load(String path) {
    return read().load(path);
  }
}
