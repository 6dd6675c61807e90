package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.DistributedTrainer;
import io.sparkbackprop.distributed.FisherEstimation;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.optim.ElasticConsolidation;
import io.sparkbackprop.nn.optim.OptimizerSettings;
import io.sparkbackprop.nn.optim.Optimizers;
import io.sparkbackprop.nn.optim.schedule.ScheduleSettings;
import io.sparkbackprop.nn.training.Checkpointer;
import io.sparkbackprop.nn.training.TrainingConfig;
import io.sparkbackprop.nn.training.TrainingListener;
import io.sparkbackprop.nn.training.TrainingResult;
import io.sparkbackprop.nn.training.TrainingState;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * The fit procedure both estimators share: read the params, stack the data, pick (or reuse) the
 * network, train, release the cache.
 */
final class TrainingRun {
  private TrainingRun() {}

  /** The network that was trained and how training went. */
  record Outcome(ModelContent content, TrainingResult result, long trainingRows,
      long validationRows) {
    BackpropTrainingSummary summary() {
      return new BackpropTrainingSummary(result.iterations(), result.stopReason().name(),
          trainingRows, validationRows);
    }
  }

  /** What an estimator plugs into the shared procedure. */
  interface Plan {
    /** Stacks and caches the training rows (blocks of rows, or of sequences). */
    StackedData stack(Dataset<?> dataset, TrainingInput input, int blockSize);

    /** The network for this data when not starting from an initial model. */
    ModelSpec freshSpec(StackedData data);

    /**
     * The initial model's network, after checking it fits this data and the explicitly set params
     * (params left at their defaults adopt the initial model's choices).
     */
    ModelSpec checkedInitialSpec(ModelSpec initial, StackedData data);

    /** Per-class loss weights for classifiers, or null. */
    double[] classWeights(StackedData data, int numClasses);

    /** The starting weights of a fresh network. */
    double[] initialWeights(Network network);

    /** Saves a model holding {@code content} (params copied from the estimator) at a new path. */
    void save(ModelContent content, String path);

    /** The penalty strength when the user sets no {@code regParam}. */
    default double defaultRegParam(StackedData data) {
      return 0;
    }

    /**
     * Rows an iteration samples when the user sets no {@code miniBatchFraction} (and trains with
     * one local step and a first-order solver), or 0 for full-batch iterations.
     */
    default int defaultBatchRows() {
      return 0;
    }

    /**
     * Whether fits with a first-order solver stop on a plateau of the epoch loss by default
     * ({@link FeedForwardDefaults#PLATEAU_TOL}, {@link FeedForwardDefaults#PLATEAU_EPOCHS}) when
     * the user sets neither {@code tol} nor {@code lossPatience}.
     */
    default boolean stopsOnLossPlateau() {
      return false;
    }
  }

  /** The plan of feed-forward estimators: blocks of rows and an MLP shaped by the params. */
  abstract static class FeedForwardPlan implements Plan {
    private final BackpropParams params;

    FeedForwardPlan(BackpropParams params) {
      this.params = params;
    }

    @Override
    public boolean stopsOnLossPlateau() {
      return true;
    }

    /** Output width the data requires (classes, or 1). */
    abstract int outputWidth(StackedData data);

    @Override
    public StackedData stack(Dataset<?> dataset, TrainingInput input, int blockSize) {
      return BlockStacker.stack(dataset, input, blockSize, StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    public ModelSpec checkedInitialSpec(ModelSpec initial, StackedData data) {
      if (!(initial instanceof NetworkSpec spec)) {
        throw new IllegalArgumentException("initialModelPath " + params.getInitialModelPath()
            + " holds a recurrent network; a feed-forward estimator needs a feed-forward model");
      }
      return TrainingRun.checkedInitialSpec(params, spec, data.numFeatures(), outputWidth(data));
    }

    @Override
    public double[] initialWeights(Network network) {
      return TrainingRun.initialWeights(params, network);
    }
  }

  static Outcome fit(TrainingParams params, Dataset<?> dataset, TrainingInput baseInput,
      ModelContent initial, Plan plan, TrainingListener listener) {
    TrainingConfig config = config(params);
    TrainingState resumeFrom = initial == null ? null : initial.trainingState();
    if (resumeFrom != null && resumeFrom.iterationsDone() >= config.maxIter()) {
      throw new IllegalArgumentException("The initial model at " + params.getInitialModelPath()
          + " already ran " + resumeFrom.iterationsDone() + " iterations; maxIter "
          + config.maxIter() + " counts them too, so set maxIter above "
          + resumeFrom.iterationsDone() + " to train further");
    }
    ElasticConsolidation consolidation = consolidation(params, initial);
    if (consolidation != null) {
      config.consolidation(consolidation);
    }
    TrainingInput input = withRowParams(params, baseInput);
    try (StackedData data = plan.stack(dataset, input, params.getBlockSize())) {
      if (config.earlyStoppingPatience() > 0 && data.summary().validationRows() == 0) {
        throw new IllegalArgumentException("earlyStoppingPatience needs validation rows, but "
            + (input.validationCol() != null ? "column '" + input.validationCol() + "' flags none"
                : "validationFraction " + input.validationFraction() + " held out none"));
      }
      ModelSpec spec = initial == null ? plan.freshSpec(data)
          : plan.checkedInitialSpec(initial.spec(), data);
      if (!params.isSet(params.regParam())) {
        config.regParam(plan.defaultRegParam(data));
      }
      if (!params.isSet(params.miniBatchFraction()) && plan.defaultBatchRows() > 0
          && config.localSteps() == 1
          && !Optimizers.canonicalName(config.solver()).equals(Optimizers.LBFGS)) {
        config.miniBatchFraction(Math.min(1.0,
            plan.defaultBatchRows() / (double) Math.max(1, data.summary().rows())));
      }
      if (plan.stopsOnLossPlateau() && !params.isSet(params.tol())
          && !params.isSet(params.lossPatience()) && config.localSteps() == 1
          && !Optimizers.canonicalName(config.solver()).equals(Optimizers.LBFGS)) {
        config.tol(FeedForwardDefaults.PLATEAU_TOL).lossPatience(FeedForwardDefaults.PLATEAU_EPOCHS);
      }
      config.data(data.summary().fingerprint());
      double[] classWeights = plan.classWeights(data, spec.outputWidth());
      Network network = spec.withTargetsShiftedBy(data.labelOffset())
          .toTrainingNetwork(params.getDropout(), classWeights);
      double[] start = initial != null ? initial.weights() : plan.initialWeights(network);
      Checkpointer checkpointer = checkpointer(params, spec, plan);
      TrainingResult result = DistributedTrainer.train(data, network, start, config, resumeFrom,
          listener, checkpointer);
      double[] fisher = null;
      if (params.getComputeFisher()) {
        fisher = FisherEstimation.estimate(data, spec.toNetwork(), result.weights(),
            params.getFisherSampleFraction(), params.getSeed()).fisher();
        if (consolidation != null) {
          // Online EWC: the new estimate adds to the consolidated one, so a later task is held
          // to every earlier task, around the latest weights.
          double[] earlier = initial.fisher();
          for (int i = 0; i < fisher.length; i++) {
            fisher[i] += earlier[i];
          }
        }
      }
      return new Outcome(new ModelContent(spec, result.weights(), result.state(), fisher), result,
          data.summary().rows(), data.summary().validationRows());
    }
  }

  /**
   * The elastic weight consolidation towards the initial model that {@code consolidation} asks
   * for, or null when it is 0.
   */
  private static ElasticConsolidation consolidation(TrainingParams params, ModelContent initial) {
    double strength = params.getConsolidation();
    if (strength == 0) {
      return null;
    }
    if (initial == null) {
      throw new IllegalArgumentException("consolidation " + strength + " pulls the weights towards"
          + " an earlier model: set initialModelPath to it");
    }
    double[] fisher = initial.fisher();
    if (fisher == null) {
      throw new IllegalArgumentException("consolidation needs the Fisher information of the "
          + "initial model, but the model at initialModelPath " + params.getInitialModelPath()
          + " carries none: fit it with computeFisher set to true, or add one with "
          + "model.withFisher(dataset) and save it");
    }
    return new ElasticConsolidation(strength, initial.weights(), fisher);
  }

  private static TrainingConfig config(TrainingParams params) {
    checkOverridingParams(params);
    OptimizerSettings optimizer = OptimizerSettings.defaults()
        .withMomentum(params.getMomentum())
        .withBeta1(params.getBeta1())
        .withBeta2(params.getBeta2())
        .withEpsilon(params.getEpsilon())
        .withWeightDecay(params.getWeightDecay());
    checkScheduleParams(params);
    ScheduleSettings schedule = ScheduleSettings.defaults()
        .withMinFactor(params.getMinLearningRateFactor())
        .withWarmupIterations(params.getWarmupIters());
    if (params.getDecayRate() != null) {
      schedule = schedule.withGamma(params.getDecayRate());
    }
    if (params.getDecaySteps() != null) {
      schedule = schedule.withStepEvery(params.getDecaySteps());
    }
    return new TrainingConfig()
        .solver(params.getSolver())
        .stepSize(effectiveStepSize(params))
        .maxIter(params.getMaxIter())
        .tol(params.getTol())
        .lossPatience(params.getLossPatience())
        .seed(params.getSeed())
        .miniBatchFraction(params.getMiniBatchFraction())
        .regParam(params.getRegParam())
        .elasticNetParam(params.getElasticNetParam())
        .optimizerSettings(optimizer)
        .schedule(params.getLearningRateSchedule())
        .scheduleSettings(schedule)
        .maxGradNorm(params.getMaxGradNorm())
        .clipValue(params.getClipValue())
        .autoStepSize(params.getAutoStepSize())
        .validationInterval(params.getValidationInterval())
        .earlyStoppingPatience(params.getEarlyStoppingPatience())
        .validationSmoothing(params.getValidationSmoothing())
        .localSteps(params.getLocalSteps())
        .driverTrainingMaxBytes((long) (params.getDriverTrainingMaxMB() * 1024 * 1024))
        .checkpointInterval(isNonEmpty(params.getCheckpointDir()) ? params.getCheckpointInterval() : 0)
        .validate();
  }

  /**
   * The step size training uses: the user's, or else the solver's own default
   * ({@link Optimizers#defaultStepSize}). With {@code localSteps} > 1 the step is the local SGD step
   * of every solver, so the declared default applies.
   */
  static double effectiveStepSize(TrainingParams params) {
    if (params.isSet(params.stepSize()) || params.getLocalSteps() > 1) {
      return params.getStepSize();
    }
    return Optimizers.defaultStepSize(params.getSolver());
  }

  /** Refuses params the user set that another set param would silently override. */
  private static void checkOverridingParams(TrainingParams params) {
    if (params.getLocalSteps() > 1 && params.isSet(params.localSteps())
        && params.isSet(params.miniBatchFraction()) && params.getMiniBatchFraction() < 1) {
      throw new IllegalArgumentException("localSteps (" + params.getLocalSteps()
          + ") ignores miniBatchFraction (" + params.getMiniBatchFraction() + "): each local "
          + "step trains on one randomly drawn block; unset miniBatchFraction, or set localSteps "
          + "to 1 to sample blocks per iteration");
    }
    if (isNonEmpty(params.getValidationIndicatorCol())
        && params.isSet(params.validationFraction()) && params.getValidationFraction() > 0) {
      throw new IllegalArgumentException("validationIndicatorCol ('"
          + params.getValidationIndicatorCol() + "') and validationFraction ("
          + params.getValidationFraction() + ") both choose the validation rows; set only one");
    }
  }

  /** Names the params a schedule is missing, before the engine sees its settings. */
  private static void checkScheduleParams(TrainingParams params) {
    String schedule = params.getLearningRateSchedule().toLowerCase(java.util.Locale.ROOT);
    java.util.List<String> missing = new java.util.ArrayList<>();
    if ((schedule.equals("step") || schedule.equals("exponential")) && params.getDecayRate() == null) {
      missing.add("decayRate");
    }
    if (schedule.equals("step") && params.getDecaySteps() == null) {
      missing.add("decaySteps");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("learningRateSchedule '" + schedule + "' needs "
          + String.join(" and ", missing) + " to be set");
    }
    if (schedule.equals("cosine") && params.getWarmupIters() >= params.getMaxIter()
        && params.getMaxIter() > 0) {
      throw new IllegalArgumentException("learningRateSchedule 'cosine' needs warmupIters ("
          + params.getWarmupIters() + ") below maxIter (" + params.getMaxIter() + ")");
    }
  }

  /** Adds the weight and validation columns the params name. */
  private static TrainingInput withRowParams(TrainingParams params, TrainingInput input) {
    if (isNonEmpty(params.getWeightCol())) {
      input = input.withWeightCol(params.getWeightCol());
    }
    if (isNonEmpty(params.getValidationIndicatorCol())) {
      input = input.withValidationCol(params.getValidationIndicatorCol());
    } else if (params.getValidationFraction() > 0) {
      input = input.withValidationFraction(params.getValidationFraction(), params.getSeed());
    }
    if (params.getEarlyStoppingPatience() > 0 && input.validationCol() == null
        && input.validationFraction() == 0) {
      throw new IllegalArgumentException("earlyStoppingPatience needs validation rows: set "
          + "validationIndicatorCol or validationFraction");
    }
    return input;
  }

  static boolean isNonEmpty(String value) {
    return value != null && !value.isEmpty();
  }

  private static Checkpointer checkpointer(TrainingParams params, ModelSpec spec, Plan plan) {
    String dir = params.getCheckpointDir();
    if (!isNonEmpty(dir)) {
      return Checkpointer.NONE;
    }
    return (weights, state) -> Checkpoints.replace(Checkpoints.latest(dir),
        path -> plan.save(new ModelContent(spec, weights, state), path));
  }

  /**
   * The initial model's network, after checking it fits this data and the explicitly set params
   * (params left at their defaults adopt the initial model's choices).
   */
  static NetworkSpec checkedInitialSpec(BackpropParams params, NetworkSpec initial,
      int numFeatures, int outputWidth) {
    int[] sizes = initial.layerSizes();
    String where = "initialModelPath " + params.getInitialModelPath() + " holds layers "
        + Arrays.toString(sizes);
    if (sizes[0] != numFeatures) {
      throw new IllegalArgumentException(where + " but the features have size " + numFeatures);
    }
    if (sizes[sizes.length - 1] != outputWidth) {
      throw new IllegalArgumentException(where + " but the data needs " + outputWidth + " outputs");
    }
    if (params.isSet(params.layers()) && !Arrays.equals(params.getLayers(), sizes)) {
      throw new IllegalArgumentException(where + " but layers is set to "
          + Arrays.toString(params.getLayers()));
    }
    int[] hidden = Arrays.copyOfRange(sizes, 1, sizes.length - 1);
    if (params.isSet(params.hiddenLayers()) && !Arrays.equals(params.getHiddenLayers(), hidden)) {
      throw new IllegalArgumentException(where + " but hiddenLayers is set to "
          + Arrays.toString(params.getHiddenLayers()));
    }
    if (params.isSet(params.activation())
        && !params.getActivation().equals(initial.activation())) {
      throw new IllegalArgumentException("initialModelPath " + params.getInitialModelPath()
          + " uses activation " + initial.activation() + " but activation is set to "
          + params.getActivation());
    }
    return initial;
  }

  static double[] initialWeights(BackpropParams params, Network network) {
    Vector given = params.getInitialWeights();
    if (given == null) {
      return network.initialParams(params.getSeed());
    }
    if (given.size() != network.paramCount()) {
      throw new IllegalArgumentException("initialWeights has " + given.size() + " entries but layers "
          + Arrays.toString(((FeedForwardNetwork) network).layerSizes()) + " need "
          + network.paramCount());
    }
    return given.toArray();
  }

  /** The input standardisation the params ask for, from the training data's statistics. */
  static InputScaling inputScaling(TrainingParams params, StackedData data) {
    return params.getStandardization()
        ? InputScaling.standardizing(data.summary().features()) : null;
  }

  /**
   * The full layer sizes: {@code layers} if set (checked against the data), else the input width,
   * {@code hiddenLayers}, and the output width.
   *
   * @param outputWhat describes the output width in errors, e.g. "3 classes in column 'label'"
   */
  static int[] layerSizes(BackpropParams params, int numFeatures, String featuresCol,
      int outputWidth, String outputWhat) {
    int[] layers = params.getLayers();
    if (layers != null) {
      if (layers[0] != numFeatures) {
        throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " starts with "
            + layers[0] + " inputs but column '" + featuresCol + "' holds vectors of size " + numFeatures);
      }
      if (layers[layers.length - 1] != outputWidth) {
        throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " ends with "
            + layers[layers.length - 1] + " outputs but the data has " + outputWhat);
      }
      return layers.clone();
    }
    int[] hidden = params.getHiddenLayers();
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = numFeatures;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = outputWidth;
    return sizes;
  }

  /** Loads the model at {@code initialModelPath} with {@code reader}, or returns null when unset. */
  static ModelContent initialModel(TrainingParams params, Function<String, ModelContent> reader) {
    String path = params.getInitialModelPath();
    if (!isNonEmpty(path)) {
      return null;
    }
    try {
      return reader.apply(path);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("initialModelPath " + path + " cannot be used: "
          + e.getMessage(), e);
    }
  }

  /** A listener field that may be null, as a listener. */
  static TrainingListener orNone(TrainingListener listener) {
    return listener == null ? TrainingListener.NONE : listener;
  }

  /**
   * Loss weights per class: {@code classWeights} if set, else inverse class frequencies if
   * {@code balance}, else null. Rescaled so the weighted average row weight over the training data
   * stays 1, which keeps the loss scale (and good step sizes) unchanged.
   */
  static double[] classWeights(double[] given, boolean balance, double[] classTotals) {
    int k = classTotals.length;
    double[] weights;
    if (given != null) {
      if (given.length != k) {
        throw new IllegalArgumentException("classWeights has " + given.length + " entries but there are "
            + k + " classes");
      }
      weights = given.clone();
    } else if (balance) {
      weights = new double[k];
      for (int c = 0; c < k; c++) {
        weights[c] = classTotals[c] > 0 ? 1.0 / classTotals[c] : 0;
      }
    } else {
      return null;
    }
    double total = 0;
    double weighted = 0;
    for (int c = 0; c < k; c++) {
      total += classTotals[c];
      weighted += classTotals[c] * weights[c];
    }
    if (!(weighted > 0)) {
      throw new IllegalArgumentException("classWeights " + Arrays.toString(weights)
          + " give every training row weight 0");
    }
    for (int c = 0; c < k; c++) {
      weights[c] *= total / weighted;
    }
    return weights;
  }
}
