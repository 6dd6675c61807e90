package io.sparkbackprop.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/**
 * The integration tests' in-process session: {@code local[2,3]} (two task threads, a failed task is
 * tried up to 3 times) with the test-only {@link FailFirstAttemptPlugin}, which stays idle until a
 * test arms it. The CLI run in process uses this session; it stops when the JVM exits.
 */
final class ItSpark {
  private static SparkSession session;

  private ItSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2,3]")
          .appName("spark-backprop-it")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.plugins", FailFirstAttemptPlugin.class.getName())
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }

  /** A file of the repository's sample-data folder (tests run from the project root). */
  static Path sampleData(String file) {
    return Paths.get("sample-data", file).toAbsolutePath();
  }
}
