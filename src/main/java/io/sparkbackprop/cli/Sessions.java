package io.sparkbackprop.cli;

import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a command. Uses a session that is already running (a test, a notebook) and
 * leaves it running; otherwise starts one, on the master that {@code spark-submit} or
 * {@code -Dspark.master} configured, or {@code local[*]} when none is, and stops it at the end.
 */
final class Sessions {
  private Sessions() {}

  /** A session and whether this command owns it. */
  record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  static Handle open(String appName, boolean verbose) {
    quietLogs(verbose);
    scala.Option<SparkSession> running = SparkSession.getActiveSession();
    if (running.isEmpty()) {
      running = SparkSession.getDefaultSession();
    }
    if (running.isDefined()) {
      return new Handle(running.get(), false);
    }
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!conf.contains("spark.master")) {
      builder.master("local[*]");
    }
    if (!conf.contains("spark.ui.showConsoleProgress")) {
      builder.config("spark.ui.showConsoleProgress", "false");
    }
    SparkSession spark = builder.getOrCreate();
    quietLogs(verbose);
    return new Handle(spark, true);
  }

  /**
   * Spark's own INFO chatter hides the results: unless the user configured logging themselves,
   * Spark logs at WARN, and our classes at INFO only with {@code --verbose} (the CLI prints its own
   * progress lines on stdout).
   */
  static void quietLogs(boolean verbose) {
    if (!usesDefaultLogging()) {
      return;
    }
    Configurator.setRootLevel(Level.WARN);
    Configurator.setLevel("io.sparkbackprop", verbose ? Level.INFO : Level.WARN);
    // Harmless start-up warnings a user can do nothing about.
    Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
    Configurator.setLevel("org.apache.spark.util.Utils", verbose ? Level.WARN : Level.ERROR);
    // "numFeatures not specified": train reads libsvm files whose width only the data tells.
    Configurator.setLevel("org.apache.spark.ml.source.libsvm.LibSVMFileFormat",
        verbose ? Level.WARN : Level.ERROR);
  }

  /** Whether logging runs on log4j's or Spark's built-in defaults (no user configuration). */
  private static boolean usesDefaultLogging() {
    if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
      return false;
    }
    Configuration config = context.getConfiguration();
    if (config instanceof DefaultConfiguration) {
      // Nothing configured and Spark has not logged yet: install Spark's default profile now, as
      // Spark would on its first log line, so that the levels set here are not replaced by it.
      java.net.URL defaults = Sessions.class.getClassLoader()
          .getResource("org/apache/spark/log4j2-defaults.properties");
      if (defaults == null) {
        return true;
      }
      try {
        context.setConfigLocation(defaults.toURI());
      } catch (java.net.URISyntaxException e) {
        return true;
      }
      return true;
    }
    URI location = context.getConfigLocation();
    String source = config.getConfigurationSource() == null ? null
        : config.getConfigurationSource().getLocation();
    String where = source != null ? source : location == null ? "" : location.toString();
    return where.contains("org/apache/spark/log4j2");
  }
}
