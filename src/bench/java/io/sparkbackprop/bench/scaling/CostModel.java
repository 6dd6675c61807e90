package io.sparkbackprop.bench.scaling;

import java.util.Map;
import java.util.TreeMap;

/**
 * Seconds per synchronous iteration of our trainer on {@code n} executors of one core each (one
 * partition per executor), {@code W} parameters, {@code R} rows:
 *
 * <pre>
 * T = L(n) + C + Bc + Rd + D
 *   L(n) = l0 + l1 n                        fixed job latency (empty job)
 *   C    = c(W) 6 W R / min(n, P)            compute: 6 flops per parameter and row (forward 2,
 *                                            backward 4), P = cores that really exist
 *   Bc   = b0 + cb 4W f(n),  f(n) = n        broadcast of W float32: the driver serves every
 *                                            executor (exact while W*4 bytes fit in one torrent piece)
 *   Rd   = r0 + cr 8W g(n)                   tree-reduce of W doubles: g = arrays taken in by the
 *                                            busiest receiver ({@link TreeAggregateShape})
 *   D    = d W                               driver-side work per parameter (update, conversions)
 * </pre>
 *
 * On a real network each byte also crosses a link of {@code bandwidth} bytes per second: {@link
 * #network} adds {@code (4W f(n) + 8W g(n)) / bandwidth} on top of the measured loopback costs.
 */
record CostModel(String cluster, double l0, double l1, double b0, double cb, double r0, double cr,
    double d, Map<Long, Double> secondsPerFlop, int depth) {

  static final double FLOPS_PER_PARAM_AND_ROW = 6;

  double latency(int n) {
    return l0 + l1 * n;
  }

  /** Seconds per flop for a model size: the measured size closest in log scale. */
  double secondsPerFlop(long params) {
    double best = Double.NaN;
    double distance = Double.MAX_VALUE;
    for (Map.Entry<Long, Double> e : new TreeMap<>(secondsPerFlop).entrySet()) {
      double dist = Math.abs(Math.log((double) e.getKey() / params));
      if (dist < distance) {
        distance = dist;
        best = e.getValue();
      }
    }
    return best;
  }

  double compute(long params, double rows, int n, int cores) {
    return secondsPerFlop(params) * FLOPS_PER_PARAM_AND_ROW * params * rows / Math.min(n, cores);
  }

  static double broadcastFactor(int n) {
    return n;
  }

  double reduceFactor(int n) {
    return TreeAggregateShape.arraysThroughBusiestReceiver(n, depth);
  }

  double broadcast(long params, int n) {
    return b0 + cb * 4.0 * params * broadcastFactor(n);
  }

  double reduce(long params, int n) {
    return r0 + cr * 8.0 * params * reduceFactor(n);
  }

  double driver(long params) {
    return d * params;
  }

  /** Extra seconds to move the bytes over links of {@code bytesPerSecond} (0 = loopback only). */
  double network(long params, int n, double bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      return 0;
    }
    return (4.0 * params * broadcastFactor(n) + 8.0 * params * reduceFactor(n)) / bytesPerSecond;
  }

  /** Communication of one sync: broadcast, reduce and their network time. */
  double communication(long params, int n, double bytesPerSecond) {
    return broadcast(params, n) + reduce(params, n) + network(params, n, bytesPerSecond);
  }

  double iteration(long params, double rows, int n, int cores, double bytesPerSecond) {
    return latency(n) + compute(params, rows, n, cores) + communication(params, n, bytesPerSecond)
        + driver(params);
  }
}
