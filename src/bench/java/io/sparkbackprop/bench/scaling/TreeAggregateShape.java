package io.sparkbackprop.bench.scaling;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of Spark's {@code RDD.treeAggregate(zero, seqOp, combOp, depth)} for a number of
 * partitions, following its loop in {@code core/src/main/scala/org/apache/spark/rdd/RDD.scala}:
 * {@code scale = max(ceil(partitions^(1/depth)), 2)}; while
 * {@code partitions > scale + ceil(partitions / scale)} an extra shuffle level combines the partial
 * results into {@code partitions / scale} (integer division) reducers; the driver then merges the
 * remaining partial results one by one as the tasks finish.
 *
 * <p>{@link #arraysThroughBusiestReceiver} counts the gradient-sized arrays that the busiest receiver
 * of each level takes in, summed over the levels (which run one after the other): a reducer of a
 * shuffle level receives {@code ceil(previous / reducers)}, the driver receives all of the last
 * level's. That is the serial part of the reduce when moving bytes is the bottleneck.
 */
final class TreeAggregateShape {
  private TreeAggregateShape() {}

  /** Partial results per level, from the map side's partitions down to what the driver merges. */
  static List<Integer> levels(int partitions, int depth) {
    List<Integer> levels = new ArrayList<>();
    int n = partitions;
    levels.add(n);
    int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
    while (n > scale + (int) Math.ceil((double) n / scale)) {
      n /= scale;
      levels.add(n);
    }
    return levels;
  }

  static double arraysThroughBusiestReceiver(int partitions, int depth) {
    List<Integer> levels = levels(partitions, depth);
    double arrays = 0;
    for (int i = 1; i < levels.size(); i++) {
      arrays += Math.ceil((double) levels.get(i - 1) / levels.get(i));
    }
    return arrays + levels.get(levels.size() - 1);
  }
}
