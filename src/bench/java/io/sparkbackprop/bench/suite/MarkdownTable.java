package io.sparkbackprop.bench.suite;

import java.util.ArrayList;
import java.util.List;

/** A table printed aligned on the console and written as Markdown. */
final class MarkdownTable {
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = header.clone();
  }

  MarkdownTable(List<String> header) {
    this(header.toArray(new String[0]));
  }

  void add(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException("Row has " + cells.length + " cells, header " + header.length);
    }
    rows.add(cells.clone());
  }

  void add(List<String> cells) {
    add(cells.toArray(new String[0]));
  }

  String toText() {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
    }
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    String[] rule = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    line(out, rule, widths);
    rows.forEach(r -> line(out, r, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    for (int i = 0; i < cells.length; i++) {
      out.append(i == 0 ? "" : "  ").append(cells[i]).append(" ".repeat(widths[i] - cells[i].length()));
    }
    out.append('\n');
  }

  String toMarkdown() {
    StringBuilder out = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int i = 0; i < header.length; i++) {
      out.append(i == 0 ? "---|" : "---:|");
    }
    out.append('\n');
    for (String[] row : rows) {
      List<String> escaped = new ArrayList<>();
      for (String c : row) {
        escaped.add(c.replace("|", "\\|"));
      }
      out.append("| ").append(String.join(" | ", escaped)).append(" |\n");
    }
    return out.toString();
  }
}
