package io.sparkbackprop.bench.scaling;

import io.sparkbackprop.bench.CachedBlocks;
import io.sparkbackprop.bench.JobTimer;
import io.sparkbackprop.bench.SyntheticData;
import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.DistributedTrainer;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.training.Checkpointer;
import io.sparkbackprop.nn.training.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Measures, on the cluster it is submitted to (one core per executor, one partition per core), our
 * trainer's iteration time and its parts for networks {@code features-h-h-classes} of several
 * hidden widths {@code h} and two row counts per width, and appends one {@link Measurement} line per
 * point and repeat to {@code --out}. Every point is measured {@code --repeats} times, the repeats
 * interleaved so that load from elsewhere hits all points alike; {@link CostModelFit} keeps the
 * minimum. Usage (options and defaults: {@code --help}):
 *
 * <pre>
 * spark-submit --master spark://127.0.0.1:7177 --class io.sparkbackprop.bench.scaling.ScalingCostModel \
 *   target/scaling-bench.jar --cluster standalone --executors 2 --out target/scaling/standalone-2.tsv
 * </pre>
 */
public final class ScalingCostModel {

  private final Options o;
  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final JobTimer timer;
  private final int partitions;
  private int groupCounter;

  private ScalingCostModel(Options o, SparkSession spark) {
    this.o = o;
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.timer = JobTimer.install(spark.sparkContext());
    this.partitions = o.executors * o.coresPerExecutor;
  }

  /** Command-line options. */
  static final class Options {
    String cluster = "local";
    int executors = 1;
    int coresPerExecutor = 1;
    int features = 100;
    int classes = 10;
    int[] hidden = {64, 256, 900, 1950};
    /** rows of the smaller data set = flopBudget / (6 x params); the larger has rowFactor times more. */
    double flopBudget = 3e9;
    int rowFactor = 4;
    int minRows = 256;
    int blockSize = 1024;
    int repeats = 3;
    int iterations = 5;
    int jobs = 3;
    int localSteps = 4;
    int depth = 2;
    Path out = Path.of("target/scaling/measurements.tsv");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--cluster" -> o.cluster = value;
          case "--executors" -> o.executors = Integer.parseInt(value);
          case "--cores-per-executor" -> o.coresPerExecutor = Integer.parseInt(value);
          case "--features" -> o.features = Integer.parseInt(value);
          case "--classes" -> o.classes = Integer.parseInt(value);
          case "--hidden" -> o.hidden = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt)
              .toArray();
          case "--flop-budget" -> o.flopBudget = Double.parseDouble(value);
          case "--row-factor" -> o.rowFactor = Integer.parseInt(value);
          case "--block-size" -> o.blockSize = Integer.parseInt(value);
          case "--repeats" -> o.repeats = Integer.parseInt(value);
          case "--iterations" -> o.iterations = Integer.parseInt(value);
          case "--jobs" -> o.jobs = Integer.parseInt(value);
          case "--local-steps" -> o.localSteps = Integer.parseInt(value);
          case "--depth" -> o.depth = Integer.parseInt(value);
          case "--out" -> o.out = Path.of(value);
          case "--help" -> {
            System.out.println(String.join("\n",
                "--cluster NAME          label of the cluster kind in the output (local)",
                "--executors N           executors the master gives this application (1)",
                "--cores-per-executor C  (1); partitions = N x C",
                "--features F --classes K  network input and output widths (100, 10)",
                "--hidden a,b,..         hidden widths h of networks F-h-h-K (64,256,900,1950)",
                "--flop-budget X         smaller rows = X / (6 x params) (3e9); larger = factor x",
                "--row-factor R          (4)",
                "--block-size B          rows per cached block (1024)",
                "--repeats R             interleaved repeats of every point (3)",
                "--iterations I          trainer iterations per fit; the first is dropped (5)",
                "--jobs J                timed jobs per primitive point and repeat, median (3)",
                "--local-steps K         also time the trainer with localSteps K, 0 = skip (4)",
                "--depth D               treeAggregate depth, as the trainer's aggregationDepth (2)",
                "--out FILE              measurements appended here (target/scaling/measurements.tsv)"));
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("Unknown option " + args[i]);
        }
        i++;
      }
      return o;
    }
  }

  public static void main(String[] args) {
    Options o = Options.parse(args);
    SparkSession spark = SparkSession.builder()
        .appName("spark-backprop scaling cost model, " + o.cluster + " x" + o.executors)
        .getOrCreate();
    try {
      spark.sparkContext().setLogLevel("WARN");
      new ScalingCostModel(o, spark).run();
    } finally {
      spark.stop();
    }
  }

  private void run() {
    waitForExecutors();
    comment("start " + Instant.now() + ", master " + spark.sparkContext().master() + ", "
        + o.executors + " executors x " + o.coresPerExecutor + " cores, " + partitions
        + " partitions, load average " + loadAverage());
    for (int h : o.hidden) {
      measureModel(h);
    }
    comment("end " + Instant.now() + ", load average " + loadAverage());
  }

  private void measureModel(int h) {
    int[] layers = {o.features, h, h, o.classes};
    FeedForwardNetwork network = new FeedForwardNetwork(layers, Activation.RELU,
        new SoftmaxCrossEntropy());
    long params = network.paramCount();
    long small = Math.max(o.minRows,
        Math.round(o.flopBudget / (6.0 * params)));
    long[] rowCounts = {small, small * o.rowFactor};
    System.out.printf(Locale.ROOT, "model %s: %,d parameters, rows %s%n", Arrays.toString(layers),
        params, Arrays.toString(rowCounts));
    List<Dataset<Row>> inputs = new ArrayList<>();
    List<StackedData> stacked = new ArrayList<>();
    List<JavaRDD<DataBlock>> blocks = new ArrayList<>();
    try {
      for (long rows : rowCounts) {
        // The values do not matter for timing; the generator only has to be cheap and seeded.
        Dataset<Row> input = new SyntheticData(o.features, o.classes, rows)
            .generate(spark, rows, partitions).cache();
        input.count();
        inputs.add(input);
        stacked.add(BlockStacker.stack(input, TrainingInput.classification("features", "label",
            o.classes), o.blockSize, StorageLevel.MEMORY_ONLY()));
        blocks.add(latestBlocks());
        input.unpersist(true);
      }
      if (h == o.hidden[0]) {
        comment("executor BLAS: " + stacked.get(0).summary().executorBlas());
      }
      float[] weights = PrimitiveJobs.randomFloats((int) params, h);
      double[] initial = network.initialParams(h);
      // Warm-up: class loading, JIT, executors' first fetches.
      for (int i = 0; i < 2; i++) {
        PrimitiveJobs jobs = new PrimitiveJobs(jsc, blocks.get(0), o.depth);
        jobs.empty();
        jobs.broadcast(weights);
        jobs.treeReduce((int) params);
        Broadcast<float[]> held = jsc.broadcast(weights);
        jobs.fetch(held);
        jobs.compute(network, held, o.blockSize);
        held.destroy();
      }
      fit(stacked.get(0), network, initial, 2, 1);
      for (int repeat = 0; repeat < o.repeats; repeat++) {
        PrimitiveJobs first = new PrimitiveJobs(jsc, blocks.get(0), o.depth);
        emit(h, params, rowCounts[0], Measurement.BROADCAST, repeat,
            median(() -> first.broadcast(weights)));
        emit(h, params, rowCounts[0], Measurement.REDUCE, repeat,
            median(() -> first.treeReduce((int) params)));
        for (int r = 0; r < rowCounts.length; r++) {
          long rows = rowCounts[r];
          PrimitiveJobs jobs = new PrimitiveJobs(jsc, blocks.get(r), o.depth);
          emit(h, params, rows, Measurement.EMPTY, repeat, median(jobs::empty));
          Broadcast<float[]> held = jsc.broadcast(weights);
          jobs.fetch(held);
          emit(h, params, rows, Measurement.COMPUTE, repeat,
              median(() -> jobs.compute(network, held, o.blockSize)));
          held.destroy();
          trainer(h, params, rows, repeat, stacked.get(r), network, initial, r == 0);
        }
      }
    } finally {
      stacked.forEach(StackedData::close);
      inputs.forEach(d -> d.unpersist(true));
    }
  }

  /** Our trainer (gd, full batch, tol 0): iteration periods, job times and slowest tasks. */
  private void trainer(int h, long params, long rows, int repeat, StackedData data,
      FeedForwardNetwork network, double[] initial, boolean withLocalSteps) {
    String group = "scaling-" + (++groupCounter);
    emit(h, params, rows, Measurement.ITERATION, repeat,
        fit(data, network, initial, o.iterations, 1, group));
    List<JobTimer.Job> jobs = timer.jobs(jsc.sc(), JobTimer.inGroup(group));
    List<Double> jobSeconds = new ArrayList<>();
    List<Double> taskSeconds = new ArrayList<>();
    for (int i = 1; i < jobs.size(); i++) {
      jobSeconds.add(jobs.get(i).millis() / 1e3);
      taskSeconds.add(jobs.get(i).maxTaskRun() / 1e3);
    }
    emit(h, params, rows, Measurement.ITERATION_JOB, repeat, median(jobSeconds));
    emit(h, params, rows, Measurement.TASK_MAX, repeat, median(taskSeconds));
    if (o.localSteps > 1 && withLocalSteps) {
      emit(h, params, rows, Measurement.LOCAL_STEPS, repeat,
          fit(data, network, initial, o.iterations, o.localSteps, null));
    }
  }

  private double fit(StackedData data, FeedForwardNetwork network, double[] initial,
      int iterations, int localSteps) {
    return fit(data, network, initial, iterations, localSteps, "scaling-warm-up");
  }

  /**
   * One fit (timed by the driver's iteration callbacks; jobs in {@code group} when not null);
   * returns the median driver period between iterations, the first dropped. */
  private double fit(StackedData data, FeedForwardNetwork network, double[] initial,
      int iterations, int localSteps, String group) {
    TrainingConfig config = new TrainingConfig().solver("gd").stepSize(localSteps > 1 ? 0.01 : 0.03)
        .maxIter(iterations).tol(0).seed(7).miniBatchFraction(1.0).aggregationDepth(o.depth)
        .localSteps(localSteps);
    List<Long> ends = new ArrayList<>();
    if (group != null) {
      jsc.setJobGroup(group, group, false);
    }
    try {
      DistributedTrainer.train(data, network, initial, config, null,
          record -> ends.add(System.nanoTime()), Checkpointer.NONE);
    } finally {
      jsc.clearJobGroup();
    }
    List<Double> periods = new ArrayList<>();
    for (int i = 1; i < ends.size(); i++) {
      periods.add((ends.get(i) - ends.get(i - 1)) / 1e9);
    }
    return median(periods);
  }

  private double median(DoubleSupplier job) {
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < o.jobs; i++) {
      seconds.add(job.getAsDouble());
    }
    return median(seconds);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private void emit(int h, long params, long rows, String kind, int repeat, double seconds) {
    Measurement m = new Measurement(o.cluster, o.executors, partitions, h, params, rows, kind,
        repeat, seconds);
    System.out.println(m.line());
    append(m.line());
  }

  private void comment(String text) {
    System.out.println("# " + text);
    append("# " + text);
  }

  private void append(String line) {
    try {
      if (o.out.getParent() != null) {
        Files.createDirectories(o.out.getParent());
      }
      Files.writeString(o.out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + o.out, e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Waits (up to 2 minutes) until the master gave this application all its executors. */
  private void waitForExecutors() {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (jsc.statusTracker().getExecutorInfos().length - 1 < o.executors) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Only " + (jsc.statusTracker().getExecutorInfos().length - 1)
            + " of " + o.executors + " executors registered after 2 minutes");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The most recently cached RDD of training blocks (the one just stacked). */
  private JavaRDD<DataBlock> latestBlocks() {
    return CachedBlocks.latest(jsc);
  }
}
