package io.sparkbackprop.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What every sub-command shares: the console streams, {@code --verbose} and {@code --help}. */
abstract class BaseCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Option(names = "--verbose",
      description = "Print the stack trace of an error, and the library's INFO log lines. "
          + "Default: off.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  PrintStream out() {
    return main.out;
  }

  /** Spark facts for the metrics file: version, master, application id, executors. */
  static com.fasterxml.jackson.databind.node.ObjectNode sparkInfo(SparkSession spark) {
    com.fasterxml.jackson.databind.node.ObjectNode info = Json.object();
    info.put("version", spark.version());
    info.put("master", spark.sparkContext().master());
    info.put("applicationId", spark.sparkContext().applicationId());
    // The status tracker lists the driver too; in local mode the driver is the only executor.
    int executors = spark.sparkContext().statusTracker().getExecutorInfos().length;
    info.put("executors", spark.sparkContext().isLocal() ? 0 : Math.max(0, executors - 1));
    info.put("defaultParallelism", spark.sparkContext().defaultParallelism());
    return info;
  }

  static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
  }
}
