package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.distributed.SequenceInference;
import io.sparkbackprop.nn.data.BatchShape;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link RecurrentClassifier}. Transforms a block of sequences at a time. Token models
 * trained with {@code outputMode} {@code sequence} on next-token labels are language models:
 * {@link #generate} continues a prompt. Saved as JSON params plus Parquet network description,
 * vocabulary and weights (see {@link ModelIO}).
 */
public class RecurrentClassificationModel
    extends ProbabilisticClassificationModel<Object, RecurrentClassificationModel>
    implements RecurrentClassificationParams, NetworkModel {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ParamSets params;
  final ModelSupport.State state = new ModelSupport.State();

  /** An empty model, for Spark's reflection-based loaders; load or fit to get a usable one. */
  public RecurrentClassificationModel() {
    this(Identifiable.randomUID("recurrentClassificationModel"));
  }

  public RecurrentClassificationModel(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private RecurrentClassificationModel(String uid, boolean stashed) {
    super();
    this.uid = PendingUid.take(uid);
    this.params = ParamSets.recurrent(this, true);
  }

  RecurrentClassificationModel(String uid, ModelContent content) {
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

  /** Token models: the vocabulary, id to token (id 0 stands for unknown tokens); else null. */
  public String[] vocabulary() {
    return spec().encoding().vocabulary();
  }

  @Override
  public int numFeatures() {
    return state.content == null ? -1 : state.content.spec().numFeatures();
  }

  @Override
  public int numClasses() {
    return content().spec().outputWidth();
  }

  /** Centered logits for one sequence (a many-to-one model's output for one row). */
  @Override
  public Vector predictRaw(Object features) {
    RecurrentSpec spec = spec();
    if (spec.sequenceOutput()) {
      throw new UnsupportedOperationException("A model with outputMode 'sequence' predicts one "
          + "vector per step; use transform");
    }
    SequenceEncoding encoding = spec.encoding();
    int max = getMaxSequenceLength();
    float[] steps = new float[max * encoding.width()];
    int n = encoding.read(features, steps, max, getFeaturesCol(), "the given sequence");
    float[] logits = content().fitted().forwardBlock(steps, BatchShape.sequences(1, n, null));
    return new ClassScores(logits, 0, numClasses()).raw();
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    return ClassScores.softmaxInPlace(rawPrediction);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    spec().encoding().checkColumn(schema, getFeaturesCol());
    return RecurrentOutputs.classifierSchema(schema, this, spec().sequenceOutput(), numClasses());
  }

  /** Spark's output columns and semantics, a block of sequences at a time. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType outputSchema = transformSchema(dataset.schema(), true);
    if (outputSchema.size() == dataset.schema().size()) {
      return dataset.toDF();
    }
    double[] thresholds = ClassScores.thresholds(this, numClasses());
    return SequenceInference.appendColumns(dataset, getFeaturesCol(), spec().encoding(),
        getMaxSequenceLength(), getBlockSize(), outputSchema,
        new RecurrentOutputs.Classes(content().fitted(), thresholds,
            !getRawPredictionCol().isEmpty(), !getProbabilityCol().isEmpty(),
            !getPredictionCol().isEmpty(), spec().sequenceOutput()));
  }

  /**
   * Continues a prompt of a language model (a token model trained with {@code outputMode}
   * {@code sequence} on next-token labels): each new token is drawn from the softmax of the
   * logits divided by {@code temperature} (0 takes the most likely token), never the unknown
   * token. One step of the network per token: the recurrent state is carried, not recomputed.
   *
   * @return the {@code steps} generated tokens (without the prompt)
   */
  public List<String> generate(List<String> prompt, int steps, double temperature, long seed) {
    return new TextGenerator(content().fitted(), spec()).generate(prompt, steps, temperature, seed);
  }

  /**
   * {@link #generate(List, int, double, long)} for character models: the prompt's characters are
   * its tokens and the generated characters are joined.
   */
  public String generateText(String prompt, int steps, double temperature, long seed) {
    return String.join("", generate(TextGenerator.characters(prompt), steps, temperature, seed));
  }

  RecurrentClassificationModel setSummary(BackpropTrainingSummary value) {
    state.summary = value;
    return this;
  }

  /**
   * A copy of this model (same uid, params and weights) carrying the diagonal Fisher information
   * of its weights estimated on {@code dataset} ({@link NetworkModel explained there}): one
   * distributed pass over its rows.
   */
  public RecurrentClassificationModel withFisher(Dataset<?> dataset) {
    return FisherSupport.withFisher(this, dataset, getFeaturesCol(), getLabelCol());
  }

  @Override
  public RecurrentClassificationModel copy(ParamMap extra) {
    return ModelSupport.copy(this, new RecurrentClassificationModel(uid()), extra);
  }

  // Java cannot reconcile two inherited findSummaryModel signatures (Scala's covariant Tuple3).
  @SuppressWarnings({"rawtypes", "unchecked"})
  @Override
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  public static MLReader<RecurrentClassificationModel> read() {
    return ModelSupport.reader(RecurrentClassificationModel.class,
        RecurrentClassificationModel::new, true);
  }

  public static RecurrentClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "RecurrentClassificationModel: uid=" + uid() + ", layers="
        + (state.content == null ? "none"
            : String.join("; ", state.content.spec().describeLayers()));
  }
}
