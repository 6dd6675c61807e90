package io.sparkbackprop.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Where checkpoints live and how one replaces the previous: the model is written next to the old
 * checkpoint, then renamed over it, so {@code checkpointDir/latest} always holds a complete model
 * (a crash between the two steps leaves {@code latest.tmp} and the previous {@code latest}).
 */
public final class Checkpoints {
  private static final String LATEST = "latest";

  private Checkpoints() {}

  /** The path of the most recent checkpoint under {@code checkpointDir}; resume with it. */
  public static String latest(String checkpointDir) {
    return new Path(checkpointDir, LATEST).toString();
  }

  /** Writes with {@code save} to a temporary path, then moves the result to {@code target}. */
  static void replace(String target, java.util.function.Consumer<String> save) {
    Path finalPath = new Path(target);
    Path tmp = new Path(target + ".tmp");
    Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
    try {
      FileSystem fs = finalPath.getFileSystem(conf);
      fs.delete(tmp, true);
      save.accept(tmp.toString());
      fs.delete(finalPath, true);
      if (!fs.rename(tmp, finalPath)) {
        throw new IOException("rename " + tmp + " -> " + finalPath + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write checkpoint " + target, e);
    }
  }
}
