package io.sparkbackprop.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for the whole test JVM: starting Spark costs seconds, so every test class
 * shares it. It stops when the JVM exits.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("spark-backprop-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }

  /** The repository's sample-data folder (tests run from the project root). */
  public static Path sampleData(String file) {
    return Paths.get("sample-data", file).toAbsolutePath();
  }

  /** Reads a libsvm file from sample-data. */
  public static Dataset<Row> libsvm(String file, int numFeatures) {
    return session().read().format("libsvm").option("numFeatures", String.valueOf(numFeatures))
        .load(sampleData(file).toString());
  }
}
