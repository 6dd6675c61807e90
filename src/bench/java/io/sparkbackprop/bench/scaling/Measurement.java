package io.sparkbackprop.bench.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measured point as one tab-separated line: where it ran ({@code cluster} names the cluster kind,
 * {@code executors} of one core each, {@code partitions}), what ran (model {@code params} from
 * {@code hidden} widths, {@code rows}, the {@code kind} of job) and the median seconds of that
 * kind's jobs in one {@code repeat}. Lines starting with {@code #} are comments (load, settings).
 */
record Measurement(String cluster, int executors, int partitions, int hidden, long params,
    long rows, String kind, int repeat, double seconds) {

  /** Fixed latency of one job: {@link PrimitiveJobs#empty}. */
  static final String EMPTY = "empty";
  static final String BROADCAST = "broadcast";
  static final String REDUCE = "reduce";
  static final String COMPUTE = "compute";
  /** Our trainer's iteration, driver period between two iterations (what a user waits for). */
  static final String ITERATION = "iteration";
  /** Our trainer's iteration job alone (Spark's job start to end). */
  static final String ITERATION_JOB = "iteration-job";
  /** The slowest task's executor run time in an iteration job (task metrics). */
  static final String TASK_MAX = "task-max";
  /** Our trainer with localSteps K: the period of one job of K local block steps. */
  static final String LOCAL_STEPS = "local-steps";

  String line() {
    return String.join("\t", cluster, Integer.toString(executors), Integer.toString(partitions),
        Integer.toString(hidden), Long.toString(params), Long.toString(rows), kind,
        Integer.toString(repeat), String.format(Locale.ROOT, "%.6f", seconds));
  }

  static Measurement parse(String line) {
    String[] f = line.split("\t");
    if (f.length != 9) {
      throw new IllegalArgumentException("Expected 9 tab-separated fields: " + line);
    }
    return new Measurement(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
        Integer.parseInt(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), f[6],
        Integer.parseInt(f[7]), Double.parseDouble(f[8]));
  }

  /** The measurements of one or more files, comment lines skipped. */
  static List<Measurement> read(List<Path> files) {
    List<Measurement> all = new ArrayList<>();
    for (Path file : files) {
      try {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank() && !line.startsWith("#")) {
            all.add(parse(line));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
    return all;
  }

  /** The comment lines of the files (load averages and settings), file name first. */
  static List<String> comments(List<Path> files) {
    List<String> all = new ArrayList<>();
    for (Path file : files) {
      try {
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("#")) {
            all.add(file.getFileName() + ": " + line.substring(1).trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
    return all;
  }
}
