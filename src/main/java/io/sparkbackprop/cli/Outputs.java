package io.sparkbackprop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Writes results so that a path holds either its old content or the complete new one, never half
 * of a model: everything is written to a hidden temporary sibling ({@code .name.<random>.tmp}, which
 * Spark's readers skip) and renamed into place at the end. Works on any Hadoop file system.
 */
final class Outputs {
  private Outputs() {}

  /** Throws unless {@code path} is free, or {@code overwrite} allows replacing it. */
  static void checkTarget(SparkSession spark, String path, boolean overwrite, String option) {
    if (!overwrite && exists(spark, path)) {
      throw CliException.failure(option + " " + path + " already exists; pass --overwrite to replace it");
    }
  }

  static boolean exists(SparkSession spark, String path) {
    Path target = new Path(path);
    try {
      return fs(spark, target).exists(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lets {@code writer} fill a temporary sibling of {@code path} (it receives the sibling's path),
   * then moves it to {@code path}, replacing what was there only when {@code overwrite}.
   */
  static void writeAtomically(SparkSession spark, String path, boolean overwrite, String option,
      Consumer<String> writer) {
    Path target = new Path(path);
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    FileSystem fs;
    try {
      fs = fs(spark, target);
      if (target.getParent() != null) {
        fs.mkdirs(target.getParent());
      }
    } catch (IOException e) {
      throw CliException.failure("cannot write " + path + ": " + e.getMessage(), e);
    }
    boolean moved = false;
    try {
      writer.accept(tmp.toString());
      if (fs.exists(target)) {
        if (!overwrite) {
          throw CliException.failure(option + " " + path
              + " appeared while writing; pass --overwrite to replace it");
        }
        fs.delete(target, true);
      }
      if (!fs.rename(tmp, target)) {
        throw CliException.failure("cannot move " + tmp + " to " + path);
      }
      moved = true;
    } catch (IOException e) {
      throw CliException.failure("cannot write " + path + ": " + e.getMessage(), e);
    } finally {
      if (!moved) {
        try {
          fs.delete(tmp, true);
        } catch (IOException ignored) {
          // The temporary sibling is hidden; a leftover does no harm to readers.
        }
      }
    }
  }

  /**
   * Writes a small file (metrics, a chart) atomically, replacing an older one. On the local file
   * system it bypasses Hadoop's checksum layer, so no {@code .name.crc} files appear beside it.
   */
  static void writeFile(SparkSession spark, String path, byte[] content) {
    Path target = new Path(path);
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    FileSystem fs = null;
    try {
      fs = fs(spark, target);
      if (fs instanceof ChecksumFileSystem checksummed) {
        fs = checksummed.getRawFileSystem();
      }
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content);
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot move " + tmp + " to " + target);
      }
    } catch (IOException e) {
      throw CliException.failure("cannot write " + path + ": " + e.getMessage(), e);
    } finally {
      try {
        if (fs != null) {
          fs.delete(tmp, false);
        }
      } catch (IOException ignored) {
        // A hidden leftover does no harm.
      }
    }
  }

  /** Reads a small text file (a config) from any Hadoop file system. */
  static String readText(SparkSession spark, String path, String option) {
    Path file = new Path(path);
    try {
      FileSystem fs = fs(spark, file);
      if (!fs.exists(file)) {
        throw CliException.failure(option + " " + path + " does not exist");
      }
      try (java.io.InputStream in = fs.open(file)) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw CliException.failure("cannot read " + option + " " + path + ": " + e.getMessage(), e);
    }
  }

  /** The sibling of {@code metricsPath} that holds its loss curve: {@code name-loss.png}. */
  static String chartPath(String metricsPath) {
    String base = metricsPath.endsWith(".json")
        ? metricsPath.substring(0, metricsPath.length() - ".json".length()) : metricsPath;
    return base + "-loss.png";
  }

  private static FileSystem fs(SparkSession spark, Path path) throws IOException {
    return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
