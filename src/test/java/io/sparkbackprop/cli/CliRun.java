package io.sparkbackprop.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of {@link Main}: exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The non-empty lines of stderr. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }

  /**
   * Writes a libsvm file as CSV with a header (label, f0, f1, ...; zeros filled in) and an extra
   * string column {@code note}, without Spark.
   */
  static Path csvFromLibsvm(Path libsvm, Path csv, int numFeatures, String labelName)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder(labelName);
    for (int i = 0; i < numFeatures; i++) {
      header.append(",f").append(i);
    }
    lines.add(header.append(",note").toString());
    for (String line : Files.readAllLines(libsvm, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      double[] values = new double[numFeatures];
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split(":");
        values[Integer.parseInt(kv[0]) - 1] = Double.parseDouble(kv[1]);
      }
      StringBuilder row = new StringBuilder(parts[0]);
      for (double v : values) {
        row.append(',').append(v);
      }
      lines.add(row.append(",row").toString());
    }
    Files.createDirectories(csv.getParent());
    Files.write(csv, lines, StandardCharsets.UTF_8);
    return csv;
  }
}
