package io.sparkbackprop.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * SQL settings a command changes for its own duration only (queries are planned lazily, so they must
 * stay set until the command's last job), restored when it closes: a session shared with other code
 * (a test, a notebook) gets its settings back.
 */
final class SessionConf implements AutoCloseable {
  private final RuntimeConfig conf;
  private final Map<String, String> previous = new LinkedHashMap<>();

  SessionConf(SparkSession spark) {
    this.conf = spark.conf();
  }

  void set(String key, String value) {
    if (!previous.containsKey(key)) {
      previous.put(key, conf.contains(key) ? conf.get(key) : null);
    }
    conf.set(key, value);
  }

  @Override
  public void close() {
    previous.forEach((key, value) -> {
      if (value == null) {
        conf.unset(key);
      } else {
        conf.set(key, value);
      }
    });
    previous.clear();
  }
}
