package io.sparkbackprop.ml;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import scala.runtime.AbstractFunction1;

/**
 * Param validators written as Scala functions. Spark's {@code ParamValidators} helpers for arrays do
 * not type-check from Java, and validators must be serializable because params travel with models.
 */
final class Validators {
  private Validators() {}

  /** Arrays whose entries are all positive; {@code allowEmpty} admits the empty array. */
  static scala.Function1<int[], Object> positiveInts(boolean allowEmpty, int minLength) {
    return new Check<int[]>() {
      @Override
      public Object apply(int[] values) {
        if (values == null || values.length < minLength || (!allowEmpty && values.length == 0)) {
          return false;
        }
        for (int v : values) {
          if (v <= 0) {
            return false;
          }
        }
        return true;
      }
    };
  }

  /** A string equal, ignoring case, to one of {@code allowed}. */
  static scala.Function1<String, Object> oneOfIgnoringCase(String... allowed) {
    return new Check<String>() {
      @Override
      public Object apply(String value) {
        if (value == null) {
          return false;
        }
        for (String a : allowed) {
          if (a.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
            return true;
          }
        }
        return false;
      }
    };
  }

  /** A finite number above {@code min} (or equal to it, if {@code inclusive}). */
  static scala.Function1<Object, Object> finiteAbove(double min, boolean inclusive) {
    return new Check<Object>() {
      @Override
      public Object apply(Object value) {
        double v = ((Number) value).doubleValue();
        return Double.isFinite(v) && (inclusive ? v >= min : v > min);
      }
    };
  }

  /** A non-empty array of finite non-negative values with a positive sum. */
  static scala.Function1<double[], Object> nonNegativeDoubles() {
    return new Check<double[]>() {
      @Override
      public Object apply(double[] values) {
        if (values == null || values.length == 0) {
          return false;
        }
        double sum = 0;
        for (double v : values) {
          if (!(v >= 0) || Double.isInfinite(v)) {
            return false;
          }
          sum += v;
        }
        return sum > 0;
      }
    };
  }

  /** Dropout rates, each in [0, 1). */
  static scala.Function1<double[], Object> dropoutRates() {
    return new Check<double[]>() {
      @Override
      public Object apply(double[] values) {
        if (values == null) {
          return false;
        }
        for (double v : values) {
          if (!(v >= 0 && v < 1)) {
            return false;
          }
        }
        return true;
      }
    };
  }

  /** A non-empty vector of finite values. */
  static scala.Function1<Vector, Object> finiteVector() {
    return new Check<Vector>() {
      @Override
      public Object apply(Vector value) {
        if (value == null || value.size() == 0) {
          return false;
        }
        for (double d : value.toArray()) {
          if (!Double.isFinite(d)) {
            return false;
          }
        }
        return true;
      }
    };
  }

  private abstract static class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
