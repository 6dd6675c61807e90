package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.BlockInference;
import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.distributed.SequenceInference;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.explain.AttributionMethod;
import io.sparkbackprop.nn.explain.AttributionSettings;
import io.sparkbackprop.nn.explain.ClassProbability;
import io.sparkbackprop.nn.explain.ExplainedOutput;
import io.sparkbackprop.nn.explain.InputAttribution;
import io.sparkbackprop.nn.explain.ScaledOutput;
import io.sparkbackprop.nn.layer.InputScaling;
import java.util.Arrays;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Explains the predictions of a fitted spark-backprop model: appends {@code attributionsCol}, how
 * much each input feature contributed to the explained output of each row, computed a block at a
 * time on the executors through the network's own backward pass (nothing is collected to the
 * driver). The explained output is a classifier's probability of {@code targetClass} (by default
 * each row's predicted class), or a regressor's prediction in label units. Attributions are with
 * respect to the raw features, through the standardisation inside the model.
 *
 * <p>Methods ({@code method}): {@code saliency} (the gradient), {@code gradientTimesInput},
 * {@code integratedGradients} (default; {@code baseline}, {@code steps}) and {@code smoothGrad}
 * ({@code noiseLevel}, {@code samples}, {@code seed}). Feed-forward models give one vector per row
 * (one entry per feature); recurrent models give an array with one entry per step of the row:
 * {@code array<double>} for {@code array<double>} sequences, {@code array<vector>} for steps of
 * feature vectors. A sequence-output model is explained at each row's last step.
 *
 * <p>{@link #featureImportances} summarises a dataset: the mean absolute attribution of each
 * feature. Saved with the wrapped model in {@code path/model}, so it also saves and loads inside a
 * {@code PipelineModel}.
 */
public class Attributions extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final AttributionParams params;
  private Model<?> model;

  public Attributions() {
    this(Identifiable.randomUID("attributions"));
  }

  public Attributions(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private Attributions(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = new AttributionParams(this);
  }

  /** Explains {@code model}, reading its features column. */
  public Attributions(Model<?> model) {
    this();
    setModel(model);
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.peek();
  }

  public Param<String> featuresCol() {
    return params.featuresCol;
  }

  public Param<String> attributionsCol() {
    return params.attributionsCol;
  }

  public Param<String> method() {
    return params.method;
  }

  public IntParam targetClass() {
    return params.targetClass;
  }

  public Param<Vector> baseline() {
    return params.baseline;
  }

  public IntParam steps() {
    return params.steps;
  }

  public DoubleParam noiseLevel() {
    return params.noiseLevel;
  }

  public IntParam samples() {
    return params.samples;
  }

  public LongParam seed() {
    return params.seed;
  }

  public IntParam blockSize() {
    return params.blockSize;
  }

  public String getFeaturesCol() {
    return $(featuresCol());
  }

  public String getAttributionsCol() {
    return $(attributionsCol());
  }

  public String getMethod() {
    return AttributionMethod.fromParamName($(method())).paramName();
  }

  public int getTargetClass() {
    return (Integer) $(targetClass());
  }

  /** The baseline if set, else null (the model's training mean is used). */
  public Vector getBaseline() {
    return isDefined(baseline()) ? $(baseline()) : null;
  }

  public int getSteps() {
    return (Integer) $(steps());
  }

  public double getNoiseLevel() {
    return (Double) $(noiseLevel());
  }

  public int getSamples() {
    return (Integer) $(samples());
  }

  public long getSeed() {
    return (Long) $(seed());
  }

  public int getBlockSize() {
    return (Integer) $(blockSize());
  }

  public Attributions setFeaturesCol(String value) {
    set(featuresCol(), ParamChecks.string("featuresCol", value));
    return this;
  }

  public Attributions setAttributionsCol(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("attributionsCol must be a non-empty column name");
    }
    set(attributionsCol(), value);
    return this;
  }

  public Attributions setMethod(String value) {
    set(method(), ParamChecks.oneOf("method", value, AttributionMethod.paramNames()));
    return this;
  }

  public Attributions setTargetClass(int value) {
    ParamChecks.valid(targetClass(), value);
    set(targetClass(), value);
    return this;
  }

  public Attributions setBaseline(Vector value) {
    if (value == null || value.size() == 0
        || Arrays.stream(value.toArray()).anyMatch(v -> !Double.isFinite(v))) {
      throw new IllegalArgumentException("baseline must be a non-empty vector of finite values");
    }
    set(baseline(), value);
    return this;
  }

  public Attributions setSteps(int value) {
    ParamChecks.valid(steps(), value);
    set(steps(), value);
    return this;
  }

  public Attributions setNoiseLevel(double value) {
    ParamChecks.valid(noiseLevel(), value);
    set(noiseLevel(), value);
    return this;
  }

  public Attributions setSamples(int value) {
    ParamChecks.valid(samples(), value);
    set(samples(), value);
    return this;
  }

  public Attributions setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public Attributions setBlockSize(int value) {
    ParamChecks.valid(blockSize(), value);
    set(blockSize(), value);
    return this;
  }

  /**
   * The fitted model to explain (one of ours); also sets {@code featuresCol} to the column the
   * model reads.
   */
  public Attributions setModel(Model<?> value) {
    ExplainedModel explained = ExplainedModel.of(value);
    this.model = value;
    set(featuresCol(), explained.featuresCol());
    return this;
  }

  /** The wrapped model, or null before {@link #setModel}. */
  public Model<?> getModel() {
    return model;
  }

  private ExplainedModel explained() {
    if (model == null) {
      throw new IllegalStateException("Attributions " + uid() + " has no model; call setModel");
    }
    return ExplainedModel.of(model);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    ExplainedModel m = explained();
    String features = getFeaturesCol();
    if (!Arrays.asList(schema.fieldNames()).contains(features)) {
      throw new IllegalArgumentException("Column '" + features + "' does not exist; the columns are "
          + String.join(", ", schema.fieldNames()));
    }
    if (Arrays.asList(schema.fieldNames()).contains(getAttributionsCol())) {
      throw new IllegalArgumentException("Output column '" + getAttributionsCol()
          + "' already exists");
    }
    StructField field;
    if (m.isRecurrent()) {
      SequenceEncoding encoding = m.encoding();
      encoding.checkColumn(schema, features);
      DataType element = encoding.kind() == SequenceEncoding.Kind.NUMBERS
          ? DataTypes.DoubleType : new VectorUDT();
      field = new StructField(getAttributionsCol(), DataTypes.createArrayType(element, false),
          false, org.apache.spark.sql.types.Metadata.empty());
    } else {
      int width = m.spec().numFeatures();
      VectorRows.checkDeclaredWidth(schema, features, width);
      field = new AttributeGroup(getAttributionsCol(), width).toStructField();
    }
    return schema.add(field);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema());
    ExplainedModel m = explained();
    InputAttribution attribution = attribution(m);
    if (m.isRecurrent()) {
      boolean numbers = m.encoding().kind() == SequenceEncoding.Kind.NUMBERS;
      return SequenceInference.appendColumns(dataset, getFeaturesCol(), m.encoding(),
          m.maxSequenceLength(), getBlockSize(), schema, new SequenceRows(attribution, numbers));
    }
    return BlockInference.appendColumns(dataset, getFeaturesCol(), m.spec().numFeatures(),
        getBlockSize(), schema, new Rows(attribution));
  }

  /**
   * The mean absolute attribution of each feature over the rows of {@code dataset} (for recurrent
   * models, of each step feature, summed over each row's steps): one job, only the sums reach the
   * driver. Not normalised: entries are in the units of the explained output (probability, or label
   * units), so they compare across models; divide by their sum for shares like tree models'
   * {@code featureImportances}.
   */
  public Vector featureImportances(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    ExplainedModel m = explained();
    InputAttribution attribution = attribution(m);
    int width = m.spec().numFeatures();
    double[] sums = m.isRecurrent()
        ? SequenceInference.sum(dataset, getFeaturesCol(), m.encoding(), m.maxSequenceLength(),
            getBlockSize(), width + 1, new AbsoluteSum(attribution, width))
        : BlockInference.sum(dataset, getFeaturesCol(), width, getBlockSize(), width + 1,
            (features, rows, sum) -> new AbsoluteSum(attribution, width)
                .add(features, BatchShape.rows(rows), sum));
    double rows = sums[width];
    if (rows == 0) {
      throw new IllegalArgumentException("featureImportances needs at least one row");
    }
    double[] mean = new double[width];
    for (int i = 0; i < width; i++) {
      mean[i] = sums[i] / rows;
    }
    return Vectors.dense(mean);
  }

  /** The engine's attribution for the wrapped model and these params. */
  private InputAttribution attribution(ExplainedModel m) {
    ModelSpec spec = m.spec();
    ExplainedOutput output;
    if (spec.isClassifier()) {
      output = new ClassProbability(getTargetClass(), m.thresholds());
      if (getTargetClass() >= spec.outputWidth()) {
        throw new IllegalArgumentException("targetClass " + getTargetClass()
            + " is not a class of a model with " + spec.outputWidth() + " classes");
      }
    } else {
      if (getTargetClass() != -1) {
        throw new IllegalArgumentException("targetClass is for classifiers; a regressor explains "
            + "its prediction (leave targetClass at -1)");
      }
      output = new ScaledOutput(spec.targetScale(), spec.targetCenter());
    }
    int width = spec.numFeatures();
    InputScaling scaling = spec.inputScaling();
    AttributionMethod method = AttributionMethod.fromParamName(getMethod());
    AttributionSettings settings;
    switch (method) {
      case INTEGRATED_GRADIENTS:
        double[] baseline = getBaseline() != null ? getBaseline().toArray()
            : scaling != null ? scaling.center() : new double[width];
        if (baseline.length != width) {
          throw new IllegalArgumentException("baseline has " + baseline.length
              + " values but the model reads " + width + " features"
              + (m.isRecurrent() ? " per step" : ""));
        }
        settings = AttributionSettings.integratedGradients(baseline, getSteps());
        break;
      case SMOOTH_GRAD:
        double[] noise = new double[width];
        for (int i = 0; i < width; i++) {
          noise[i] = getNoiseLevel() * (scaling != null ? scaling.scale()[i] : 1.0);
        }
        settings = AttributionSettings.smoothGrad(noise, getSamples(), getSeed());
        break;
      default:
        settings = AttributionSettings.of(method);
    }
    return new InputAttribution(m.content().fitted().network(), m.content().weights(), output,
        settings);
  }

  /** A block of rows to one attribution vector per row; holds no reference to the stage. */
  private record Rows(InputAttribution attribution) implements BlockInference.BlockFunction {
    @Override
    public Object[][] apply(float[] features, int rows) {
      int width = attribution.network().inputWidth();
      float[] a = new float[width * rows];
      attribution.attribute(features, BatchShape.rows(rows), a, null, null);
      Object[][] out = new Object[rows][1];
      for (int j = 0; j < rows; j++) {
        double[] values = new double[width];
        for (int i = 0; i < width; i++) {
          values[i] = a[j * width + i];
        }
        out[j][0] = Vectors.dense(values);
      }
      return out;
    }
  }

  /** A block of sequences to one array per row, with an entry per valid step. */
  private record SequenceRows(InputAttribution attribution, boolean numbers)
      implements SequenceInference.BlockFunction {
    @Override
    public Object[][] apply(float[] features, BatchShape shape) {
      int width = attribution.network().inputWidth();
      int rows = shape.rows();
      float[] a = new float[width * shape.columns()];
      attribution.attribute(features, shape, a, null, null);
      Object[][] out = new Object[rows][1];
      for (int j = 0; j < rows; j++) {
        int length = shape.length(j);
        if (numbers) {
          double[] steps = new double[length];
          for (int t = 0; t < length; t++) {
            steps[t] = a[t * rows + j];
          }
          out[j][0] = steps;
        } else {
          Vector[] steps = new Vector[length];
          for (int t = 0; t < length; t++) {
            double[] values = new double[width];
            for (int i = 0; i < width; i++) {
              values[i] = a[(t * rows + j) * width + i];
            }
            steps[t] = Vectors.dense(values);
          }
          out[j][0] = steps;
        }
      }
      return out;
    }
  }

  /** Adds each feature's absolute attributions (over a row's steps) and the row count. */
  private record AbsoluteSum(InputAttribution attribution, int width)
      implements SequenceInference.BlockSum {
    @Override
    public void add(float[] features, BatchShape shape, double[] sum) {
      float[] a = new float[width * shape.columns()];
      attribution.attribute(features, shape, a, null, null);
      for (int n = 0; n < a.length; n++) {
        sum[n % width] += Math.abs(a[n]); // padding holds zeros
      }
      sum[width] += shape.rows();
    }
  }

  @Override
  public Attributions copy(ParamMap extra) {
    Attributions copy = new Attributions(uid());
    copy.model = model;
    return copyValues(copy, extra);
  }

  /** Saves the params and, in {@code path/model}, the wrapped model. */
  @Override
  public MLWriter write() {
    Attributions self = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        explained();
        if (!(model instanceof MLWritable writable)) {
          throw new IllegalStateException("The wrapped model cannot be saved");
        }
        ModelIO.saveMetadata(self, path, sparkSession());
        try {
          writable.write().save(path + "/model");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("Cannot save the wrapped model to " + path
              + "/model", e);
        }
      }
    };
  }

  public static MLReader<Attributions> read() {
    return new MLReader<>() {
      @Override
      public Attributions load(String path) {
        Attributions stage = ModelIO.loadMetadata(path, sparkSession(),
            Attributions.class.getName(), Attributions::new);
        Object loaded = ModelIO.loadStage(path + "/model", sparkSession());
        ExplainedModel.of(loaded);
        stage.model = (Model<?>) loaded;
        return stage;
      }
    };
  }

  public static Attributions load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "Attributions: uid=" + uid() + ", method=" + getMethod() + ", model="
        + (model == null ? "none" : model.uid());
  }
}
