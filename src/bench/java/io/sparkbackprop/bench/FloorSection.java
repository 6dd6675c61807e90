package io.sparkbackprop.bench;

import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.DataBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark's own floor per iteration and how close our iterations come to it: an empty
 * {@code treeAggregate} over our cached training blocks, the same job carrying a broadcast of the
 * weights and a gradient-sized double array (everything an iteration moves, no arithmetic), and full
 * fits of a tiny network on tiny data, ours and MLPC's. Also reports the bytes of our cached blocks.
 */
final class FloorSection {
  /** Our cached blocks: bytes of their arrays and what Spark's storage reports. */
  record Blocks(long arrayBytes, long storageBytes) {}

  private static final int TINY_ROWS = 2_048;

  private final SparkSession spark;
  private final SparkContext sc;
  private final JavaSparkContext jsc;
  private final JobTimer timer;
  private final BenchOptions o;
  private final Report report;

  FloorSection(SparkSession spark, JobTimer timer, BenchOptions o, Report report) {
    this.spark = spark;
    this.sc = spark.sparkContext();
    this.jsc = JavaSparkContext.fromSparkContext(sc);
    this.timer = timer;
    this.o = o;
    this.report = report;
  }

  /** Stacks the data as a fit does and measures the cached blocks (for the memory section). */
  Blocks measureBlocks(Dataset<Row> data) {
    try (StackedData stacked = stack(data, o.blockSizes[0])) {
      return new Blocks(stacked.summary().bytes(), StorageProbe.cachedBytes(sc, blocksOf().id()));
    }
  }

  void run(Dataset<Row> data, PassSection passes) {
    Table table = report.detail("Per-iteration floor (Spark job times; local mode)", "measurement",
        "job time", "wall per call");
    int params = (int) FeedForwardNetwork.paramCount(o.layers());
    Stats emptyBig;
    try (StackedData stacked = stack(data, o.blockSizes[0])) {
      JavaRDD<DataBlock> blocks = blocksOf();
      emptyBig = emptyJobs(blocks, "empty treeAggregate, " + o.rows + " rows cached", table);
      payloadJobs(blocks, params, table);
    }
    Dataset<Row> tiny = new SyntheticData(o.features, o.classes, o.seed + 1)
        .generate(spark, TINY_ROWS, o.partitions).cache();
    tiny.count();
    Stats emptyTiny;
    try (StackedData stacked = stack(tiny, o.blockSizes[0])) {
      emptyTiny = emptyJobs(blocksOf(), "empty treeAggregate, " + TINY_ROWS + " rows cached", table);
    }
    int[] tinyLayers = {o.features, 4, o.classes};
    int iterations = Math.max(10, o.floorRepeats + 1);
    Contender.Fit ours = Contender.run(sc, timer, "ours gd, tiny net " + java.util.Arrays.toString(tinyLayers),
        Contender.OUR_ITERATION, () -> passes.ours("gd", "relu", o.blockSizes[0], iterations)
            .setLayers(tinyLayers).fit(tiny));
    Contender.Fit mlpc = Contender.run(sc, timer, "MLPC gd, tiny net " + java.util.Arrays.toString(tinyLayers),
        Contender.MLPC_ITERATION, () -> passes.mlpc("gd", o.blockSizes[0], iterations)
            .setLayers(tinyLayers).fit(tiny));
    for (Contender.Fit fit : List.of(mlpc, ours)) {
      table.add(fit.name() + ", " + TINY_ROWS + " rows: iteration job", Stats.of(fit.jobSeconds()).millis(), "");
      table.add(fit.name() + ", " + TINY_ROWS + " rows: iteration period (job + driver)",
          Stats.of(fit.periodSeconds()).millis(), "");
    }
    tiny.unpersist(true);
    double ratio = Stats.of(ours.periodSeconds()).median() / emptyTiny.median();
    report.summary("per-iteration time, tiny net on " + TINY_ROWS + " rows / empty treeAggregate",
        Report.x(Stats.of(mlpc.periodSeconds()).median() / emptyTiny.median()), Report.x(ratio),
        "empty job " + emptyTiny.millis(), "<= 2x", ratio <= 2);
    report.summary("empty treeAggregate over our cached blocks (" + o.rows + " rows)", "",
        emptyBig.millis(), "", "", null);
  }

  private StackedData stack(Dataset<Row> data, int blockSize) {
    return BlockStacker.stack(data, TrainingInput.classification("features", "label", o.classes),
        blockSize, StorageLevel.MEMORY_AND_DISK());
  }

  /** The most recently cached RDD of training blocks (the one just stacked). */
  private JavaRDD<DataBlock> blocksOf() {
    return CachedBlocks.latest(jsc);
  }

  private Stats emptyJobs(JavaRDD<DataBlock> blocks, String name, Table table) {
    String group = "floor-" + name.replaceAll("[^A-Za-z0-9]+", "-");
    List<Double> walls = new ArrayList<>();
    sc.setJobGroup(group, name, false);
    try {
      for (int i = 0; i <= o.floorRepeats; i++) {
        long start = System.nanoTime();
        blocks.treeAggregate(0L, (Long count, DataBlock block) -> count, Long::sum, 2);
        if (i > 0) {
          walls.add((System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      sc.clearJobGroup();
    }
    Stats jobs = jobStats(group);
    table.add(name, jobs.millis(), Stats.of(walls).millis());
    return jobs;
  }

  private void payloadJobs(JavaRDD<DataBlock> blocks, int params, Table table) {
    String name = "broadcast float[" + params + "] + treeAggregate double[" + params + "]";
    String group = "floor-payload";
    List<Double> walls = new ArrayList<>();
    float[] weights = new float[params];
    sc.setJobGroup(group, name, false);
    try {
      for (int i = 0; i <= o.floorRepeats; i++) {
        long start = System.nanoTime();
        Broadcast<float[]> broadcast = jsc.broadcast(weights);
        blocks.treeAggregate(new double[params], (double[] sum, DataBlock block) -> {
          sum[0] += broadcast.value()[0];
          return sum;
        }, (double[] a, double[] b) -> {
          for (int k = 0; k < a.length; k++) {
            a[k] += b[k];
          }
          return a;
        }, 2);
        broadcast.destroy();
        if (i > 0) {
          walls.add((System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      sc.clearJobGroup();
    }
    table.add(name, jobStats(group).millis(), Stats.of(walls).millis());
  }

  /** Job times of a group, the first (warm-up) job dropped. */
  private Stats jobStats(String group) {
    List<JobTimer.Job> jobs = timer.jobs(sc, JobTimer.inGroup(group));
    List<Double> seconds = new ArrayList<>();
    for (int i = 1; i < jobs.size(); i++) {
      seconds.add(jobs.get(i).millis() / 1e3);
    }
    return Stats.of(seconds);
  }
}
