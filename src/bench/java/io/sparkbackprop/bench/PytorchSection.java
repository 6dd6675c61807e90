package io.sparkbackprop.bench;

import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.DistributedTrainer;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.optim.schedule.LearningRateSchedules;
import io.sparkbackprop.nn.optim.schedule.ScheduleSettings;
import io.sparkbackprop.nn.training.TrainingConfig;
import io.sparkbackprop.nn.training.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Time to a training accuracy (default 0.93) on the synthetic problem of the pass section
 * ({@code --rows} rows, layers {@code 100-128-64-10}, sigmoid): single-node PyTorch through DJL
 * (Adam, shuffled mini-batches of 128, two intra-op threads) against {@code BackpropClassifier}.
 *
 * <p>PyTorch ({@link ReferenceTrainer}, only on the class path with the Maven profile
 * {@code bench-pytorch}): training seconds per epoch and until the training accuracy, evaluated a few
 * times per epoch with the evaluation time left out, first reaches the target.
 *
 * <p>Ours, in two steps as in the MNIST time-to-accuracy section. First each candidate setting is
 * followed iteration by iteration through the same engine calls {@code fit} makes, the training
 * accuracy checked after every iteration on the driver (a tenth of the rows; all rows once that
 * estimate is within a point of the target), its time left out. Then the fastest setting is fitted
 * through {@code BackpropClassifier.fit} with just enough iterations, timed as a user sees it: from the
 * cached input DataFrame, so the time includes stacking and caching the training blocks. The model's
 * training accuracy ({@code transform} and Spark's evaluator over all rows) must reach the target,
 * else the fit is repeated with more iterations.
 */
final class PytorchSection {
  /**
   * One setting of ours tried; {@code localSteps > 1} ignores {@code miniBatchFraction}; a
   * {@code decayRate} below 1 sets the exponential learning-rate schedule (multiplied by it every
   * iteration, which does not depend on maxIter).
   */
  record Candidate(String solver, double stepSize, int blockSize, double miniBatchFraction,
      int localSteps, double decayRate) {
    String name() {
      String sampling = localSteps > 1 ? ", localSteps " + localSteps
          : miniBatchFraction < 1 ? ", miniBatchFraction " + miniBatchFraction : ", full batch";
      return String.format(Locale.ROOT, "%s step %s, blockSize %d%s%s", solver, stepSize, blockSize,
          sampling, decayRate < 1 ? ", exponential decay " + decayRate : "");
    }

    /** Rows one iteration trains on (expected), for epoch equivalents. */
    double rowsPerIteration(long rows, int partitions) {
      return localSteps > 1 ? (double) partitions * localSteps * blockSize
          : rows * Math.min(1.0, miniBatchFraction);
    }

    /** {@code solver/stepSize/blockSize/miniBatchFraction/localSteps[/decayRate]}. */
    static Candidate parse(String spec) {
      String[] f = spec.trim().split("/");
      if (f.length != 5 && f.length != 6) {
        throw new IllegalArgumentException("A setting is solver/stepSize/blockSize/miniBatchFraction/"
            + "localSteps[/decayRate], e.g. adam/0.01/128/0.1/1; got " + spec);
      }
      return new Candidate(f[0], Double.parseDouble(f[1]), Integer.parseInt(f[2]),
          Double.parseDouble(f[3]), Integer.parseInt(f[4]),
          f.length == 6 ? Double.parseDouble(f[5]) : 1.0);
    }
  }

  /** What following one candidate showed. */
  record Curve(Candidate candidate, int iterationsToTarget, double secondsToTarget,
      double bestAccuracy, int iterationsRun, double secondsRun) {}

  /** One timed ML-API fit with its listener's view. */
  record TimedFit(int maxIter, double wallSeconds, double setupSeconds, double accuracy) {}

  /**
   * Local SGD (plain SGD steps in each partition, averaged every round) with and without decay: the
   * fastest to 0.93 among the settings tried in {@code src/bench/results/pytorch-explore-*.md};
   * adam with miniBatchFraction 0.02-0.1 stayed below 0.923 after 300 iterations there.
   */
  static final String DEFAULT_CANDIDATES = String.join(",",
      "gd/1.0/128/1/50", "gd/2.0/128/1/50/0.995", "gd/3.0/128/1/50/0.99", "gd/2.0/64/1/100/0.995");

  private static final String ACTIVATION = "sigmoid";
  /** Rows per block of the driver-side accuracy evaluation. */
  private static final int EVAL_BLOCK = 1024;
  /** Every this many evaluation blocks is in the quick estimate. */
  private static final int QUICK_EVERY = 10;

  private final SparkSession spark;
  private final SparkContext sc;
  private final JobTimer timer;
  private final BenchOptions o;
  private final Report report;
  private final int[] layers;
  /** Why PyTorch has no time, for the summary. */
  private String pytorchMissing = "not measured";

  PytorchSection(SparkSession spark, JobTimer timer, BenchOptions o, Report report) {
    this.spark = spark;
    this.sc = spark.sparkContext();
    this.timer = timer;
    this.o = o;
    this.report = report;
    this.layers = o.layers();
  }

  void run() {
    SyntheticData generator = new SyntheticData(o.features, o.classes, o.seed);
    Dataset<Row> data = generator.generate(spark, o.rows, o.partitions).cache();
    data.count();
    TrainingSet set = TrainingSet.generate(generator, (int) o.rows, o.features);
    report.header(String.format(Locale.ROOT, "pytorch section: %,d synthetic rows (the pass section's "
        + "generator), layers %s, %s, target training accuracy %.2f", o.rows, Arrays.toString(layers),
        ACTIVATION, o.targetAccuracy));
    double pytorch = pytorch(set);
    double ours = ours(data, set);
    data.unpersist(true);
    String measurement = String.format(Locale.ROOT,
        "time to training accuracy %.2f, %,d synthetic rows, %s net (MLPC column: PyTorch via DJL)",
        o.targetAccuracy, o.rows, ACTIVATION);
    if (Double.isNaN(pytorch) || Double.isNaN(ours)) {
      report.summary(measurement, Double.isNaN(pytorch) ? pytorchMissing : Stats.fmt(pytorch) + " s",
          Double.isNaN(ours) ? "not reached" : Stats.fmt(ours) + " s", "", "<= 2x PyTorch", null);
      return;
    }
    double ratio = ours / pytorch;
    report.summary(measurement, Stats.fmt(pytorch) + " s", Stats.fmt(ours) + " s",
        Report.x(ratio) + " of PyTorch's time", "<= 2x PyTorch", ratio <= 2);
  }

  // ---------------------------------------------------------------- PyTorch

  /** Median PyTorch training seconds to the target, or NaN when PyTorch cannot run or never reached it. */
  private double pytorch(TrainingSet set) {
    if (o.pytorchRuns <= 0) {
      report.note("pytorch: PyTorch runs skipped (--pytorch-runs 0)");
      return Double.NaN;
    }
    ReferenceTrainer reference;
    try {
      reference = ReferenceTrainer.load();
    } catch (ClassNotFoundException e) {
      report.note("pytorch: PyTorch was not measured: " + ReferenceTrainer.IMPLEMENTATION
          + " is not on the class path; run with the Maven profiles bench and bench-pytorch "
          + "(mvn -Pbench,bench-pytorch ...)");
      return Double.NaN;
    } catch (ReflectiveOperationException | LinkageError e) {
      report.note("pytorch: cannot create " + ReferenceTrainer.IMPLEMENTATION + ": " + e);
      return Double.NaN;
    }
    ReferenceTrainer.Settings settings = new ReferenceTrainer.Settings(ACTIVATION,
        o.pytorchLearningRate, o.pytorchBatchSize, o.pytorchThreads, o.pytorchMaxEpochs,
        o.pytorchEvalsPerEpoch, o.targetAccuracy, o.seed);
    ReferenceTrainer.Problem problem =
        new ReferenceTrainer.Problem(set.features(), set.labels(), set.rows(), o.features, layers);
    List<ReferenceTrainer.Run> runs = new ArrayList<>();
    String engine;
    try {
      // An untimed short run first: native library loading, torch's first calls, JIT.
      reference.train(new ReferenceTrainer.Problem(set.features(), set.labels(),
          Math.min(set.rows(), 20_000), o.features, layers), new ReferenceTrainer.Settings(ACTIVATION,
          o.pytorchLearningRate, o.pytorchBatchSize, o.pytorchThreads, 1, 1, 2.0, o.seed + 1));
      engine = reference.describe(settings);
      for (int r = 0; r < o.pytorchRuns; r++) {
        System.out.println("pytorch: PyTorch run " + (r + 1) + " of " + o.pytorchRuns);
        runs.add(reference.train(problem, settings));
      }
    } catch (RuntimeException | LinkageError e) {
      e.printStackTrace();
      report.note("pytorch: PyTorch (DJL) failed: " + e + (e.getCause() == null ? ""
          : "; caused by " + e.getCause()));
      return Double.NaN;
    }
    report.header("pytorch reference: " + engine);
    Table epochs = report.detail(String.format(Locale.ROOT,
            "PyTorch (DJL) on %,d rows: Adam lr %s, batch %d, %d intra-op threads, shuffled every "
                + "epoch; training seconds exclude the accuracy evaluations", o.rows,
            o.pytorchLearningRate, o.pytorchBatchSize, o.pytorchThreads),
        "run", "setup (tensors, model)", "seconds per epoch", "samples/s per epoch",
        "training accuracy after each epoch", "time to target", "epochs to target");
    List<Double> toTarget = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      ReferenceTrainer.Run run = runs.get(r);
      Stats perEpoch = Stats.of(run.epochSeconds());
      List<String> accuracies = new ArrayList<>();
      for (ReferenceTrainer.Evaluation e : run.evaluations()) {
        if (Math.abs(e.epochs() - Math.rint(e.epochs())) < 1e-9) {
          accuracies.add(String.format(Locale.ROOT, "%.4f", e.accuracy()));
        }
      }
      boolean reached = !Double.isNaN(run.secondsToTarget());
      if (reached) {
        toTarget.add(run.secondsToTarget());
      }
      epochs.add(Integer.toString(r + 1), Stats.fmt(run.setupSeconds()) + " s", perEpoch.seconds(),
          String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", o.rows / perEpoch.median(),
              o.rows / perEpoch.max(), o.rows / perEpoch.min()),
          String.join(", ", accuracies), reached ? Stats.fmt(run.secondsToTarget()) + " s"
              : "not reached in " + run.epochSeconds().size() + " epochs",
          reached ? String.format(Locale.ROOT, "%.2f", run.epochsToTarget()) : "");
    }
    Table curve = report.detail("PyTorch (DJL) training accuracy by training time (run 1)",
        "epochs", "training seconds", "training accuracy");
    for (ReferenceTrainer.Evaluation e : runs.get(0).evaluations()) {
      curve.add(String.format(Locale.ROOT, "%.2f", e.epochs()), Stats.fmt(e.trainingSeconds()),
          String.format(Locale.ROOT, "%.4f", e.accuracy()));
    }
    if (toTarget.size() < runs.size()) {
      pytorchMissing = "not reached in " + o.pytorchMaxEpochs + " epochs";
      return Double.NaN;
    }
    return Stats.of(toTarget).median();
  }

  // ---------------------------------------------------------------- ours

  /** Median ML-API fit wall seconds to the target, or NaN if no setting reached it. */
  private double ours(Dataset<Row> data, TrainingSet set) {
    List<Candidate> candidates = new ArrayList<>();
    for (String spec : o.oursPytorchSettings.split(",")) {
      candidates.add(Candidate.parse(spec));
    }
    Dataset<Row> small = data.limit((int) Math.min(o.rows, 5_000L)).cache();
    small.count();
    for (Candidate c : candidates) {
      ours(c, 3).fit(small);
    }
    small.unpersist(true);

    Table curves = report.detail(String.format(Locale.ROOT,
            "Ours on %,d rows (%s, %d partitions, %s): followed iteration by iteration to training "
                + "accuracy %.2f (engine run incl. stacking, accuracy checks left out)", o.rows, o.master,
            o.partitions, ACTIVATION, o.targetAccuracy),
        "setting", "iterations to target", "seconds to target", "epochs of rows to target",
        "best accuracy", "iterations run", "seconds per iteration");
    Curve best = null;
    try (Evaluator evaluator = new Evaluator(set)) {
      for (Candidate c : candidates) {
        System.out.println("pytorch: following ours, " + c.name());
        Curve curve = follow(data, c, evaluator);
        boolean reached = curve.iterationsToTarget() > 0;
        System.out.printf(Locale.ROOT, "pytorch:   %s after %d iterations, %.2f s (best accuracy %.4f)%n",
            reached ? "reached" : "not reached", curve.iterationsRun(),
            reached ? curve.secondsToTarget() : curve.secondsRun(), curve.bestAccuracy());
        curves.add(c.name(), reached ? Integer.toString(curve.iterationsToTarget()) : "not reached",
            reached ? Stats.fmt(curve.secondsToTarget()) : "",
            reached ? String.format(Locale.ROOT, "%.1f", curve.iterationsToTarget()
                * c.rowsPerIteration(o.rows, o.partitions) / o.rows) : "",
            String.format(Locale.ROOT, "%.4f", curve.bestAccuracy()),
            Integer.toString(curve.iterationsRun()),
            Stats.fmt(curve.secondsRun() / Math.max(1, curve.iterationsRun())));
        if (reached && (best == null || curve.secondsToTarget() < best.secondsToTarget())) {
          best = curve;
        }
      }
    }
    if (best == null) {
      report.note("pytorch: no setting of ours reached the target within "
          + o.oursPytorchMaxIterations + " iterations");
      return Double.NaN;
    }
    return confirm(data, best);
  }

  private BackpropClassifier ours(Candidate c, int maxIter) {
    BackpropClassifier estimator = new BackpropClassifier().setLayers(layers)
        .setActivation(ACTIVATION).setSolver(c.solver()).setStepSize(c.stepSize())
        .setBlockSize(c.blockSize())
        .setMiniBatchFraction(c.localSteps() > 1 ? 1.0 : c.miniBatchFraction())
        .setLocalSteps(c.localSteps()).setMaxIter(maxIter).setSeed(o.seed)
        .setDriverTrainingMaxMB(0); // timed as Spark jobs, like the README's table
    if (c.decayRate() < 1) {
      estimator.setLearningRateSchedule("exponential").setDecayRate(c.decayRate());
    }
    return estimator;
  }

  /**
   * Trains like {@code BackpropClassifier.fit} (same stacking, standardisation, initial weights and
   * loop settings) and checks the training accuracy after every iteration, stopping at the target.
   */
  private Curve follow(Dataset<Row> data, Candidate c, Evaluator evaluator) {
    BackpropClassifier defaults = ours(c, o.oursPytorchMaxIterations);
    TrainingConfig config = new TrainingConfig().solver(c.solver()).stepSize(c.stepSize())
        .maxIter(o.oursPytorchMaxIterations).tol(defaults.getTol()).seed(o.seed)
        .miniBatchFraction(defaults.getMiniBatchFraction()).regParam(0).elasticNetParam(0)
        .localSteps(c.localSteps()).checkpointInterval(1);
    if (c.decayRate() < 1) {
      config.schedule(LearningRateSchedules.EXPONENTIAL)
          .scheduleSettings(ScheduleSettings.defaults().withGamma(c.decayRate()));
    }
    config.validate();
    AccuracyFollower.Result r = new AccuracyFollower(o.targetAccuracy).follow(follower -> {
      try (StackedData stacked = BlockStacker.stack(data, TrainingInput.classification("features",
          "label", o.classes), c.blockSize(), StorageLevel.MEMORY_AND_DISK())) {
        FeedForwardNetwork network = new FeedForwardNetwork(layers, Activation.SIGMOID,
            new SoftmaxCrossEntropy(), InputScaling.standardizing(stacked.summary().features()));
        DistributedTrainer.train(stacked, network, network.initialParams(o.seed), config, null,
            TrainingListener.NONE, follower.checkpointer(weights -> {
              // A sample first; all rows only when the sample says the target is near.
              float[] params = FloatArrays.fromDoubles(weights);
              double acc = evaluator.accuracy(network, params, true);
              return acc >= o.targetAccuracy - 0.01 ? evaluator.accuracy(network, params, false)
                  : acc;
            }));
      }
    });
    return new Curve(c, r.iterationsToTarget(), r.secondsToTarget(), r.bestAccuracy(),
        r.iterationsRun(), r.secondsRun());
  }

  /**
   * Fits the best setting through the ML API with the followed iteration count, {@code
   * --ours-pytorch-runs} times, raising maxIter if the model falls short of the target. Returns the
   * median fit wall time.
   */
  private double confirm(Dataset<Row> data, Curve best) {
    Candidate c = best.candidate();
    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");
    Table table = report.detail("Ours through the ML API: BackpropClassifier.fit(" + c.name()
            + ") on the cached input DataFrame; the wall time includes stacking and caching the blocks",
        "maxIter", "fit wall", "of which before the first iteration (stacking, setup)",
        "per iteration after that", "training accuracy (transform, all rows)", "reached target");
    int maxIter = best.iterationsToTarget();
    for (int attempt = 0; attempt < 4; attempt++) {
      List<TimedFit> fits = new ArrayList<>();
      boolean all = true;
      for (int r = 0; r < o.oursPytorchRuns; r++) {
        TimedFit fit = timedFit(data, c, maxIter, accuracy);
        fits.add(fit);
        boolean ok = fit.accuracy() >= o.targetAccuracy;
        all &= ok;
        table.add(Integer.toString(maxIter), Stats.fmt(fit.wallSeconds()) + " s",
            Stats.fmt(fit.setupSeconds()) + " s",
            Stats.fmt((fit.wallSeconds() - fit.setupSeconds()) / maxIter) + " s",
            String.format(Locale.ROOT, "%.4f", fit.accuracy()), ok ? "yes" : "no");
        if (!ok) {
          break;
        }
      }
      if (all) {
        List<Double> walls = new ArrayList<>();
        fits.forEach(f -> walls.add(f.wallSeconds()));
        return Stats.of(walls).median();
      }
      maxIter += Math.max(2, maxIter / 10);
    }
    report.note("pytorch: the ML-API fit did not reach the target although the followed run did");
    return Double.NaN;
  }

  private TimedFit timedFit(Dataset<Row> data, Candidate c, int maxIter,
      MulticlassClassificationEvaluator accuracy) {
    long[] fitStart = {0};
    long[] firstIteration = {-1};
    long[] firstElapsedMillis = {0};
    BackpropClassifier estimator = ours(c, maxIter).setTrainingListener(record -> {
      if (firstIteration[0] < 0) {
        firstIteration[0] = System.nanoTime();
        firstElapsedMillis[0] = record.elapsedMillis();
      }
    });
    Contender.Fit fit = Contender.run(sc, timer, "ours " + c.name() + ", maxIter " + maxIter,
        Contender.OUR_ITERATION, () -> {
          fitStart[0] = System.nanoTime();
          return estimator.fit(data);
        });
    // The loop's clock starts after stacking; its first record says how long iteration 1 took.
    double setup = (firstIteration[0] - fitStart[0]) / 1e9 - firstElapsedMillis[0] / 1e3;
    double acc = accuracy.evaluate(fit.model().transform(data));
    return new TimedFit(maxIter, fit.wallSeconds(), setup, acc);
  }

  /** The training rows on the driver: row-major features and labels, from the same generator. */
  record TrainingSet(float[] features, int[] labels, int rows) {
    static TrainingSet generate(SyntheticData generator, int rows, int width) {
      float[] x = new float[rows * width];
      int[] y = new int[rows];
      for (int r = 0; r < rows; r++) {
        Row row = generator.row(r);
        double[] values = ((Vector) row.get(1)).toArray();
        for (int i = 0; i < width; i++) {
          x[r * width + i] = (float) values[i];
        }
        y[r] = (int) row.getDouble(0);
      }
      return new TrainingSet(x, y, rows);
    }
  }

  /** Training accuracy of our network on the driver, over all rows or every tenth block, 2 threads. */
  private final class Evaluator implements AutoCloseable {
    private final List<float[]> blocks = new ArrayList<>();
    private final List<int[]> labels = new ArrayList<>();
    private final int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private final ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "pytorch-section-eval");
      t.setDaemon(true);
      return t;
    });

    Evaluator(TrainingSet set) {
      int width = o.features;
      for (int from = 0; from < set.rows(); from += EVAL_BLOCK) {
        int n = Math.min(EVAL_BLOCK, set.rows() - from);
        blocks.add(Arrays.copyOfRange(set.features(), from * width, (from + n) * width));
        labels.add(Arrays.copyOfRange(set.labels(), from, from + n));
      }
    }

    double accuracy(FeedForwardNetwork network, float[] params, boolean quick) {
      int step = quick && blocks.size() >= 2 * QUICK_EVERY ? QUICK_EVERY : 1;
      List<Future<long[]>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * step;
        parts.add(pool.submit(() -> {
          NetworkWorkspace workspace = network.newWorkspace(EVAL_BLOCK);
          long correct = 0;
          long total = 0;
          for (int b = first; b < blocks.size(); b += threads * step) {
            int[] y = labels.get(b);
            float[] out = network.forward(params, blocks.get(b), y.length, workspace);
            int width = network.outputWidth();
            for (int j = 0; j < y.length; j++) {
              int arg = 0;
              for (int i = 1; i < width; i++) {
                if (out[j * width + i] > out[j * width + arg]) {
                  arg = i;
                }
              }
              correct += arg == y[j] ? 1 : 0;
            }
            total += y.length;
          }
          return new long[] {correct, total};
        }));
      }
      long correct = 0;
      long total = 0;
      try {
        for (Future<long[]> part : parts) {
          long[] r = part.get();
          correct += r[0];
          total += r[1];
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      return (double) correct / total;
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
