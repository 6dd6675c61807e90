package io.sparkbackprop.cli;

import java.util.Locale;

/** What a model predicts: a class index or a number. */
enum Task {
  CLASSIFICATION,
  REGRESSION;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code classification} or {@code regression} (any case). */
  static Task parse(String value) {
    for (Task task : values()) {
      if (task.label().equalsIgnoreCase(value.trim())) {
        return task;
      }
    }
    throw CliException.usage("--task must be classification or regression, got '" + value + "'");
  }
}
