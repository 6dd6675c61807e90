package io.sparkbackprop.ml;

import io.sparkbackprop.train.TrainingInput;
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
 * by StringIndexer) or the largest label. Output: {@code rawPrediction} (logits), {@code probability}
 * (softmax) and {@code prediction}, honouring {@code thresholds}.
 */
public class BackpropClassifier
    extends ProbabilisticClassifier<Vector, BackpropClassifier, BackpropClassificationModel>
    implements BackpropEstimatorParams<BackpropClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NetworkParams networkParams;

  public BackpropClassifier() {
    this(Identifiable.randomUID("backpropClassifier"));
  }

  public BackpropClassifier(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private BackpropClassifier(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.networkParams = new NetworkParams(this);
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
  public BackpropClassificationModel train(Dataset<?> dataset) {
    String featuresCol = getFeaturesCol();
    String labelCol = getLabelCol();
    int known = knownNumClasses(dataset);
    TrainingRun.Outcome outcome = TrainingRun.fit(this, dataset,
        TrainingInput.classification(featuresCol, labelCol, known),
        data -> {
          int numClasses = known > 0 ? known : Math.max(2, (int) data.summary().labelMax() + 1);
          int[] sizes = TrainingRun.layerSizes(this, data.numFeatures(), featuresCol, numClasses,
              numClasses + " classes in column '" + labelCol + "'");
          return NetworkSpec.classifier(sizes, getActivation(), TrainingRun.inputScaling(this, data));
        });
    return new BackpropClassificationModel(uid(), outcome.spec(), outcome.result().weights())
        .setSummary(outcome.summary());
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
    return defaultCopy(extra);
  }

  public static MLReader<BackpropClassifier> read() {
    return new CheckedParamsReader<>(BackpropClassifier.class);
  }

  public static BackpropClassifier load(String path) {
    return read().load(path);
  }
}
