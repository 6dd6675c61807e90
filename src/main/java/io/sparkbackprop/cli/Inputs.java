package io.sparkbackprop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the input of a command: libsvm, CSV (with a header) or Parquet, from a file or a folder. */
final class Inputs {
  private Inputs() {}

  /** What was read, and how. */
  record Input(Dataset<Row> rows, InputFormat format, String path) {}

  /**
   * Reads {@code path}.
   *
   * @param format libsvm, csv or parquet; null to tell from the file names
   * @param numFeatures libsvm vector size when known (a saved model's input width), else null
   * @param partitions partitions wanted, or null to keep those the files give. Text files are split
   *     by size so that the rows arrive in this many partitions without a shuffle (the row order, and
   *     so training, stays reproducible); inputs that cannot be split (one small Parquet row group)
   *     are repartitioned.
   * @param conf the command's session settings (the split size must stay set until the last job)
   */
  static Input read(SparkSession spark, String path, String format, Integer numFeatures,
      Integer partitions, SessionConf conf) {
    FileSystem fs;
    FileStatus[] matches;
    Path hadoopPath = new Path(path);
    try {
      fs = hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      matches = fs.globStatus(hadoopPath);
    } catch (IOException e) {
      throw CliException.failure("cannot read input path " + path + ": " + e.getMessage(), e);
    }
    if (matches == null || matches.length == 0) {
      throw CliException.failure("input path does not exist: " + path);
    }
    InputFormat chosen = format != null ? InputFormat.parse(format) : detect(fs, matches, path);
    if (partitions != null) {
      if (partitions < 1) {
        throw CliException.usage("--partitions must be >= 1, got " + partitions);
      }
      if (chosen != InputFormat.PARQUET) {
        long bytes = totalBytes(fs, matches);
        long split = Math.max(1, (bytes + partitions - 1) / partitions);
        conf.set("spark.sql.files.maxPartitionBytes", String.valueOf(split));
        conf.set("spark.sql.files.openCostInBytes", "0");
        conf.set("spark.sql.files.minPartitionNum", String.valueOf(partitions));
      }
    }
    DataFrameReader reader = spark.read();
    Dataset<Row> rows;
    switch (chosen) {
      case LIBSVM:
        if (numFeatures != null && numFeatures > 0) {
          reader = reader.option("numFeatures", String.valueOf(numFeatures));
        }
        rows = reader.format("libsvm").load(path);
        break;
      case CSV:
        rows = reader.option("header", "true").option("inferSchema", "true").csv(path);
        break;
      default:
        rows = reader.parquet(path);
    }
    if (partitions != null) {
      int have = rows.rdd().getNumPartitions();
      if (have > partitions) {
        rows = rows.coalesce(partitions);
      } else if (have < partitions) {
        rows = rows.repartition(partitions);
      }
    }
    return new Input(rows, chosen, path);
  }

  private static InputFormat detect(FileSystem fs, FileStatus[] matches, String path) {
    try {
      for (FileStatus match : matches) {
        if (match.isFile()) {
          InputFormat format = InputFormat.fromFileName(match.getPath().getName());
          if (format != null) {
            return format;
          }
        } else {
          RemoteIterator<LocatedFileStatus> files = fs.listFiles(match.getPath(), true);
          while (files.hasNext()) {
            Path file = files.next().getPath();
            if (!isHidden(file.getName())) {
              InputFormat format = InputFormat.fromFileName(file.getName());
              if (format != null) {
                return format;
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw CliException.usage("cannot tell the format of " + path
        + " from its file names; pass --format libsvm, csv or parquet");
  }

  private static long totalBytes(FileSystem fs, FileStatus[] matches) {
    long total = 0;
    try {
      for (FileStatus match : matches) {
        total += match.isFile() ? match.getLen() : fs.getContentSummary(match.getPath()).getLength();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total;
  }

  /** Files Spark itself skips when reading a folder. */
  private static boolean isHidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }
}
