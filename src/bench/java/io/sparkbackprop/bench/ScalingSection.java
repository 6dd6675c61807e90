package io.sparkbackprop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How the time per pass scales with the data and with the cores (the performance issue's target 5):
 * our full-pass gd iteration (relu, one block size) at several row counts in this session's master,
 * with MLPC's gd beside it, and the same pass at {@code --rows} rows on {@code local[1]}. A session's
 * master cannot change inside one JVM, so the {@code local[1]} fits run in a child JVM started with
 * this JVM's own flags and class path ({@link #main}); it prints its timings as tab-separated lines
 * that start with {@link #RESULT_PREFIX}.
 *
 * <p>Timings follow the pass section: median Spark job time of the iteration jobs after the first,
 * pooled over {@code --rounds} fits per configuration, the configurations run in turn.
 */
final class ScalingSection {
  static final String RESULT_PREFIX = "@@scaling\t";
  /** Block size when neither {@code --scaling-block-size} nor the pass section chose one. */
  static final int DEFAULT_BLOCK_SIZE = 1024;

  private final SparkSession spark;
  private final SparkContext sc;
  private final JobTimer timer;
  private final BenchOptions o;
  private final Report report;
  private final PassSection passes;

  ScalingSection(SparkSession spark, JobTimer timer, BenchOptions o, Report report) {
    this.spark = spark;
    this.sc = spark.sparkContext();
    this.timer = timer;
    this.o = o;
    this.report = report;
    this.passes = new PassSection(sc, timer, o, report, Peaks.none());
  }

  /** {@code --scaling-block-size}, else the pass section's best block size, else 1024. */
  static int blockSize(BenchOptions o, PassSection.Result pass) {
    if (o.scalingBlockSize > 0) {
      return o.scalingBlockSize;
    }
    return pass != null ? PassSection.blockSizeOf(pass.oursBest().name()) : DEFAULT_BLOCK_SIZE;
  }

  void run(int blockSize) {
    TreeSet<Long> sizeSet = new TreeSet<>();
    Arrays.stream(o.scalingRows).forEach(sizeSet::add);
    if (o.scalingChild) {
      sizeSet.add(o.rows);
    }
    List<Long> sizes = new ArrayList<>(sizeSet);
    Map<Long, Dataset<Row>> data = new LinkedHashMap<>();
    for (long rows : sizes) {
      Dataset<Row> d = new SyntheticData(o.features, o.classes, o.seed)
          .generate(spark, rows, o.partitions).cache();
      d.count();
      data.put(rows, d);
    }
    warmUp(blockSize, o.partitions);
    Map<String, List<Contender.Fit>> fits = new LinkedHashMap<>();
    for (int round = 0; round < o.rounds; round++) {
      for (long rows : sizes) {
        Dataset<Row> d = data.get(rows);
        add(fits, Contender.run(sc, timer, oursName(blockSize, rows), Contender.OUR_ITERATION,
            () -> passes.ours("gd", "relu", blockSize, o.iterations).fit(d)));
        if (o.scalingMlpc) {
          add(fits, Contender.run(sc, timer, mlpcName(rows), Contender.MLPC_ITERATION,
              () -> passes.mlpc("gd", o.blockSizes[0], o.iterations).fit(d)));
        }
      }
    }
    data.values().forEach(d -> d.unpersist(true));

    Table table = report.detail(String.format(Locale.ROOT,
            "Scaling with the rows (%s, %d partitions, layers %s, gd, %d iterations per fit, "
                + "iterations 2..%d of %d fit(s) pooled; ours relu blockSize %d, MLPC sigmoid blockSize %d)",
            o.master, o.partitions, Arrays.toString(o.layers()), o.iterations, o.iterations, o.rounds,
            blockSize, o.blockSizes[0]),
        "rows", "ours: job per pass", "ours: us per row", "MLPC: job per pass", "MLPC: us per row",
        "ours vs MLPC");
    double oursMin = Double.MAX_VALUE;
    double oursMax = 0;
    double mlpcMin = Double.MAX_VALUE;
    double mlpcMax = 0;
    for (long rows : sizes) {
      Stats ours = new Contender.Pooled("", fits.get(oursName(blockSize, rows))).jobSeconds();
      double oursPerRow = ours.median() / rows * 1e6;
      if (isScalingSize(rows)) {
        oursMin = Math.min(oursMin, oursPerRow);
        oursMax = Math.max(oursMax, oursPerRow);
      }
      String mlpcPass = "";
      String mlpcRow = "";
      String ratio = "";
      if (o.scalingMlpc) {
        Stats mlpc = new Contender.Pooled("", fits.get(mlpcName(rows))).jobSeconds();
        double mlpcPerRow = mlpc.median() / rows * 1e6;
        if (isScalingSize(rows)) {
          mlpcMin = Math.min(mlpcMin, mlpcPerRow);
          mlpcMax = Math.max(mlpcMax, mlpcPerRow);
        }
        mlpcPass = mlpc.seconds();
        mlpcRow = String.format(Locale.ROOT, "%.3f", mlpcPerRow);
        ratio = Report.x(mlpc.median() / ours.median()) + " faster";
      }
      table.add(String.format(Locale.ROOT, "%,d%s", rows, isScalingSize(rows) ? "" : " (for the speed-up only)"),
          ours.seconds(), String.format(Locale.ROOT, "%.3f", oursPerRow), mlpcPass, mlpcRow, ratio);
    }
    double oursSpread = oursMax / oursMin;
    report.summary(String.format(Locale.ROOT,
            "per-row cost from %,d to %,d rows, max / min of job time per row (%s)",
            o.scalingRows[0], o.scalingRows[o.scalingRows.length - 1], o.master),
        o.scalingMlpc ? Report.x(mlpcMax / mlpcMin) : "", Report.x(oursSpread),
        String.format(Locale.ROOT, "ours %.3f-%.3f us per row", oursMin, oursMax), "< 1.15x",
        oursSpread < 1.15);
    if (o.scalingChild) {
      speedUp(blockSize, fits);
    }
  }

  private boolean isScalingSize(long rows) {
    return Arrays.stream(o.scalingRows).anyMatch(r -> r == rows);
  }

  private static String oursName(int blockSize, long rows) {
    return "ours gd relu blockSize " + blockSize + ", " + rows + " rows";
  }

  private static String mlpcName(long rows) {
    return "MLPC gd sigmoid, " + rows + " rows";
  }

  private static void add(Map<String, List<Contender.Fit>> fits, Contender.Fit fit) {
    fits.computeIfAbsent(fit.name(), n -> new ArrayList<>()).add(fit);
  }

  /** Short fits of each contender on a few thousand rows: class loading and JIT before timing. */
  private void warmUp(int blockSize, int partitions) {
    Dataset<Row> small = new SyntheticData(o.features, o.classes, o.seed + 7)
        .generate(spark, Math.min(o.rows, 5_000L), partitions).cache();
    small.count();
    passes.ours("gd", "relu", blockSize, 3).fit(small);
    if (o.scalingMlpc) {
      passes.mlpc("gd", o.blockSizes[0], 3).fit(small);
    }
    small.unpersist(true);
  }

  /** The local[1] child run at --rows rows against this session's fits at the same size. */
  private void speedUp(int blockSize, Map<String, List<Contender.Fit>> fits) {
    Map<String, Stats> child;
    try {
      child = runChild(blockSize);
    } catch (RuntimeException e) {
      report.note("scaling: the local[1] child JVM failed: " + e.getMessage());
      report.summary("speed-up local[1] -> " + o.master + " per pass", "", "child JVM failed", "",
          ">= 1.7x", false);
      return;
    }
    Stats ours2 = new Contender.Pooled("", fits.get(oursName(blockSize, o.rows))).jobSeconds();
    Table table = report.detail(String.format(Locale.ROOT,
            "Cores: the %,d-row pass on local[1] (child JVM, same flags and class path) against %s",
            o.rows, o.master),
        "configuration", "local[1]: job per pass", o.master + ": job per pass", "speed-up");
    Stats ours1 = child.get("ours-p" + o.partitions);
    Stats ours1single = child.get("ours-p1");
    table.add("ours gd relu blockSize " + blockSize + ", " + o.partitions + " partitions in both",
        ours1.seconds(), ours2.seconds(), Report.x(ours1.median() / ours2.median()));
    table.add("ours gd relu blockSize " + blockSize + ", local[1] with 1 partition",
        ours1single.seconds(), ours2.seconds(), Report.x(ours1single.median() / ours2.median()));
    String mlpcSpeedUp = "";
    if (o.scalingMlpc && child.containsKey("mlpc-p" + o.partitions)) {
      Stats mlpc1 = child.get("mlpc-p" + o.partitions);
      Stats mlpc2 = new Contender.Pooled("", fits.get(mlpcName(o.rows))).jobSeconds();
      mlpcSpeedUp = Report.x(mlpc1.median() / mlpc2.median());
      table.add("MLPC gd sigmoid blockSize " + o.blockSizes[0] + ", " + o.partitions
          + " partitions in both", mlpc1.seconds(), mlpc2.seconds(), mlpcSpeedUp);
    }
    double speedUp = ours1.median() / ours2.median();
    double speedUpVsBest = Math.min(ours1.median(), ours1single.median()) / ours2.median();
    report.summary(String.format(Locale.ROOT, "speed-up local[1] -> %s per pass, %,d rows",
            o.master, o.rows), mlpcSpeedUp, Report.x(speedUp),
        "vs local[1]'s faster partitioning: " + Report.x(speedUpVsBest), ">= 1.7x", speedUp >= 1.7);
  }

  /** Starts this class's {@link #main} in a new JVM on local[1] and reads its timings. */
  private Map<String, Stats> runChild(int blockSize) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ScalingSection.class.getName());
    command.addAll(o.args);
    command.addAll(List.of("--master", "local[1]", "--scaling-block-size",
        Integer.toString(blockSize), "--sections", "scaling"));
    System.out.println("scaling: starting the local[1] child JVM");
    Map<String, Stats> results = new LinkedHashMap<>();
    int exit;
    try {
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith(RESULT_PREFIX)) {
            String[] f = line.substring(RESULT_PREFIX.length()).split("\t");
            results.put(f[0], new Stats(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Integer.parseInt(f[4])));
          } else {
            System.out.println("  [local[1]] " + line);
          }
        }
      }
      exit = process.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run the child JVM " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the child JVM ran", e);
    }
    if (exit != 0 || !results.containsKey("ours-p" + o.partitions) || !results.containsKey("ours-p1")) {
      throw new IllegalStateException("exit code " + exit + ", results " + results.keySet()
          + " (its output is above)");
    }
    return results;
  }

  /**
   * The child JVM: the same options as the parent plus {@code --master local[1]} and the block size.
   * Times ours at {@code --rows} rows with {@code --partitions} partitions and with 1 partition, and
   * MLPC with {@code --partitions}, in turn for {@code --rounds} rounds.
   */
  public static void main(String[] args) {
    BenchOptions o = BenchOptions.parse(args);
    if (o.scalingBlockSize <= 0) {
      throw new IllegalArgumentException("The scaling child needs --scaling-block-size");
    }
    SparkSession spark = SparkSession.builder().master(o.master)
        .appName("spark-backprop scaling child " + o.master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(o.partitions))
        .getOrCreate();
    try {
      System.out.println("Scaling child: " + o.describe() + "\n" + Machine.describe());
      JobTimer timer = JobTimer.install(spark.sparkContext());
      new ScalingSection(spark, timer, o, new Report("scaling child")).child();
    } finally {
      spark.stop();
    }
  }

  private void child() {
    int blockSize = o.scalingBlockSize;
    Map<Integer, Dataset<Row>> data = new LinkedHashMap<>();
    for (int partitions : new int[] {o.partitions, 1}) {
      Dataset<Row> d = new SyntheticData(o.features, o.classes, o.seed)
          .generate(spark, o.rows, partitions).cache();
      d.count();
      data.putIfAbsent(partitions, d);
    }
    warmUp(blockSize, o.partitions);
    Map<String, List<Contender.Fit>> fits = new LinkedHashMap<>();
    for (int round = 0; round < o.rounds; round++) {
      for (Map.Entry<Integer, Dataset<Row>> entry : data.entrySet()) {
        Dataset<Row> d = entry.getValue();
        add(fits, Contender.run(sc, timer, "ours-p" + entry.getKey(), Contender.OUR_ITERATION,
            () -> passes.ours("gd", "relu", blockSize, o.iterations).fit(d)));
      }
      if (o.scalingMlpc) {
        Dataset<Row> d = data.get(o.partitions);
        add(fits, Contender.run(sc, timer, "mlpc-p" + o.partitions, Contender.MLPC_ITERATION,
            () -> passes.mlpc("gd", o.blockSizes[0], o.iterations).fit(d)));
      }
    }
    fits.forEach((name, list) -> {
      Stats s = new Contender.Pooled(name, list).jobSeconds();
      System.out.println(RESULT_PREFIX + name + "\t" + s.median() + "\t" + s.min() + "\t" + s.max()
          + "\t" + s.count());
    });
    data.values().forEach(d -> d.unpersist(true));
  }
}
