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
}
