package io.sparkbackprop.bench.scaling;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.training.GradientSum;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The parts of one training iteration as separate Spark jobs over the cached training blocks, each
 * timed on the driver by its wall time (what the driver waits for, as in an iteration):
 *
 * <ul>
 *   <li>{@link #empty}: a {@code treeAggregate} of a long that ignores the blocks: the fixed
 *       latency of scheduling one task per partition and collecting tiny results;
 *   <li>{@link #broadcast}: creating a broadcast of {@code W} random floats (as the trainer
 *       broadcasts its weights), reading it in every task, destroying it;
 *   <li>{@link #treeReduce}: every partition contributes a {@code W}-double array (as a task's
 *       gradient sum) to a {@code treeAggregate} of the trainer's depth;
 *   <li>{@link #compute}: every partition sums the gradient of its blocks with a broadcast that the
 *       executors already hold and returns only the loss: the per-block arithmetic without moving
 *       the weights or the gradient.
 * </ul>
 * Subtracting the empty job's time from the others leaves the part each one adds.
 */
final class PrimitiveJobs {
  private final JavaSparkContext jsc;
  private final JavaRDD<DataBlock> blocks;
  private final int depth;

  PrimitiveJobs(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int depth) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.depth = depth;
  }

  double empty() {
    long start = System.nanoTime();
    blocks.treeAggregate(0L, (Long count, DataBlock block) -> count, Long::sum, depth);
    return seconds(start);
  }

  /** Random floats, so that the broadcast's compression (on by default) gains what it would on weights. */
  static float[] randomFloats(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
    }
    return values;
  }

  double broadcast(float[] weights) {
    long start = System.nanoTime();
    Broadcast<float[]> b = jsc.broadcast(weights);
    blocks.treeAggregate(0L, (Long sum, DataBlock block) -> sum + b.value().length, Long::sum,
        depth);
    b.destroy();
    return seconds(start);
  }

  double treeReduce(int size) {
    long start = System.nanoTime();
    blocks.treeAggregate(new Partial(), (Partial p, DataBlock block) -> p.add(size, block.rows()),
        Partial::merge, depth);
    return seconds(start);
  }

  /** Gradient sums with a broadcast the executors fetched already; run {@link #fetch} first. */
  double compute(Network network, Broadcast<float[]> weights, int capacity) {
    long start = System.nanoTime();
    List<Double> losses = blocks.mapPartitions(it -> {
      GradientSum sum = new GradientSum();
      float[] w = weights.value();
      while (it.hasNext()) {
        sum.add(network, w, it.next(), capacity);
      }
      return List.of(sum.loss()).iterator();
    }).collect();
    if (losses.isEmpty()) {
      throw new IllegalStateException("no partitions");
    }
    return seconds(start);
  }

  /** Makes every executor fetch the broadcast once (it stays cached there until destroyed). */
  void fetch(Broadcast<float[]> weights) {
    blocks.treeAggregate(0L, (Long sum, DataBlock block) -> sum + weights.value().length,
        Long::sum, depth);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * A task's gradient-sized partial sum, allocated on the first block as {@link GradientSum} does
   * (the zero value that Spark ships with every task stays empty).
   */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    private double[] values;

    Partial add(int size, int rows) {
      if (values == null) {
        values = new double[size];
        for (int i = 0; i < size; i++) {
          values[i] = i * 1e-3;
        }
      }
      values[0] += rows;
      return this;
    }

    Partial merge(Partial other) {
      if (other.values == null) {
        return this;
      }
      if (values == null) {
        return other;
      }
      for (int i = 0; i < values.length; i++) {
        values[i] += other.values[i];
      }
      return this;
    }
  }
}
