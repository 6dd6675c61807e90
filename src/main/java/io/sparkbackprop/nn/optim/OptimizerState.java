package io.sparkbackprop.nn.optim;

import java.util.Map;
import java.util.Set;

/**
 * Helpers for reading optimizer state maps ({@link Optimizer#state()}), with error messages that name
 * the optimizer and the missing or malformed entry. Scalars are stored as length-1 arrays.
 */
final class OptimizerState {
  private OptimizerState() {}

  /** Fails unless {@code state} holds exactly the entries named {@code keys}. */
  static void requireKeys(String optimizer, Map<String, double[]> state, Set<String> keys) {
    if (!state.keySet().equals(keys)) {
      throw new IllegalArgumentException(optimizer + " state must hold exactly " + keys + ", got "
          + state.keySet());
    }
  }

  /** Copies the entry {@code key} into {@code target}, which it must match in length. */
  static void copyInto(String optimizer, Map<String, double[]> state, String key,
      double[] target) {
    double[] source = entry(optimizer, state, key, target.length);
    System.arraycopy(source, 0, target, 0, target.length);
  }

  /** The single value of the length-1 entry {@code key}. */
  static double scalar(String optimizer, Map<String, double[]> state, String key) {
    return entry(optimizer, state, key, 1)[0];
  }

  /** The value of the length-1 entry {@code key}, which must be an integer in [min, max]. */
  static int integer(String optimizer, Map<String, double[]> state, String key, int min, int max) {
    double value = scalar(optimizer, state, key);
    if (!(value >= min && value <= max && value == Math.rint(value))) {
      throw new IllegalArgumentException(optimizer + " state '" + key + "' must be an integer in ["
          + min + ", " + max + "], got " + value);
    }
    return (int) value;
  }

  private static double[] entry(String optimizer, Map<String, double[]> state, String key,
      int length) {
    double[] source = state.get(key);
    if (source == null) {
      throw new IllegalArgumentException(optimizer + " state '" + key + "' is missing");
    }
    if (source.length != length) {
      throw new IllegalArgumentException(optimizer + " state '" + key + "' has " + source.length
          + " entries, expected " + length);
    }
    return source;
  }
}
