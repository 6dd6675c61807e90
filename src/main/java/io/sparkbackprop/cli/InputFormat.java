package io.sparkbackprop.cli;

import java.util.Locale;

/** The input formats the CLI reads. */
enum InputFormat {
  LIBSVM,
  CSV,
  PARQUET;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code libsvm}, {@code csv} or {@code parquet} (any case). */
  static InputFormat parse(String value) {
    for (InputFormat format : values()) {
      if (format.label().equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    throw CliException.usage("unknown format '" + value + "'; use libsvm, csv or parquet");
  }

  /** The format a file name's extension implies, or null. */
  static InputFormat fromFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String compression : new String[] {".gz", ".bz2", ".deflate", ".zst", ".lz4", ".snappy"}) {
      if (lower.endsWith(compression) && !lower.endsWith(".parquet" + compression)) {
        lower = lower.substring(0, lower.length() - compression.length());
      }
    }
    if (lower.endsWith(".libsvm") || lower.endsWith(".svm")) {
      return LIBSVM;
    }
    if (lower.endsWith(".csv")) {
      return CSV;
    }
    if (lower.endsWith(".parquet")) {
      return PARQUET;
    }
    return null;
  }
}
