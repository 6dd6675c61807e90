package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.DataBlock;
import org.apache.spark.api.java.JavaRDD;

/** Cached training blocks with their summary. Close it to release the cache. */
public final class StackedData implements AutoCloseable {
  private JavaRDD<DataBlock> blocks;
  private final DataSummary summary;
  private final int numFeatures;
  private final int blockSize;
  private final double labelOffset;

  StackedData(JavaRDD<DataBlock> blocks, DataSummary summary, int numFeatures, int blockSize,
      double labelOffset) {
    this.blocks = blocks;
    this.summary = summary;
    this.numFeatures = numFeatures;
    this.blockSize = blockSize;
    this.labelOffset = labelOffset;
  }

  JavaRDD<DataBlock> blocks() {
    return blocks;
  }

  /**
   * Moves the blocks over the application's task slots when they are cached in fewer partitions
   * ({@link TaskSlots}); done only when training runs as Spark jobs, not on the driver.
   */
  void spreadOverTaskSlots() {
    blocks = TaskSlots.spread(blocks, summary.blocks());
  }

  public DataSummary summary() {
    return summary;
  }

  public int numFeatures() {
    return numFeatures;
  }

  /**
   * What was subtracted, in double precision, from every regression label before it was stored as
   * float32 in the blocks (0 for class labels): a label with a large offset and a small spread
   * (timestamps, amounts in cents) would otherwise lose its signal to float32 rounding. The loss
   * sees targets {@code label - labelOffset}, so its target centre must be shifted by it too.
   */
  public double labelOffset() {
    return labelOffset;
  }

  /** The most rows any block holds. */
  public int blockSize() {
    return blockSize;
  }

  /** Unpersists the cached blocks (without blocking on executors). */
  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
