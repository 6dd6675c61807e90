package io.sparkbackprop.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.LoggerConfig;
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
   * progress lines on stdout). Under spark-submit our classes come from the application class
   * loader, which may have a log4j context of its own; both contexts get the same levels.
   */
  static void quietLogs(boolean verbose) {
    // Let Spark set up its logging now (silently): it replaces a default configuration on its first
    // log line, which would undo the levels below. (spark-submit resets it before calling main.)
    new SparkConf(false).initializeLogIfNecessary(false, true);
    LoggerContext spark = context(SparkConf.class.getClassLoader());
    LoggerContext ours = context(Sessions.class.getClassLoader());
    for (LoggerContext context : ours == spark ? new LoggerContext[] {spark}
        : new LoggerContext[] {spark, ours}) {
      if (context == null || !usesDefaultLogging(context)) {
        continue;
      }
      Configuration config = context.getConfiguration();
      config.getRootLogger().setLevel(Level.WARN);
      setLevel(config, "io.sparkbackprop", verbose ? Level.INFO : Level.WARN);
      // Harmless start-up warnings a user can do nothing about.
      setLevel(config, "org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
      setLevel(config, "org.apache.spark.util.Utils", verbose ? Level.WARN : Level.ERROR);
      // "Truncated the string representation of a plan": wide CSV inputs, nothing to act on.
      setLevel(config, "org.apache.spark.util.SparkStringUtils", verbose ? Level.WARN : Level.ERROR);
      // "numFeatures not specified": train reads libsvm files whose width only the data tells.
      setLevel(config, "org.apache.spark.ml.source.libsvm.LibSVMFileFormat",
          verbose ? Level.WARN : Level.ERROR);
      context.updateLoggers();
    }
  }

  private static LoggerContext context(ClassLoader loader) {
    return LogManager.getContext(loader, false) instanceof LoggerContext context ? context : null;
  }

  private static void setLevel(Configuration config, String name, Level level) {
    LoggerConfig existing = config.getLoggers().get(name);
    if (existing != null) {
      existing.setLevel(level);
    } else {
      config.addLogger(name, LoggerConfig.newBuilder().withLoggerName(name).withLevel(level)
          .withAdditivity(true).withConfig(config).build());
    }
  }

  /**
   * Whether a context runs on log4j's or Spark's built-in defaults (no user configuration). Log4j's
   * bare default is replaced by Spark's default profile first, as Spark itself would do on its first
   * log line, so that the levels set here are not replaced by it later.
   */
  private static boolean usesDefaultLogging(LoggerContext context) {
    Configuration config = context.getConfiguration();
    if (config instanceof DefaultConfiguration) {
      URL defaults = SparkConf.class.getClassLoader()
          .getResource("org/apache/spark/log4j2-defaults.properties");
      if (defaults != null) {
        try {
          context.setConfigLocation(defaults.toURI());
        } catch (URISyntaxException e) {
          // Keep log4j's default; the levels below still apply to it.
        }
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
