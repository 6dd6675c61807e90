package io.sparkbackprop.bench;

import java.util.List;

/**
 * The GEMM peak measured in this JVM ({@link GemmPeak}), with as many threads as Spark runs tasks:
 * the best GFLOP/s over a few training-like shapes and a large square one, in float32 (ours) and
 * float64 (MLPC).
 */
record Peaks(double floatPeak, double doublePeak) {
  static final List<String> FLOAT_SHAPES = List.of("NN:128x128x100", "NT:128x100x128",
      "TN:128x128x64", "NN:128x512x100", "NN:128x1024x100", "NN:512x512x512");
  static final List<String> DOUBLE_SHAPES = List.of("NN:128x128x100", "NN:512x512x512");

  static Peaks none() {
    return new Peaks(Double.NaN, Double.NaN);
  }

  static Peaks measure(int threads, double seconds, Report report) {
    Table table = report.detail("GEMM throughput in this JVM, " + threads + " threads",
        "precision", "shape", "GFLOP/s");
    double single = 0;
    for (String shape : FLOAT_SHAPES) {
      double g = GemmPeak.measure(GemmShape.parse(shape), true, threads, seconds);
      table.add("float32 (sgemm)", shape, String.format(java.util.Locale.ROOT, "%.1f", g));
      single = Math.max(single, g);
    }
    double dbl = 0;
    for (String shape : DOUBLE_SHAPES) {
      double g = GemmPeak.measure(GemmShape.parse(shape), false, threads, seconds);
      table.add("float64 (dgemm)", shape, String.format(java.util.Locale.ROOT, "%.1f", g));
      dbl = Math.max(dbl, g);
    }
    report.summary("GEMM peak in this JVM, " + threads + " threads (MLPC: dgemm, ours: sgemm)",
        Report.gflops(dbl), Report.gflops(single), Report.x(single / dbl), "", null);
    return new Peaks(single, dbl);
  }
}
