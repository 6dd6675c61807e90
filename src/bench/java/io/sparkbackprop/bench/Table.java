package io.sparkbackprop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A plain table printed aligned on the console and written as Markdown. */
public final class Table {
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();
  /** In Markdown, columns from this one on are right-aligned (numbers); header length = none. */
  private int rightAlignedFrom;

  public Table(String... header) {
    this.header = header.clone();
    this.rightAlignedFrom = header.length;
  }

  public Table(List<String> header) {
    this(header.toArray(new String[0]));
  }

  /** In Markdown, right-aligns every column after the first (columns of numbers). */
  public Table numbersRightAligned() {
    return rightAlignedFrom(1);
  }

  /** In Markdown, right-aligns column {@code column} and every one after it. */
  public Table rightAlignedFrom(int column) {
    rightAlignedFrom = column;
    return this;
  }

  public void add(List<String> cells) {
    add(cells.toArray(new String[0]));
  }

  public void add(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException("Row has " + cells.length + " cells, header " + header.length);
    }
    rows.add(cells.clone());
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  public String toText() {
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
    appendAligned(out, header, widths);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
    }
    out.append(rule).append('\n');
    for (String[] row : rows) {
      appendAligned(out, row, widths);
    }
    return out.toString();
  }

  private static void appendAligned(StringBuilder out, String[] cells, int[] widths) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        out.append("  ");
      }
      out.append(cells[i]).append(" ".repeat(widths[i] - cells[i].length()));
    }
    out.append('\n');
  }

  public String toMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int i = 0; i < header.length; i++) {
      out.append(i >= rightAlignedFrom ? "---:|" : "---|");
    }
    out.append('\n');
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", escape(row))).append(" |\n");
    }
    return out.toString();
  }

  private static String[] escape(String[] cells) {
    String[] escaped = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      escaped[i] = cells[i].replace("|", "\\|");
    }
    return escaped;
  }

  /** Writes text to a file, creating its folder. */
  static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
