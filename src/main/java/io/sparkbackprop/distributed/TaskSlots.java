package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.DataBlock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;

/**
 * Distributed training runs one task per cached partition in every iteration, so blocks cached in
 * fewer partitions than the application has task slots (a small file is read as one partition)
 * would leave cores idle for the whole fit. Such blocks are spread over the slots once, before the
 * first iteration. Whole blocks move, not rows: a block keeps its id, and with it its mini-batch
 * draws and dropout masks, so spreading changes nothing but where a block's gradient is summed.
 */
final class TaskSlots {
  private static final Logger LOG = LogManager.getLogger(TaskSlots.class);

  private TaskSlots() {}

  /**
   * How many partitions {@code blocks} should have: Spark's default parallelism (the task slots:
   * cores in local mode, executor cores on a cluster), at most one per block, or its own count when
   * that is already at least as many.
   */
  static int target(JavaRDD<DataBlock> blocks, long blockCount) {
    int slots = blocks.context().defaultParallelism();
    int partitions = blocks.getNumPartitions();
    int wanted = (int) Math.min(slots, blockCount);
    return Math.max(partitions, wanted);
  }

  /**
   * {@code blocks} itself when it already has {@link #target} partitions; otherwise the blocks
   * repartitioned round-robin into that many (deterministic: Spark seeds the round-robin start by
   * partition index), cached at the same storage level and materialised, the old cache released.
   */
  static JavaRDD<DataBlock> spread(JavaRDD<DataBlock> blocks, long blockCount) {
    int partitions = blocks.getNumPartitions();
    int target = target(blocks, blockCount);
    if (target == partitions) {
      return blocks;
    }
    LOG.info("The training blocks are cached in {} partition(s) for {} task slots: moving them "
        + "into {} partitions before training, so every slot trains (repartition the input "
        + "yourself to choose)", partitions, blocks.context().defaultParallelism(), target);
    JavaRDD<DataBlock> spread = blocks.repartition(target).persist(blocks.getStorageLevel());
    spread.setName(blocks.name());
    spread.count();
    blocks.unpersist(false);
    return spread;
  }
}
