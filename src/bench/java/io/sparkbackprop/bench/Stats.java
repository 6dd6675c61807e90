package io.sparkbackprop.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median and spread of a few timings. */
record Stats(double median, double min, double max, int count) {

  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(median, sorted[0], sorted[n - 1], n);
  }

  static Stats of(double... values) {
    return of(Arrays.stream(values).boxed().toList());
  }

  /** For example {@code 0.512 s (0.498-0.530, n=9)}. */
  String seconds() {
    return String.format(Locale.ROOT, "%s s (%s-%s, n=%d)", fmt(median), fmt(min), fmt(max), count);
  }

  /** For example {@code 14.0 ms (13-18, n=15)}. */
  String millis() {
    return String.format(Locale.ROOT, "%.1f ms (%.0f-%.0f, n=%d)", median * 1e3, min * 1e3, max * 1e3,
        count);
  }

  static String fmt(double seconds) {
    if (Double.isNaN(seconds)) {
      return "n/a";
    }
    return seconds >= 10 ? String.format(Locale.ROOT, "%.1f", seconds)
        : String.format(Locale.ROOT, "%.3g", seconds);
  }
}
