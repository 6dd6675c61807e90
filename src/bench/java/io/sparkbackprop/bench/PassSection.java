package io.sparkbackprop.bench;

import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.nn.FeedForwardNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Seconds per full pass over the synthetic data: MLPC with solver gd (one treeAggregate job per
 * iteration) against ours with gd at MLPC's block size and activation, with ReLU at each block size,
 * and with adam at the best block size. Reports the median iteration-job time after the first
 * iteration, the iteration period (job plus driver work), GFLOP/s and % of the GEMM peak.
 */
final class PassSection {
  /** What later sections use. */
  record Result(Contender.Pooled mlpc, Contender.Pooled oursSame, Contender.Pooled oursBest,
      List<Contender.Pooled> all) {}

  private final SparkContext sc;
  private final JobTimer timer;
  private final BenchOptions o;
  private final Report report;
  private final Peaks peaks;
  private final double flopsPerPass;

  PassSection(SparkContext sc, JobTimer timer, BenchOptions o, Report report, Peaks peaks) {
    this.sc = sc;
    this.timer = timer;
    this.o = o;
    this.report = report;
    this.peaks = peaks;
    this.flopsPerPass = 6.0 * FeedForwardNetwork.paramCount(o.layers()) * o.rows;
  }

  MultilayerPerceptronClassifier mlpc(String solver, int blockSize, int maxIter) {
    return new MultilayerPerceptronClassifier().setLayers(o.layers()).setSolver(solver)
        .setBlockSize(blockSize).setMaxIter(maxIter).setTol(0).setSeed(o.seed);
  }

  BackpropClassifier ours(String solver, String activation, int blockSize, int maxIter) {
    return new BackpropClassifier().setLayers(o.layers()).setSolver(solver).setActivation(activation)
        .setStepSize(solver.equals("gd") ? 0.03 : 0.01).setBlockSize(blockSize).setMaxIter(maxIter)
        .setTol(0).setSeed(o.seed)
        // What this section times is the Spark job of a pass, also on data small enough for the
        // driver.
        .setDriverTrainingMaxMB(0);
  }

  /** One short fit of each contender so neither pays for class loading and JIT compilation alone. */
  void warmUp(Dataset<Row> data) {
    Dataset<Row> small = data.limit((int) Math.min(o.rows, 5_000L)).cache();
    small.count();
    mlpc("gd", 128, 3).fit(small);
    ours("gd", "sigmoid", 128, 3).fit(small);
    ours("gd", "relu", 128, 3).fit(small);
    small.unpersist(true);
  }

  Result run(Dataset<Row> data) {
    int mlpcBlock = o.blockSizes[0];
    Map<String, List<Contender.Fit>> fits = new LinkedHashMap<>();
    // Rounds run every configuration in turn, so a burst of load elsewhere hits them all alike.
    for (int round = 0; round < o.rounds; round++) {
      add(fits, Contender.run(sc, timer, "MLPC gd sigmoid blockSize " + mlpcBlock,
          Contender.MLPC_ITERATION, () -> mlpc("gd", mlpcBlock, o.iterations).fit(data)));
      add(fits, Contender.run(sc, timer, "ours gd sigmoid blockSize " + mlpcBlock,
          Contender.OUR_ITERATION, () -> ours("gd", "sigmoid", mlpcBlock, o.iterations).fit(data)));
      for (int blockSize : o.blockSizes) {
        add(fits, Contender.run(sc, timer, "ours gd relu blockSize " + blockSize,
            Contender.OUR_ITERATION, () -> ours("gd", "relu", blockSize, o.iterations).fit(data)));
      }
    }
    List<Contender.Pooled> all = new ArrayList<>();
    fits.forEach((name, list) -> all.add(new Contender.Pooled(name, list)));
    Contender.Pooled mlpc = all.get(0);
    Contender.Pooled same = all.get(1);
    Contender.Pooled best = null;
    for (Contender.Pooled pooled : all.subList(2, all.size())) {
      if (best == null || pooled.jobSeconds().median() < best.jobSeconds().median()) {
        best = pooled;
      }
    }
    int bestBlock = blockSizeOf(best.name());
    List<Contender.Fit> adam = new ArrayList<>();
    for (int round = 0; round < o.rounds; round++) {
      adam.add(Contender.run(sc, timer, "ours adam relu blockSize " + bestBlock,
          Contender.OUR_ITERATION, () -> ours("adam", "relu", bestBlock, o.iterations).fit(data)));
    }
    all.add(new Contender.Pooled(adam.get(0).name(), adam));
    Table table = report.detail("Per pass (" + String.format(Locale.ROOT, "%,d", o.rows)
            + " rows, " + String.format(Locale.ROOT, "%.2f", flopsPerPass / 1e9)
            + " GFLOP per pass; iterations 2.." + o.iterations + " of " + o.rounds
            + " fit(s) per configuration pooled)",
        "configuration", "fit wall (median)", "job per pass", "iteration period", "driver gap",
        "GFLOP/s", "% of peak", "peak cached");
    for (Contender.Pooled fit : all) {
      boolean isMlpc = fit == mlpc;
      double gflops = gflops(fit);
      double peak = isMlpc ? peaks.doublePeak() : peaks.floatPeak();
      table.add(fit.name(), Stats.fmt(fit.wallSeconds()) + " s", fit.jobSeconds().seconds(),
          fit.periodSeconds().seconds(), fit.driverGapSeconds().millis(), Report.gflops(gflops),
          Report.pct(gflops / peak) + (isMlpc ? " (of dgemm)" : ""), Report.mib(fit.peakCachedBytes()));
    }
    summarize(mlpc, same, best);
    return new Result(mlpc, same, best, all);
  }

  private static void add(Map<String, List<Contender.Fit>> fits, Contender.Fit fit) {
    fits.computeIfAbsent(fit.name(), n -> new ArrayList<>()).add(fit);
  }

  private void summarize(Contender.Pooled mlpc, Contender.Pooled same, Contender.Pooled best) {
    double mlpcJob = mlpc.jobSeconds().median();
    double sameSpeedUp = mlpcJob / same.jobSeconds().median();
    report.summary("seconds per pass, same net and blockSize (" + same.name() + ")",
        Stats.fmt(mlpcJob) + " s", Stats.fmt(same.jobSeconds().median()) + " s",
        Report.x(sameSpeedUp) + " faster", ">= 3x", sameSpeedUp >= 3);
    double bestSpeedUp = mlpcJob / best.jobSeconds().median();
    report.summary("seconds per pass, our best (" + best.name() + ")", Stats.fmt(mlpcJob) + " s",
        Stats.fmt(best.jobSeconds().median()) + " s", Report.x(bestSpeedUp) + " faster", ">= 3x",
        bestSpeedUp >= 3);
    double mlpcGflops = gflops(mlpc);
    double bestGflops = gflops(best);
    report.summary("GFLOP/s per pass (6 x params x rows / job time)", Report.gflops(mlpcGflops),
        Report.gflops(bestGflops), Report.x(bestGflops / mlpcGflops), "", null);
    double share = bestGflops / peaks.floatPeak();
    report.summary("% of measured GEMM peak (MLPC: dgemm, ours: sgemm)",
        Report.pct(mlpcGflops / peaks.doublePeak()), Report.pct(share), "", ">= 60%", share >= 0.6);
    report.summary("iteration period incl. driver (median start-to-start)",
        Stats.fmt(mlpc.periodSeconds().median()) + " s", Stats.fmt(best.periodSeconds().median()) + " s",
        Report.x(mlpc.periodSeconds().median() / best.periodSeconds().median()) + " faster", "", null);
  }

  double gflops(Contender.Pooled fit) {
    return flopsPerPass / fit.jobSeconds().median() / 1e9;
  }

  static int blockSizeOf(String name) {
    return Integer.parseInt(name.substring(name.lastIndexOf(' ') + 1));
  }
}
