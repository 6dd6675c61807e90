package io.sparkbackprop.bench.scaling;

import io.sparkbackprop.bench.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Reads {@link ScalingCostModel}'s measurements (one file per cluster and executor count), keeps the
 * minimum over the repeats of every point, fits {@link CostModel} per cluster kind by least squares
 * and prints (and with {@code --markdown FILE} writes) the measured points against the model, the
 * constants and the extrapolation to executors and rows one machine cannot run. No Spark needed.
 *
 * <pre>
 * java -cp "target/classes:target/spark-home/jars/*" io.sparkbackprop.bench.scaling.CostModelFit \
 *   [--markdown FILE] [--cores 2] [--predict-rows 10000000] [--predict-executors 32] FILE.tsv...
 * </pre>
 */
public final class CostModelFit {
  private static final double GBIT = 1e9 / 8;
  private static final double[] BANDWIDTHS = {0, 1 * GBIT, 10 * GBIT};
  private static final int[] EXECUTOR_GRID = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  private static final int[] LOCAL_STEPS = {1, 4, 16, 64};

  /** A point: minimum over repeats. */
  private record Key(String cluster, int executors, long params, long rows, String kind) {}

  private final Map<Key, Double> points = new LinkedHashMap<>();
  private final Map<Long, Integer> hiddenOf = new TreeMap<>();
  private final int cores;
  private final int depth = 2;
  private final StringBuilder md = new StringBuilder();

  private CostModelFit(List<Measurement> measurements, int cores) {
    this.cores = cores;
    for (Measurement m : measurements) {
      if (Double.isNaN(m.seconds())) {
        continue;
      }
      points.merge(new Key(m.cluster(), m.executors(), m.params(), m.rows(), m.kind()),
          m.seconds(), Math::min);
      hiddenOf.put(m.params(), m.hidden());
    }
  }

  public static void main(String[] args) throws IOException {
    Path markdown = null;
    int cores = Runtime.getRuntime().availableProcessors();
    double predictRows = 10_000_000;
    int predictExecutors = 32;
    List<Path> files = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--note" -> notes.add(args[++i]);
        case "--markdown" -> markdown = Path.of(args[++i]);
        case "--cores" -> cores = Integer.parseInt(args[++i]);
        case "--predict-rows" -> predictRows = Double.parseDouble(args[++i]);
        case "--predict-executors" -> predictExecutors = Integer.parseInt(args[++i]);
        default -> files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("No measurement files given");
    }
    CostModelFit fit = new CostModelFit(Measurement.read(files), cores);
    fit.header(args, notes);
    fit.modelSection();
    fit.report(files, predictRows, predictExecutors);
    System.out.println(fit.md);
    if (markdown != null) {
      if (markdown.getParent() != null) {
        Files.createDirectories(markdown.getParent());
      }
      Files.writeString(markdown, fit.md.toString());
      System.out.println("written to " + markdown);
    }
  }

  /** Title, machine and commands. */
  private void header(String[] args, List<String> notes) {
    line("# Scaling cost model of the synchronous iteration (issue 9)");
    line("");
    line("Machine: " + cpuModel() + ", " + cores + " cores (`availableProcessors`), "
        + String.format(Locale.ROOT, "%.0f GB RAM", totalMemoryGb()) + ", Java "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ". All executors, the driver and the standalone "
        + "cluster ran on this one host (loopback network), under `nice -n 10`.");
    line("");
    line("Commands (from the repository root):");
    line("");
    line("```bash");
    line("src/bench/scaling-cost-model.sh");
    List<String> quoted = new ArrayList<>();
    for (String arg : args) {
      quoted.add(arg.matches("[A-Za-z0-9_./*=:,-]+") ? arg
          : "'" + arg.replace("'", "'\\''") + "'");
    }
    line("java -cp \"target/classes:target/spark-home/jars/*\" "
        + "io.sparkbackprop.bench.scaling.CostModelFit " + String.join(" ", quoted));
    line("```");
    line("");
    for (String note : notes) {
      line(note);
      line("");
    }
  }

  /** The model and where its terms come from. */
  private void modelSection() {
    line("## The model");
    line("");
    line("One synchronous iteration of our trainer is one Spark job: broadcast the weights (W "
        + "float32), every task sums the gradient of its partition's cached blocks, `treeAggregate` "
        + "(depth 2) brings W float64 sums back to the driver, which updates the weights. On n "
        + "executors of one core (one partition each), R rows:");
    line("");
    line("```");
    line("T(n) = L(n) + C + Bc + Rd + D");
    line("L(n) = l0 + l1 n                  fixed latency of a job (the empty job)");
    line("C    = c(W) 6 W R / min(n, P)     compute, 6 flops per parameter and row; P = real cores");
    line("Bc   = b0 + cb 4W f(n), f(n) = n  broadcast of the weights");
    line("Rd   = r0 + cr 8W g(n)            tree-reduce of the gradient");
    line("D    = d W                        driver work per parameter (update, conversions)");
    line("network at bandwidth B: + (4W f(n) + 8W g(n)) / B");
    line("```");
    line("");
    line("- f(n) = n: Spark's `TorrentBroadcast` (`core/src/main/scala/org/apache/spark/broadcast/"
        + "TorrentBroadcast.scala`) stores the serialized, compressed value in pieces of "
        + "`spark.broadcast.blockSize` (4 MiB by default, Spark's configuration page); an executor "
        + "fetches the pieces it lacks in random order from the driver or from executors that "
        + "already hold them. The trainer's broadcast is new every iteration and all tasks ask for "
        + "it at once, so while W x 4 bytes fit in one piece (W up to about 1M) every executor "
        + "fetches it from the driver: the driver's cost grows with n. For larger W the later "
        + "pieces can come from peers, so f(n) = n is pessimistic there (lower bound: each byte "
        + "leaves the driver about once).");
    line("- g(n): `RDD.treeAggregate` (`core/src/main/scala/org/apache/spark/rdd/RDD.scala`) with "
        + "`scale = max(ceil(n^(1/depth)), 2)` adds a shuffle level of n / scale reducers while "
        + "`n > scale + ceil(n / scale)`; the driver merges what is left. g(n) counts the arrays "
        + "the busiest receiver of each level takes in, summed over the levels: g(n) = n up to 4 "
        + "partitions (no extra level), g(32) = " + s(TreeAggregateShape.arraysThroughBusiestReceiver(32, depth))
        + " (5 reducers of about 7 arrays, then 5 at the driver). Task results over "
        + "`spark.task.maxDirectResultSize` (1 MiB) go through the executors' block managers.");
    line("- Fitting: L from the empty jobs; cb, b0 from broadcast minus empty; cr, r0 from reduce "
        + "minus empty; c(W) per model size from compute minus empty at n <= P (through the "
        + "origin); d from what the trainer's iteration takes beyond the parts at n <= P. All by "
        + "least squares with non-negative coefficients.");
    line("- Limits: one host, so every byte crosses the loopback interface and the measured cb and "
        + "cr are mostly CPU (serialisation, compression, copying), not wire time; the network "
        + "column adds the wire time of 1 or 10 Gbit/s links on top. With 4 executors on 2 "
        + "cores the communication and latency points include CPU contention. The extra "
        + "shuffle level of `treeAggregate` (from 8 partitions on) was not measured: it is "
        + "modelled with the same per-byte cost as the final level, although it also writes "
        + "shuffle files. l1 (latency per executor) comes from 1-4 executors and is extrapolated "
        + "linearly.");
    line("");
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "unknown CPU";
  }

  private static double totalMemoryGb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024 / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return Double.NaN;
  }

  private void report(List<Path> files, double predictRows, int predictExecutors) {
    line("## Fitted per cluster kind");
    line("");
    line("Every measured point is the minimum over its repeats of the median of its jobs. "
        + "Compute is fitted from 1 and " + cores + " executors only (the machine has " + cores
        + " cores, so 4 executors share them), communication and latency from all executor counts.");
    line("");
    line("Load while measuring (1/5/15-minute load averages from /proc/loadavg):");
    line("");
    for (String comment : Measurement.comments(files)) {
      line("- " + comment);
    }
    line("");
    Map<String, CostModel> models = new LinkedHashMap<>();
    for (String cluster : new TreeSet<>(clusters()).descendingSet()) {
      CostModel model = fitCluster(cluster);
      models.put(cluster, model);
      measuredTable(model);
    }
    constantsTable(models);
    CostModel model = models.containsKey("standalone") ? models.get("standalone")
        : models.values().iterator().next();
    prediction(model, predictRows, predictExecutors);
    stopsScaling(model, predictRows);
    localSteps(model, predictExecutors);
  }

  private List<String> clusters() {
    return points.keySet().stream().map(Key::cluster).distinct().toList();
  }

  private Double get(String cluster, int n, long params, long rows, String kind) {
    return points.get(new Key(cluster, n, params, rows, kind));
  }

  private List<Key> keys(Predicate<Key> filter) {
    return points.keySet().stream().filter(filter).toList();
  }

  /** The empty job of the same cluster, executors and model (the smaller data set's). */
  private double emptyFor(Key k) {
    Double same = get(k.cluster(), k.executors(), k.params(), k.rows(), Measurement.EMPTY);
    if (same != null) {
      return same;
    }
    return keys(e -> e.cluster().equals(k.cluster()) && e.executors() == k.executors()
        && e.params() == k.params() && e.kind().equals(Measurement.EMPTY)).stream()
        .mapToDouble(points::get).min().orElseThrow();
  }

  private CostModel fitCluster(String cluster) {
    Predicate<Key> here = k -> k.cluster().equals(cluster);
    // Latency: l0 + l1 n from the empty jobs.
    List<Key> empties = keys(here.and(k -> k.kind().equals(Measurement.EMPTY)));
    double[] l = fitNonNegative(empties, k -> new double[] {1, k.executors()}, points::get);
    // Broadcast and reduce: the job minus the empty job, b0 + cb 4W f(n) and r0 + cr 8W g(n).
    List<Key> broadcasts = keys(here.and(k -> k.kind().equals(Measurement.BROADCAST)));
    double[] b = fitNonNegative(broadcasts,
        k -> new double[] {1, 4.0 * k.params() * CostModel.broadcastFactor(k.executors())},
        k -> points.get(k) - emptyFor(k));
    List<Key> reduces = keys(here.and(k -> k.kind().equals(Measurement.REDUCE)));
    double[] r = fitNonNegative(reduces, k -> new double[] {1,
        8.0 * k.params() * TreeAggregateShape.arraysThroughBusiestReceiver(k.executors(), depth)},
        k -> points.get(k) - emptyFor(k));
    // Compute: seconds per flop per model size, through the origin, from n <= cores.
    Map<Long, Double> perFlop = new TreeMap<>();
    for (long params : hiddenOf.keySet()) {
      List<Key> computes = keys(here.and(k -> k.kind().equals(Measurement.COMPUTE)
          && k.params() == params && k.executors() <= cores));
      if (!computes.isEmpty()) {
        double[] c = fitNonNegative(computes, k -> new double[] {CostModel.FLOPS_PER_PARAM_AND_ROW
            * k.params() * k.rows() / Math.min(k.executors(), cores)}, k -> points.get(k) - emptyFor(k));
        perFlop.put(params, c[0]);
      }
    }
    CostModel partial = new CostModel(cluster, l[0], l[1], b[0], b[1], r[0], r[1], 0, perFlop, depth);
    // Driver-side work: what the trainer's iteration takes beyond the parts, as d W (n <= cores).
    List<Key> iterations = keys(here.and(k -> k.kind().equals(Measurement.ITERATION)
        && k.executors() <= cores));
    double[] d = fitNonNegative(iterations, k -> new double[] {k.params()},
        k -> points.get(k) - partial.iteration(k.params(), k.rows(), k.executors(), cores, 0));
    return new CostModel(cluster, l[0], l[1], b[0], b[1], r[0], r[1], d[0], perFlop, depth);
  }

  private interface Row {
    double[] of(Key k);
  }

  private interface Target {
    double of(Key k);
  }

  private static double[] fitNonNegative(List<Key> keys, Row row, Target target) {
    if (keys.isEmpty()) {
      throw new IllegalStateException("No points to fit");
    }
    double[][] x = new double[keys.size()][];
    double[] y = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      x[i] = row.of(keys.get(i));
      y[i] = target.of(keys.get(i));
    }
    return LeastSquares.fitNonNegative(x, y);
  }

  private void measuredTable(CostModel model) {
    String cluster = model.cluster();
    line("### Measured on `" + cluster + "` against the model (seconds)");
    line("");
    line("Columns: empty job (latency); broadcast, reduce and compute jobs minus the empty job; "
        + "the trainer's iteration (driver period between iterations, first dropped), its Spark "
        + "job alone and its slowest task's executor run time (task metrics); the model's "
        + "iteration (loopback, " + cores + " real cores) and its error; the localSteps=4 job "
        + "period, measured and modelled.");
    line("");
    Table table = new Table("executors", "params", "rows", "empty", "broadcast", "reduce",
        "compute", "iteration", "iteration job", "slowest task", "model", "error",
        "localSteps 4: measured", "model").rightAlignedFrom(0);
    List<Key> iterations = keys(k -> k.cluster().equals(cluster)
        && k.kind().equals(Measurement.ITERATION));
    iterations = new ArrayList<>(iterations);
    iterations.sort((a, c) -> a.executors() != c.executors()
        ? Integer.compare(a.executors(), c.executors())
        : a.params() != c.params() ? Long.compare(a.params(), c.params())
        : Long.compare(a.rows(), c.rows()));
    double sumAbsError = 0;
    int count = 0;
    for (Key k : iterations) {
      int n = k.executors();
      long small = smallRows(cluster, n, k.params());
      double empty = emptyFor(k);
      Double bc = get(cluster, n, k.params(), small, Measurement.BROADCAST);
      Double rd = get(cluster, n, k.params(), small, Measurement.REDUCE);
      Double cp = get(cluster, n, k.params(), k.rows(), Measurement.COMPUTE);
      double measured = points.get(k);
      double predicted = model.iteration(k.params(), k.rows(), n, cores, 0);
      double error = predicted / measured - 1;
      sumAbsError += Math.abs(error);
      count++;
      Double local = get(cluster, n, k.params(), k.rows(), Measurement.LOCAL_STEPS);
      String localModel = "";
      if (local != null) {
        double blockRows = Math.min(1024, Math.ceil((double) k.rows() / n));
        double steps = 4 * blockRows * n;
        localModel = s(model.iteration(k.params(), steps, n, cores, 0));
      }
      table.add(Integer.toString(n), String.format(Locale.ROOT, "%,d", k.params()),
          String.format(Locale.ROOT, "%,d", k.rows()), s(empty), diff(bc, empty),
          k.rows() == small ? diff(rd, empty) : "", diff(cp, empty), s(measured),
          s(get(cluster, n, k.params(), k.rows(), Measurement.ITERATION_JOB)),
          s(get(cluster, n, k.params(), k.rows(), Measurement.TASK_MAX)), s(predicted),
          String.format(Locale.ROOT, "%+.0f%%", 100 * error), local == null ? "" : s(local),
          localModel);
    }
    md.append(table.toMarkdown());
    line("");
    line(String.format(Locale.ROOT, "Mean absolute error of the modelled iteration on `%s`: %.0f%% "
        + "over %d points.", cluster, 100 * sumAbsError / count, count));
    line("");
  }

  private long smallRows(String cluster, int n, long params) {
    return keys(k -> k.cluster().equals(cluster) && k.executors() == n && k.params() == params)
        .stream().mapToLong(Key::rows).min().orElseThrow();
  }

  private void constantsTable(Map<String, CostModel> models) {
    line("### Fitted constants");
    line("");
    List<String> header = new ArrayList<>(List.of("constant", "meaning"));
    header.addAll(models.keySet());
    Table table = new Table(header).rightAlignedFrom(2);
    constant(table, models, "l0", "ms, fixed latency per job", m -> 1e3 * m.l0());
    constant(table, models, "l1", "ms per executor, latency", m -> 1e3 * m.l1());
    constant(table, models, "b0", "ms per broadcast", m -> 1e3 * m.b0());
    constant(table, models, "cb", "ns per broadcast byte and executor (f(n) = n)", m -> 1e9 * m.cb());
    constant(table, models, "", "= MB/s per executor", m -> 1e-6 / m.cb());
    constant(table, models, "r0", "ms per tree-reduce", m -> 1e3 * m.r0());
    constant(table, models, "cr", "ns per reduced byte through the busiest receiver", m -> 1e9 * m.cr());
    constant(table, models, "", "= MB/s", m -> 1e-6 / m.cr());
    constant(table, models, "d", "ns per parameter on the driver per iteration", m -> 1e9 * m.d());
    for (long params : hiddenOf.keySet()) {
      int h = hiddenOf.get(params);
      constant(table, models, "c(" + String.format(Locale.ROOT, "%,d", params) + ")",
          "GFLOP/s per core, model 100-" + h + "-" + h + "-10",
          m -> 1e-9 / m.secondsPerFlop(params));
    }
    md.append(table.toMarkdown());
    line("");
  }

  private interface Value {
    double of(CostModel m);
  }

  private static void constant(Table table, Map<String, CostModel> models, String name,
      String meaning, Value value) {
    List<String> row = new ArrayList<>(List.of(name, meaning));
    for (CostModel m : models.values()) {
      double v = value.of(m);
      row.add(Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "-");
    }
    table.add(row);
  }

  private void prediction(CostModel model, double rows, int n) {
    line(String.format(Locale.ROOT, "### Prediction: %d executors (1 core each, one partition "
        + "each), %,.0f rows, full-batch gd iteration (`%s` constants)", n, rows, model.cluster()));
    line("");
    line("Network: loopback = the measured costs alone; 1 and 10 Gbit/s add the bytes through the "
        + "busiest link (the driver's: 4W n broadcast, 8W g(n) reduce, g(" + n + ") = "
        + s(model.reduceFactor(n)) + ") at that bandwidth.");
    line("");
    Table table = new Table("params", "latency", "compute", "broadcast", "reduce", "driver",
        "network 1 Gbit/s", "iteration loopback", "iteration 1 Gbit/s", "iteration 10 Gbit/s",
        "communication share at 1 Gbit/s", "speed-up vs 1 executor at 1 Gbit/s",
        "communication >= compute below rows per executor, 1 / 10 Gbit/s").rightAlignedFrom(0);
    for (long params : hiddenOf.keySet()) {
      double comm1 = model.communication(params, n, GBIT);
      double t1 = model.iteration(params, rows, n, Integer.MAX_VALUE, GBIT);
      double single = model.iteration(params, rows, 1, Integer.MAX_VALUE, GBIT);
      double perRow = model.secondsPerFlop(params) * CostModel.FLOPS_PER_PARAM_AND_ROW * params;
      double rows1 = (model.latency(n) + comm1) / perRow;
      double rows10 = (model.latency(n) + model.communication(params, n, 10 * GBIT)) / perRow;
      table.add(String.format(Locale.ROOT, "%,d", params), s(model.latency(n)),
          s(model.compute(params, rows, n, Integer.MAX_VALUE)), s(model.broadcast(params, n)),
          s(model.reduce(params, n)), s(model.driver(params)), s(model.network(params, n, GBIT)),
          s(model.iteration(params, rows, n, Integer.MAX_VALUE, 0)), s(t1),
          s(model.iteration(params, rows, n, Integer.MAX_VALUE, 10 * GBIT)),
          String.format(Locale.ROOT, "%.0f%%", 100 * comm1 / t1),
          String.format(Locale.ROOT, "%.1fx", single / t1),
          String.format(Locale.ROOT, "%,.0f / %,.0f", rows1, rows10));
    }
    md.append(table.toMarkdown());
    line("");
  }

  private void stopsScaling(CostModel fitted, double rows) {
    CostModel flat = new CostModel(fitted.cluster(), fitted.l0(), 0, fitted.b0(), fitted.cb(),
        fitted.r0(), fitted.cr(), fitted.d(), fitted.secondsPerFlop(), fitted.depth());
    for (double bandwidth : new double[] {GBIT, 10 * GBIT}) {
      line(String.format(Locale.ROOT, "### Where synchronous gd stops scaling: %,.0f rows, %s "
          + "(iteration seconds; `*` = latency + communication >= compute)", rows, bw(bandwidth)));
      line("");
      List<String> header = new ArrayList<>(List.of("params"));
      for (int n : EXECUTOR_GRID) {
        header.add(Integer.toString(n));
      }
      header.addAll(List.of("`*` from", "fastest at", "with l1 = 0: `*` from", "fastest at"));
      Table table = new Table(header).rightAlignedFrom(0);
      for (long params : hiddenOf.keySet()) {
        List<String> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%,d", params)));
        for (int n : EXECUTOR_GRID) {
          row.add(s(fitted.iteration(params, rows, n, Integer.MAX_VALUE, bandwidth))
              + (communicationBound(fitted, params, rows, n, bandwidth) ? "*" : ""));
        }
        for (CostModel model : List.of(fitted, flat)) {
          int crossing = -1;
          int fastest = 1;
          double best = Double.MAX_VALUE;
          for (int n = 1; n <= 4096; n *= 2) {
            double t = model.iteration(params, rows, n, Integer.MAX_VALUE, bandwidth);
            if (t < best) {
              best = t;
              fastest = n;
            }
            if (crossing < 0 && communicationBound(model, params, rows, n, bandwidth)) {
              crossing = n;
            }
          }
          row.add(crossing < 0 ? "> 4096" : Integer.toString(crossing));
          row.add(Integer.toString(fastest));
        }
        table.add(row);
      }
      md.append(table.toMarkdown());
      line("");
    }
    line("l1 = 0: the same model with a job latency that does not grow with the executors (the "
        + "fitted l1 comes from 1-4 executors sharing 2 cores, see the limits above).");
    line("");
  }

  private static boolean communicationBound(CostModel model, long params, double rows, int n,
      double bandwidth) {
    return model.communication(params, n, bandwidth) + model.latency(n)
        >= model.compute(params, rows, n, Integer.MAX_VALUE);
  }

  private void localSteps(CostModel model, int n) {
    line(String.format(Locale.ROOT, "### Mini-batch steps on %d executors: one 1,024-row block per "
        + "partition per step, synchronous (K = 1) against localSteps K (one sync per K local "
        + "steps; model averaging, not the same algorithm), seconds per step", n));
    line("");
    List<String> header = new ArrayList<>(List.of("params", "network", "compute per step"));
    for (int k : LOCAL_STEPS) {
      header.add("K = " + k);
    }
    header.add("speed-up K = 16 vs 1");
    Table table = new Table(header).rightAlignedFrom(2);
    for (long params : hiddenOf.keySet()) {
      for (double bandwidth : new double[] {GBIT, 10 * GBIT}) {
        double compute = model.compute(params, 1024.0 * n, n, Integer.MAX_VALUE);
        double sync = model.latency(n) + model.communication(params, n, bandwidth)
            + model.driver(params);
        List<String> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%,d", params),
            bw(bandwidth), s(compute)));
        for (int k : LOCAL_STEPS) {
          row.add(s(compute + sync / k));
        }
        row.add(String.format(Locale.ROOT, "%.1fx", (compute + sync) / (compute + sync / 16)));
        table.add(row);
      }
    }
    md.append(table.toMarkdown());
    line("");
  }

  private static String bw(double bytesPerSecond) {
    return bytesPerSecond == 0 ? "loopback"
        : String.format(Locale.ROOT, "%.0f Gbit/s", bytesPerSecond / GBIT);
  }

  private static String diff(Double value, double minus) {
    return value == null ? "" : s(value - minus);
  }

  private static String s(Double seconds) {
    if (seconds == null || seconds.isNaN()) {
      return "";
    }
    double a = Math.abs(seconds);
    return a >= 100 ? String.format(Locale.ROOT, "%.0f", seconds)
        : a >= 10 ? String.format(Locale.ROOT, "%.1f", seconds)
        : a >= 1 ? String.format(Locale.ROOT, "%.2f", seconds)
        : String.format(Locale.ROOT, "%.3f", seconds);
  }

  private void line(String text) {
    md.append(text).append('\n');
  }
}
