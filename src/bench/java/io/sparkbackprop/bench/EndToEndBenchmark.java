package io.sparkbackprop.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's MultilayerPerceptronClassifier against ours in one JVM and one SparkSession, on the same
 * seeded synthetic data (and MNIST for time-to-accuracy). Sections: GEMM peak, seconds per pass,
 * per-iteration floor, memory, inference and time-to-accuracy; on request also scaling with rows and
 * cores ({@link ScalingSection}) and time-to-accuracy against PyTorch ({@link PytorchSection}); see
 * {@link BenchOptions} or
 * {@code --help} for the settings and {@code src/bench/README.md} for how to run it.
 *
 * <p>Prints one summary table (measurement, MLPC, ours, ratio, the performance issue's target) and
 * detail tables, and writes them as Markdown to {@code --out}.
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  public static void main(String[] args) {
    BenchOptions o = BenchOptions.parse(args);
    SparkSession spark = SparkSession.builder().master(o.master)
        .appName("spark-backprop end-to-end benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(o.partitions))
        .getOrCreate();
    try {
      run(spark, o);
    } finally {
      spark.stop();
    }
  }

  static void run(SparkSession spark, BenchOptions o) {
    long start = System.nanoTime();
    SparkContext sc = spark.sparkContext();
    Report report = new Report("spark-backprop vs Spark MultilayerPerceptronClassifier");
    report.header("machine: " + Machine.describe());
    report.header("Spark " + spark.version() + ", " + o.describe());
    JobTimer timer = JobTimer.install(sc);
    System.out.println("Benchmark: " + o.describe() + "\n" + Machine.describe());

    Peaks peaks = o.runs("peak")
        ? Peaks.measure(sc.defaultParallelism(), o.peakSeconds, report) : Peaks.none();
    PassSection.Result pass = null;
    if (o.runs("pass") || o.runs("floor") || o.runs("memory") || o.runs("inference")) {
      Dataset<Row> data = new SyntheticData(o.features, o.classes, o.seed)
          .generate(spark, o.rows, o.partitions);
      long dataFrameBytes;
      try (StorageProbe probe = new StorageProbe(sc)) {
        data = data.cache();
        data.count();
        dataFrameBytes = probe.peakBytes();
      }
      report.header("synthetic class shares: " + classShares(data));
      PassSection passes = new PassSection(sc, timer, o, report, peaks);
      passes.warmUp(data);
      pass = o.runs("pass") ? passes.run(data) : null;
      FloorSection floor = new FloorSection(spark, timer, o, report);
      if (o.runs("floor")) {
        floor.run(data, passes);
      }
      if (o.runs("memory")) {
        memory(sc, timer, o, report, data, dataFrameBytes, pass, passes, floor);
      }
      if (o.runs("inference")) {
        inference(o, report, data, pass, passes);
      }
      data.unpersist(true);
    }
    if (o.runs("tta")) {
      new MnistTimeToAccuracy(spark, timer, o, report).run();
    }
    if (o.runs("scaling")) {
      new ScalingSection(spark, timer, o, report).run(ScalingSection.blockSize(o, pass));
    }
    if (o.runs("pytorch")) {
      new PytorchSection(spark, timer, o, report).run();
    }
    report.header(String.format(Locale.ROOT, "benchmark wall time: %.0f s",
        (System.nanoTime() - start) / 1e9));
    System.out.print(report.text());
    Path out = Path.of(o.out);
    Table.write(out, report.markdown());
    System.out.println("\nWritten to " + out.toAbsolutePath());
  }

  private static String classShares(Dataset<Row> data) {
    List<Row> counts = data.groupBy("label").count().orderBy("label").collectAsList();
    long total = counts.stream().mapToLong(r -> r.getLong(1)).sum();
    List<String> shares = new ArrayList<>();
    for (Row r : counts) {
      shares.add(String.format(Locale.ROOT, "%d: %.1f%%", (int) r.getDouble(0), 100.0 * r.getLong(1) / total));
    }
    return String.join(", ", shares);
  }

  private static void memory(SparkContext sc, JobTimer timer, BenchOptions o, Report report,
      Dataset<Row> data, long dataFrameBytes, PassSection.Result pass, PassSection passes,
      FloorSection floor) {
    long raw = o.rows * (o.features + 1L) * 4;
    FloorSection.Blocks blocks = floor.measureBlocks(data);
    long mlpcBytes = pass != null ? pass.mlpc().peakCachedBytes()
        : Contender.run(sc, timer, "MLPC gd, 2 iterations", Contender.MLPC_ITERATION,
            () -> passes.mlpc("gd", o.blockSizes[0], 2).fit(data)).peakCachedBytes();
    Table table = report.detail("Memory of the training data", "what", "bytes", "vs raw float32");
    table.add("raw float32 (rows x (features + label) x 4 B)", Report.mib(raw), "1.00x");
    table.add("input DataFrame, cached (Spark storage)", Report.mib(dataFrameBytes),
        Report.x((double) dataFrameBytes / raw));
    table.add("MLPC's own cache during fit (Spark storage, peak)", Report.mib(mlpcBytes),
        Report.x((double) mlpcBytes / raw));
    table.add("our cached blocks (Spark storage)", Report.mib(blocks.storageBytes()),
        Report.x((double) blocks.storageBytes() / raw));
    table.add("our cached blocks (array bytes)", Report.mib(blocks.arrayBytes()),
        Report.x((double) blocks.arrayBytes() / raw));
    double ratio = (double) blocks.storageBytes() / raw;
    report.summary("cached training data (Spark storage; target vs raw float32 " + Report.mib(raw) + ")",
        Report.mib(mlpcBytes), Report.mib(blocks.storageBytes()),
        Report.x((double) blocks.storageBytes() / mlpcBytes) + " of MLPC, " + Report.x(ratio) + " of raw",
        "<= 1.2x raw", ratio <= 1.2);
  }

  private static void inference(BenchOptions o, Report report, Dataset<Row> data,
      PassSection.Result pass, PassSection passes) {
    Transformer mlpc = pass != null ? pass.mlpc().model()
        : passes.mlpc("gd", o.blockSizes[0], 1).fit(data);
    Transformer same = pass != null ? pass.oursSame().model()
        : passes.ours("gd", "sigmoid", o.blockSizes[0], 1).fit(data);
    Transformer relu = pass != null ? pass.oursBest().model()
        : passes.ours("gd", "relu", o.blockSizes[0], 1).fit(data);
    Table table = report.detail("Inference: transform of the cached " + o.rows
            + " rows, all output columns written to the noop sink", "model", "seconds", "rows/s");
    Stats scan = time(o.inferenceRepeats, () -> data.write().format("noop").mode("overwrite").save());
    table.add("(no model: scan of the cached input only)", scan.seconds(), Report.rate(o.rows / scan.median()));
    Stats mlpcTime = transform(o, mlpc, data);
    table.add("MLPC", mlpcTime.seconds(), Report.rate(o.rows / mlpcTime.median()));
    Stats sameTime = transform(o, same, data);
    table.add("ours, sigmoid (same network as MLPC)", sameTime.seconds(), Report.rate(o.rows / sameTime.median()));
    Stats reluTime = transform(o, relu, data);
    table.add("ours, relu", reluTime.seconds(), Report.rate(o.rows / reluTime.median()));
    for (int blockSize : new int[] {128, 1024}) {
      Stats batched = time(o.inferenceRepeats, () -> BatchedInference.transform(data, o.layers(),
          "sigmoid", o.seed, blockSize).write().format("noop").mode("overwrite").save());
      table.add("prototype (bench code, not the library): sigmoid net, forward over blocks of "
          + blockSize + " rows in mapPartitions", batched.seconds(), Report.rate(o.rows / batched.median()));
    }
    double speedUp = mlpcTime.median() / sameTime.median();
    report.summary("inference rows/s (transform, same network)", Report.rate(o.rows / mlpcTime.median()),
        Report.rate(o.rows / sameTime.median()), Report.x(speedUp) + " faster", ">= 3x", speedUp >= 3);
  }

  private static Stats transform(BenchOptions o, Transformer model, Dataset<Row> data) {
    return time(o.inferenceRepeats,
        () -> model.transform(data).write().format("noop").mode("overwrite").save());
  }

  /** Runs the action once untimed, then {@code repeats} times timed. */
  private static Stats time(int repeats, Runnable action) {
    action.run();
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      action.run();
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    return Stats.of(seconds);
  }
}
