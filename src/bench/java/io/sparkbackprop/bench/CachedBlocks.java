package io.sparkbackprop.bench;

import io.sparkbackprop.nn.data.DataBlock;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Finds the training blocks an estimator has just stacked and cached, by the name the stacker gives
 * its RDD, so a benchmark can time jobs over exactly those blocks.
 */
public final class CachedBlocks {
  /** The name the stackers give the cached RDD of training blocks. */
  public static final String NAME = "spark-backprop training blocks";

  private CachedBlocks() {}

  /** The most recently cached RDD of training blocks (the one just stacked). */
  @SuppressWarnings("unchecked")
  public static JavaRDD<DataBlock> latest(JavaSparkContext jsc) {
    JavaRDD<?> found = null;
    for (Map.Entry<Integer, JavaRDD<?>> entry : jsc.getPersistentRDDs().entrySet()) {
      if (NAME.equals(entry.getValue().name())
          && (found == null || entry.getKey() > found.id())) {
        found = entry.getValue();
      }
    }
    if (found == null) {
      throw new IllegalStateException("No cached RDD named '" + NAME + "'");
    }
    return (JavaRDD<DataBlock>) found;
  }
}
