package io.sparkbackprop.ml;

import java.util.Locale;

/** Checks used by setters so that an invalid value fails at set time with the param's name. */
final class ParamChecks {
  private ParamChecks() {}

  static String oneOf(String param, String value, String[] allowed) {
    if (value != null) {
      for (String a : allowed) {
        if (a.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
          return a;
        }
      }
    }
    throw new IllegalArgumentException(param + " must be one of " + String.join(", ", allowed)
        + ", got '" + value + "'");
  }

  static double positive(String param, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(param + " must be finite and > 0, got " + value);
    }
    return value;
  }

  /** A non-null string; empty strings are allowed for column params and mean "unset". */
  static String string(String param, String value) {
    if (value == null) {
      throw new IllegalArgumentException(param + " must not be null");
    }
    return value;
  }

  static double[] dropout(double[] rates) {
    if (rates == null) {
      throw new IllegalArgumentException("dropout must not be null");
    }
    for (double r : rates) {
      if (!(r >= 0 && r < 1)) {
        throw new IllegalArgumentException("dropout rates must be in [0, 1), got "
            + java.util.Arrays.toString(rates));
      }
    }
    return rates.clone();
  }

  /** Runs Spark's validator of {@code param} on {@code value}, failing with the param's name. */
  static <T> void valid(org.apache.spark.ml.param.Param<T> param, T value) {
    if (!param.isValid().apply(value).equals(Boolean.TRUE)) {
      throw new IllegalArgumentException(param.name() + " given invalid value " + value + ": "
          + param.doc());
    }
  }
}
