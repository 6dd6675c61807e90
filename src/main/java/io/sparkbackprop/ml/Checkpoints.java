package io.sparkbackprop.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * Where checkpoints live and how one replaces the previous, so that a crash at any moment leaves a
 * complete checkpoint: the new model is written to {@code latest.tmp}; the previous {@code latest}
 * is moved to {@code latest.old}; {@code latest.tmp} is moved to {@code latest}; {@code latest.old}
 * is deleted. A crash between the two moves leaves {@code latest.old} (and {@code latest.tmp}) but
 * no {@code latest}: loading {@code latest} then falls back to {@code latest.old}
 * ({@link #resolve}), and the next checkpoint completes the replacement.
 */
public final class Checkpoints {
  private static final Logger LOG = LogManager.getLogger(Checkpoints.class);
  private static final String LATEST = "latest";
  private static final String TMP = ".tmp";
  private static final String OLD = ".old";

  private Checkpoints() {}

  /** The path of the most recent checkpoint under {@code checkpointDir}; resume with it. */
  public static String latest(String checkpointDir) {
    return new Path(checkpointDir, LATEST).toString();
  }

  /** Writes with {@code save} to a temporary path, then moves the result to {@code target}. */
  static void replace(String target, java.util.function.Consumer<String> save) {
    Path finalPath = new Path(target);
    Path tmp = new Path(target + TMP);
    Path old = new Path(target + OLD);
    try {
      FileSystem fs = finalPath.getFileSystem(conf());
      fs.delete(tmp, true);
      save.accept(tmp.toString());
      if (fs.exists(finalPath)) {
        // A leftover old copy is stale only when a complete latest exists.
        fs.delete(old, true);
        rename(fs, finalPath, old);
      }
      rename(fs, tmp, finalPath);
      fs.delete(old, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write checkpoint " + target, e);
    }
  }

  /**
   * The path to load for {@code path}: itself, or, for a checkpoint ({@code .../latest}) that a
   * crash left half replaced, the previous checkpoint {@code latest.old}.
   */
  static String resolve(String path) {
    Path p = new Path(path);
    if (!LATEST.equals(p.getName())) {
      return path;
    }
    Path old = new Path(path + OLD);
    try {
      FileSystem fs = p.getFileSystem(conf());
      if (!fs.exists(p) && fs.exists(old)) {
        LOG.warn("Checkpoint {} is missing (a crash while it was being replaced); using the "
            + "previous checkpoint {}", path, old);
        return old.toString();
      }
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }

  private static Configuration conf() {
    return SparkSession.active().sparkContext().hadoopConfiguration();
  }
}
