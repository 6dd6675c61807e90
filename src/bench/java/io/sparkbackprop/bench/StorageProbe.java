package io.sparkbackprop.bench;

import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.storage.RDDInfo;

/**
 * Watches Spark's storage while something runs and keeps the largest total of cached bytes (memory
 * plus disk) of RDDs that were not cached when it started: what a fit caches for itself.
 */
final class StorageProbe implements AutoCloseable {
  private final SparkContext sc;
  private final Set<Integer> before = new HashSet<>();
  private final Thread poller;
  private volatile boolean running = true;
  private volatile long peakBytes;

  StorageProbe(SparkContext sc) {
    this.sc = sc;
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      before.add(info.id());
    }
    poller = new Thread(this::poll, "storage-probe");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll() {
    while (running) {
      sample();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    long total = 0;
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      if (!before.contains(info.id())) {
        total += info.memSize() + info.diskSize();
      }
    }
    peakBytes = Math.max(peakBytes, total);
  }

  /** The largest total seen so far, sampling once more first. */
  long peakBytes() {
    sample();
    return peakBytes;
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
    try {
      poller.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Memory plus disk bytes Spark reports for the RDD with this id, or -1 if it is not cached. */
  static long cachedBytes(SparkContext sc, int rddId) {
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      if (info.id() == rddId) {
        return info.memSize() + info.diskSize();
      }
    }
    return -1;
  }
}
