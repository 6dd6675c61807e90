package io.sparkbackprop.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The defaults suite of issue 12: on the public tuning sets and sample-data, Spark's MLPC (l-bfgs,
 * 200 iterations, same hidden layer), LinearRegression and GBTRegressor against ours with one or more
 * param regimes, under one protocol: three seeded 80/20 splits, a {@code StandardScaler} (mean and
 * standard deviation, fitted on the training split) in front, hiddenLayers [64], mean test accuracy or
 * R² and mean fit seconds per model and set. Prints the tables and writes them as Markdown
 * ({@code src/bench/results/suite-*.md} by default). See {@code --help} and {@code src/bench/README.md}.
 */
public final class SuiteBenchmark {
  private SuiteBenchmark() {}

  public static void main(String[] args) {
    SuiteOptions o = SuiteOptions.parse(args);
    if (o.quiet) {
      Configurator.setLevel("io.sparkbackprop", Level.WARN);
    }
    SparkSession spark = SparkSession.builder().master(o.master)
        .appName("spark-backprop defaults suite")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      run(spark, o);
    } finally {
      spark.stop();
    }
  }

  static void run(SparkSession spark, SuiteOptions o) {
    long start = System.nanoTime();
    List<DataSet> sets = DataSet.select(o.sets);
    List<Contender> baselines = o.baselines.equals("none") ? List.of()
        : List.of(new Contender.Mlpc(o.hidden, o.mlpcMaxIter), new Contender.Linear(),
            new Contender.Gbt());
    List<Contender.Ours> ours = new ArrayList<>();
    o.regimes.forEach(r -> ours.add(new Contender.Ours(r, o.hidden)));
    BaselineCache cache = new BaselineCache(Path.of(o.baselineCache));
    Results results = new Results();
    List<String> header = new ArrayList<>();
    header.add("machine: " + machine() + "; Spark " + spark.version());
    header.add(o.describe());
    if (!o.title.isEmpty()) {
      header.add(o.title);
    }
    for (Contender.Ours c : ours) {
      header.add("regime `" + c.name + "`: " + c.regime.describe());
    }
    System.out.println("Suite: " + o.describe() + "\nsets: " + names(sets));
    header.add(String.format(Locale.ROOT, "load average at start: %.2f", LoadMonitor.loadAverage()));
    boolean reused = false;
    try (LoadMonitor load = new LoadMonitor()) {
      if (o.warmUp) {
        warmUp(spark, o, baselines, ours);
      }
      for (DataSet set : sets) {
        Dataset<Row> all = read(spark, o, set).cache();
        long rows = all.count();
        int classes = set.isClassification()
            ? (int) Math.round(all.agg(functions.max("label")).first().getDouble(0)) + 1 : 0;
        results.addSet(set, rows, classes);
        for (long seed : o.seeds) {
          Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, seed);
          StandardScalerModel scaler = new StandardScaler().setInputCol("features")
              .setOutputCol("scaled").setWithMean(o.scalerWithMean).setWithStd(true).fit(split[0]);
          Dataset<Row> train = scaled(scaler, split[0]);
          if (o.partitions > 0) {
            train = train.repartition(o.partitions);
          }
          train = train.cache();
          Dataset<Row> test = scaled(scaler, split[1]).cache();
          long trainRows = train.count();
          test.count();
          int partitions = train.rdd().getNumPartitions();
          Contender.SplitData data = new Contender.SplitData(set, seed, train, test, trainRows,
              partitions, classes);
          for (Contender c : baselines) {
            if (!c.appliesTo(set)) {
              continue;
            }
            String key = BaselineCache.key(set.name(), seed, o.partitions, o.master,
                o.scalerWithMean ? c.name : c.name + "/std", o.mlpcMaxIter, o.hidden);
            Contender.Fit fit = o.baselines.equals("reuse") ? cache.get(key) : null;
            if (fit != null) {
              reused = true;
            } else {
              fit = c.fit(data);
              cache.put(key, fit);
            }
            record(results, set, seed, c.name, fit);
          }
          for (Contender.Ours c : ours) {
            record(results, set, seed, c.name, fitOrFailure(c, data));
          }
          train.unpersist();
          test.unpersist();
        }
        all.unpersist();
        // Partial tables after every set, so a long run that is stopped still leaves its results.
        write(Path.of(o.out), new SuiteReport(results, regimeNames(ours), header).markdown()
            + "\n(partial: written after " + set.name() + ")\n");
      }
      header.add(load.describe());
    }
    for (Contender.Ours c : ours) {
      results.derived(c.name, c.derived);
    }
    header.add(String.format(Locale.ROOT, "load average at end: %.2f; suite wall time %.0f s",
        LoadMonitor.loadAverage(), (System.nanoTime() - start) / 1e9));
    if (reused) {
      header.add("baseline results reused from " + o.baselineCache
          + " (accuracy is deterministic; their fit times come from the earlier run)");
    }
    SuiteReport report = new SuiteReport(results, regimeNames(ours), header);
    System.out.print(report.text());
    write(Path.of(o.out), report.markdown());
    System.out.println("\nWritten to " + Path.of(o.out).toAbsolutePath());
  }

  private static List<String> regimeNames(List<Contender.Ours> ours) {
    List<String> names = new ArrayList<>();
    ours.forEach(c -> names.add(c.name));
    return names;
  }

  /**
   * A fit that fails (divergence, a refused param combination) counts as a failed split, NaN metric,
   * with the first words of the message as its stop reason; the suite goes on.
   */
  private static Contender.Fit fitOrFailure(Contender c, Contender.SplitData data) {
    try {
      return c.fit(data);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message = String.valueOf(root.getMessage());
      String reason = message.startsWith("Training diverged") ? "DIVERGED"
          : "FAILED: " + message.substring(0, Math.min(80, message.length()));
      System.out.println("  " + c.name + " on " + data.set().name() + ": " + message);
      return new Contender.Fit(Double.NaN, Double.NaN, -1, reason);
    }
  }

  private static void record(Results results, DataSet set, long seed, String model,
      Contender.Fit fit) {
    results.add(set, model, fit);
    System.out.printf(Locale.ROOT, "  %-12s seed %d  %-28s %s %.4f  %7.2f s  %s%s%n", set.name(),
        seed, model, set.isClassification() ? "acc" : "R^2", fit.metric(), fit.seconds(),
        fit.iterations() >= 0 ? fit.iterations() + " it" : "",
        fit.stopReason().isEmpty() ? "" : " " + fit.stopReason());
  }

  private static Dataset<Row> read(SparkSession spark, SuiteOptions o, DataSet set) {
    Path file = Path.of(o.dataDir, set.file());
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("Cannot read " + file.toAbsolutePath()
          + " (run from the repository root or pass --data)");
    }
    return spark.read().format("libsvm").option("numFeatures", Integer.toString(set.numFeatures()))
        .load(file.toString());
  }

  private static Dataset<Row> scaled(StandardScalerModel scaler, Dataset<Row> rows) {
    return scaler.transform(rows).select(functions.col("scaled").as("features"),
        functions.col("label"));
  }

  /** One short fit of every contender on iris, so no set pays for class loading and JIT alone. */
  private static void warmUp(SparkSession spark, SuiteOptions o, List<Contender> baselines,
      List<Contender.Ours> ours) {
    long start = System.nanoTime();
    DataSet iris = DataSet.select("iris").get(0);
    DataSet diabetes = DataSet.select("diabetes").get(0);
    for (DataSet set : List.of(iris, diabetes)) {
      Dataset<Row> all = read(spark, o, set).cache();
      Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, 1);
      StandardScalerModel scaler = new StandardScaler().setInputCol("features")
          .setOutputCol("scaled").setWithMean(true).setWithStd(true).fit(split[0]);
      Dataset<Row> train = scaled(scaler, split[0]).cache();
      Dataset<Row> test = scaled(scaler, split[1]).cache();
      Contender.SplitData data = new Contender.SplitData(set, 1, train, test, train.count(),
          train.rdd().getNumPartitions(), set.isClassification() ? 3 : 0);
      for (Contender c : baselines) {
        if (c.appliesTo(set)) {
          c.fit(data);
        }
      }
      new Contender.Ours(Regime.defaults(), o.hidden).fit(data);
      train.unpersist();
      test.unpersist();
      all.unpersist();
    }
    System.out.printf(Locale.ROOT, "warm-up: %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static String names(List<DataSet> sets) {
    List<String> names = new ArrayList<>();
    sets.forEach(s -> names.add(s.name()));
    return String.join(", ", names);
  }

  /** CPU model, cores and Java, plus the BLAS our engine picked (looked up by name: the engine's
   *  packages are being reorganised, and the bench should not break with them). */
  static String machine() {
    String cpu = System.getProperty("os.arch");
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException | RuntimeException e) {
      // keep the architecture
    }
    String blas = "unknown";
    for (String name : List.of("io.sparkbackprop.nn.Blas", "io.sparkbackprop.nn.linalg.Blas")) {
      try {
        blas = (String) Class.forName(name).getMethod("implementationName").invoke(null);
        break;
      } catch (ReflectiveOperationException | RuntimeException e) {
        // try the next location
      }
    }
    return String.format(Locale.ROOT, "%s, %d cores, Java %s, our BLAS %s", cpu,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), blas);
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
