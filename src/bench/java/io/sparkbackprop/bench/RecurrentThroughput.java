package io.sparkbackprop.bench;

import io.sparkbackprop.ml.RecurrentRegressor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Training throughput of our recurrent layers end to end in Spark against PyTorch's LSTM (through
 * DJL, Maven profile {@code bench-pytorch}), same shapes and threads: {@code --rows} sequences of
 * 32 inputs, 128 hidden units, blocks (PyTorch: mini-batches) of 128 sequences, 2 threads. Ours: the
 * median Spark job time of a full-batch training pass (one pass is one epoch's forward and
 * backward work) from a {@code RecurrentRegressor} fit with solver {@code gd}; PyTorch: the median
 * epoch of Adam on shuffled mini-batches. Also ours at several sequence lengths, to show the cost
 * per step stays flat (linear in length).
 *
 * <p>Options: {@code --rows N} (default 4096), {@code --steps 25,50,100} (the first 50 is the
 * PyTorch comparison), {@code --cells lstm,gru}, {@code --passes N} (default 5), {@code --master}
 * (default local[2]), {@code --out FILE} (default target/recurrent-bench.md).
 */
public final class RecurrentThroughput {
  private static final int INPUTS = 32;
  private static final int HIDDEN = 128;
  private static final int BATCH = 128;

  private RecurrentThroughput() {}

  public static void main(String[] args) {
    int rows = 4096;
    int[] lengths = {25, 50, 100};
    String[] cells = {"lstm", "gru"};
    int passes = 5;
    String master = "local[2]";
    String out = "target/recurrent-bench.md";
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(value);
        case "--steps" -> lengths = java.util.Arrays.stream(value.split(","))
            .mapToInt(Integer::parseInt).toArray();
        case "--cells" -> cells = value.split(",");
        case "--passes" -> passes = Integer.parseInt(value);
        case "--master" -> master = value;
        case "--out" -> out = value;
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    SparkSession spark = SparkSession.builder().master(master).appName("recurrent-bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    JobTimer timer = JobTimer.install(spark.sparkContext());
    Table table = new Table("cell", "steps", "ours s/epoch", "ours seq/s", "ours us per step",
        "PyTorch s/epoch", "PyTorch seq/s", "ours / PyTorch");
    SequenceReference reference = loadReference();
    StringBuilder notes = new StringBuilder();
    if (reference != null) {
      notes.append("PyTorch: ").append(reference.describe(2)).append('\n');
    } else {
      notes.append("PyTorch not measured (add the Maven profile bench-pytorch)\n");
    }
    try {
      for (String cell : cells) {
        for (int steps : lengths) {
          float[][] data = data(rows, steps, 11);
          Dataset<Row> frame = frame(spark, data[0], data[1], rows, steps).repartition(2).cache();
          frame.count();
          warmUp(frame, cell);
          double ours = oursEpochSeconds(spark, timer, frame, cell, passes, cell + steps);
          double torch = Double.NaN;
          if (reference != null && cell.equals("lstm") && steps == 50) {
            double[] epochs = reference.epochSeconds(data[0], data[1], rows, steps, INPUTS, HIDDEN,
                BATCH, passes + 1, 2, 3);
            torch = Stats.of(java.util.Arrays.copyOfRange(epochs, 1, epochs.length)).median();
          }
          table.add(cell, Integer.toString(steps), Stats.fmt(ours), format(rows / ours),
              format(ours * 1e6 / ((double) rows * steps)), Stats.fmt(torch),
              Double.isNaN(torch) ? "" : format(rows / torch),
              Double.isNaN(torch) ? "" : String.format(Locale.ROOT, "%.2fx", ours / torch));
          System.out.println(cell + " " + steps + " steps: ours " + Stats.fmt(ours) + " s/epoch"
              + (Double.isNaN(torch) ? "" : ", PyTorch " + Stats.fmt(torch) + " s/epoch"));
          frame.unpersist();
        }
      }
    } finally {
      spark.stop();
    }
    String header = "Recurrent training throughput on " + Machine.describe() + ", " + rows
        + " sequences x " + INPUTS + " inputs, " + HIDDEN + " hidden, blocks of " + BATCH;
    System.out.println(header);
    System.out.print(table.toText());
    System.out.print(notes);
    Table.write(java.nio.file.Path.of(out), "## " + header + "\n\n" + table.toMarkdown() + "\n"
        + notes);
  }

  private static SequenceReference loadReference() {
    try {
      return SequenceReference.load();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private static String format(double value) {
    return KernelBenchmarks.format(value);
  }

  /** Random inputs, and a label the network can fit: the mean of the first input over the steps. */
  static float[][] data(int rows, int steps, long seed) {
    Random random = new Random(seed);
    float[] x = new float[rows * steps * INPUTS];
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < INPUTS; i++) {
          float v = (float) random.nextGaussian();
          x[(r * steps + t) * INPUTS + i] = v;
          if (i == 0) {
            sum += v;
          }
        }
      }
      y[r] = (float) (sum / steps);
    }
    return new float[][] {x, y};
  }

  private static Dataset<Row> frame(SparkSession spark, float[] x, float[] y, int rows, int steps) {
    List<Row> list = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      double[][] sequence = new double[steps][INPUTS];
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < INPUTS; i++) {
          sequence[t][i] = x[(r * steps + t) * INPUTS + i];
        }
      }
      list.add(RowFactory.create((double) y[r], sequence));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
        .add("features", DataTypes.createArrayType(DataTypes.createArrayType(
            DataTypes.DoubleType, false), false), false);
    return spark.createDataFrame(list, schema);
  }

  private static RecurrentRegressor regressor(String cell, int passes) {
    return new RecurrentRegressor().setCell(cell).setHiddenSize(HIDDEN).setBlockSize(BATCH)
        .setSolver("gd").setStepSize(0.01).setMaxIter(passes).setTol(0).setSeed(1)
        .setDriverTrainingMaxMB(0); // a pass is timed as its Spark job
  }

  private static void warmUp(Dataset<Row> frame, String cell) {
    regressor(cell, 2).fit(frame);
  }

  /** Median Spark job time of the training passes after the first. */
  private static double oursEpochSeconds(SparkSession spark, JobTimer timer, Dataset<Row> frame,
      String cell, int passes, String group) {
    spark.sparkContext().setJobGroup(group, group, false);
    regressor(cell, passes + 1).fit(frame);
    spark.sparkContext().clearJobGroup();
    List<Double> seconds = new ArrayList<>();
    for (JobTimer.Job job : timer.jobs(spark.sparkContext(), JobTimer.inGroup(group))) {
      if (job.description().startsWith("spark-backprop iteration")
          && !job.description().startsWith("spark-backprop iteration 1/")) {
        seconds.add(job.millis() / 1e3);
      }
    }
    return Stats.of(seconds).median();
  }
}
