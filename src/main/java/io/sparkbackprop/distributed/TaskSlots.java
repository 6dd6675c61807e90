package io.sparkbackprop.distributed;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training runs one task per cached partition in every iteration, so a table with fewer partitions
 * than the application has task slots (a small file is read as one partition) would leave cores idle
 * for the whole fit. Such a table is spread over the slots once, before its blocks are cached.
 */
final class TaskSlots {
  private static final Logger LOG = LogManager.getLogger(TaskSlots.class);

  private TaskSlots() {}

  /**
   * {@code rows} itself when not {@code enabled} or when it has at least as many partitions as Spark's default parallelism (the
   * task slots: cores in local mode, executor cores on a cluster); otherwise the rows repartitioned
   * round-robin into that many partitions (deterministic: Spark sorts before a round-robin
   * repartition).
   */
  static Dataset<Row> spread(Dataset<Row> rows, boolean enabled) {
    if (!enabled) {
      return rows;
    }
    int slots = rows.sparkSession().sparkContext().defaultParallelism();
    int partitions = rows.javaRDD().getNumPartitions();
    if (partitions >= slots) {
      return rows;
    }
    LOG.info("The training data has {} partition(s) for {} task slots: repartitioning it into {} "
        + "before caching its blocks, so every slot trains (repartition it yourself to choose)",
        partitions, slots, slots);
    return rows.repartition(slots);
  }
}
