package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.DataBlock;
import org.apache.spark.api.java.JavaRDD;

/** Cached training blocks with their summary. Close it to release the cache. */
public final class StackedData implements AutoCloseable {
  private final JavaRDD<DataBlock> blocks;
  private final DataSummary summary;
  private final int numFeatures;
  private final int blockSize;

  StackedData(JavaRDD<DataBlock> blocks, DataSummary summary, int numFeatures, int blockSize) {
    this.blocks = blocks;
    this.summary = summary;
    this.numFeatures = numFeatures;
    this.blockSize = blockSize;
  }

  JavaRDD<DataBlock> blocks() {
    return blocks;
  }

  public DataSummary summary() {
    return summary;
  }

  public int numFeatures() {
    return numFeatures;
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
