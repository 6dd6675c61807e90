package io.sparkbackprop.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one {@link EndToEndBenchmark} run: a summary table (each measurement for MLPC and for
 * us, their ratio and the target), detail tables per section and free-text notes.
 */
final class Report {
  private final String title;
  private final List<String> header = new ArrayList<>();
  private final Table summary =
      new Table("measurement", "MLPC", "ours", "ours vs MLPC", "target", "met");
  private final Map<String, Table> details = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  Report(String title) {
    this.title = title;
  }

  void header(String line) {
    header.add(line);
  }

  void note(String line) {
    notes.add(line);
    System.out.println("note: " + line);
  }

  /** A summary line; {@code met} is null when the row has no target. */
  void summary(String measurement, String mlpc, String ours, String ratio, String target,
      Boolean met) {
    summary.add(measurement, mlpc, ours, ratio, target == null ? "" : target,
        met == null ? "" : met ? "yes" : "no");
  }

  /** The detail table with this title, created with the given header on first use. */
  Table detail(String tableTitle, String... columns) {
    return details.computeIfAbsent(tableTitle, t -> new Table(columns));
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append('\n').append(title).append('\n');
    header.forEach(h -> out.append(h).append('\n'));
    out.append('\n').append(summary.toText());
    for (Map.Entry<String, Table> detail : details.entrySet()) {
      out.append('\n').append(detail.getKey()).append('\n').append(detail.getValue().toText());
    }
    if (!notes.isEmpty()) {
      out.append("\nNotes\n");
      notes.forEach(n -> out.append("- ").append(n).append('\n'));
    }
    return out.toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(title).append("\n\n");
    header.forEach(h -> out.append("- ").append(h).append('\n'));
    out.append('\n').append(summary.toMarkdown());
    for (Map.Entry<String, Table> detail : details.entrySet()) {
      out.append("\n### ").append(detail.getKey()).append("\n\n").append(detail.getValue().toMarkdown());
    }
    if (!notes.isEmpty()) {
      out.append("\n### Notes\n\n");
      notes.forEach(n -> out.append("- ").append(n).append('\n'));
    }
    return out.toString();
  }

  static String x(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio);
  }

  static String pct(double fraction) {
    return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  static String gflops(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f GFLOP/s", value);
  }

  static String rate(double rowsPerSecond) {
    return String.format(Locale.ROOT, "%,.0f rows/s", rowsPerSecond);
  }
}
