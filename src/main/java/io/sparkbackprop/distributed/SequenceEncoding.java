package io.sparkbackprop.distributed;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * How a sequence column turns into steps of float features, and back for tokens. Three kinds:
 * {@code array<double>} (a univariate series, one value per step), {@code array<array<double>>} or
 * {@code array<vector>} (steps of {@code width} features), and {@code array<int>} or
 * {@code array<string>} (tokens, mapped to ids by a vocabulary built at fit: id 0 is every token
 * outside it). Every check names the column and says what is wrong with the row.
 */
public final class SequenceEncoding implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The id of tokens outside the vocabulary (and of padding, which is masked anyway). */
  public static final int UNKNOWN = 0;

  /** What each step of the column holds. */
  public enum Kind {
    /** One real number per step. */
    NUMBERS,
    /** A vector of {@code width} reals per step. */
    VECTORS,
    /** One token per step. */
    TOKENS
  }

  private final Kind kind;
  private final int width;
  private final String[] vocabulary;
  private transient Map<String, Integer> ids;

  private SequenceEncoding(Kind kind, int width, String[] vocabulary) {
    this.kind = kind;
    this.width = width;
    this.vocabulary = vocabulary;
  }

  public static SequenceEncoding numbers() {
    return new SequenceEncoding(Kind.NUMBERS, 1, null);
  }

  public static SequenceEncoding vectors(int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("Steps need at least one feature, got " + width);
    }
    return new SequenceEncoding(Kind.VECTORS, width, null);
  }

  /** @param vocabulary token of each id; entry {@link #UNKNOWN} stands for unknown tokens */
  public static SequenceEncoding tokens(String[] vocabulary) {
    if (vocabulary.length < 2) {
      throw new IllegalArgumentException("A vocabulary needs the unknown token and at least one more");
    }
    return new SequenceEncoding(Kind.TOKENS, 1, vocabulary.clone());
  }

  /** The kind a column's type holds, or an error naming the accepted types. */
  public static Kind kindOf(StructType schema, String column) {
    StructField field = field(schema, column);
    DataType type = field.dataType();
    if (type instanceof ArrayType array) {
      DataType element = array.elementType();
      if (element instanceof DoubleType || element instanceof FloatType) {
        return Kind.NUMBERS;
      }
      if (isIntegral(element) || element instanceof StringType) {
        return Kind.TOKENS;
      }
      if (element instanceof VectorUDT) {
        return Kind.VECTORS;
      }
      if (element instanceof ArrayType inner && isNumeric(inner.elementType())) {
        return Kind.VECTORS;
      }
    }
    throw new IllegalArgumentException("Column '" + column + "' has type "
        + type.simpleString() + "; sequence columns must be array<double> (one value per step), "
        + "array<array<double>> or array<vector> (features per step), or array<int> / "
        + "array<string> (tokens)");
  }

  static StructField field(StructType schema, String column) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException("Column '" + column + "' does not exist; the columns are "
        + String.join(", ", schema.fieldNames()));
  }

  static boolean isIntegral(DataType t) {
    return t instanceof IntegerType || t instanceof LongType || t instanceof ShortType
        || t instanceof ByteType;
  }

  static boolean isNumeric(DataType t) {
    return isIntegral(t) || t instanceof DoubleType || t instanceof FloatType;
  }

  public Kind kind() {
    return kind;
  }

  /** Features per step. */
  public int width() {
    return width;
  }

  /** The vocabulary (tokens only), id to token. */
  public String[] vocabulary() {
    return vocabulary == null ? null : vocabulary.clone();
  }

  public int vocabularySize() {
    return vocabulary == null ? 0 : vocabulary.length;
  }

  /** The id of a token: its vocabulary position, or {@link #UNKNOWN}. */
  public int id(String token) {
    if (ids == null) {
      Map<String, Integer> map = new HashMap<>();
      for (int i = 1; i < vocabulary.length; i++) {
        map.put(vocabulary[i], i);
      }
      ids = map;
    }
    Integer id = ids.get(token);
    return id == null ? UNKNOWN : id;
  }

  /** The token of an id. */
  public String token(int id) {
    return vocabulary[id];
  }

  /** The Spark type of this kind's columns, for error messages and schemas. */
  public DataType columnType() {
    switch (kind) {
      case NUMBERS:
        return DataTypes.createArrayType(DataTypes.DoubleType);
      case VECTORS:
        return DataTypes.createArrayType(new VectorUDT());
      default:
        return DataTypes.createArrayType(DataTypes.StringType);
    }
  }

  /** Checks that a column can be read with this encoding (at transform, against the fit's kind). */
  public void checkColumn(StructType schema, String column) {
    Kind found = kindOf(schema, column);
    if (found != kind) {
      throw new IllegalArgumentException("Column '" + column + "' holds " + describe(found)
          + " but the model was trained on " + describe(kind));
    }
  }

  private static String describe(Kind k) {
    switch (k) {
      case NUMBERS:
        return "numbers (one per step)";
      case VECTORS:
        return "feature vectors per step";
      default:
        return "tokens";
    }
  }

  /**
   * Reads one row's sequence into {@code out} ({@code width} floats per step, steps in order).
   *
   * @return the number of steps
   * @throws IllegalArgumentException naming the column and the row's problem
   */
  public int read(Object value, float[] out, int maxSteps, String column, Object where) {
    if (value == null) {
      throw new InvalidRowException("Column '" + column + "' has a null sequence (" + where
          + ")");
    }
    List<?> steps = asList(value);
    int n = steps.size();
    if (n == 0) {
      throw new InvalidRowException("Column '" + column + "' has an empty sequence (" + where
          + "); every sequence needs at least one step");
    }
    if (n > maxSteps) {
      throw new InvalidRowException("Column '" + column + "' has a sequence of " + n
          + " steps, longer than maxSequenceLength " + maxSteps + " (" + where
          + "); raise maxSequenceLength or cut the sequences into windows");
    }
    for (int t = 0; t < n; t++) {
      Object step = steps.get(t);
      if (step == null) {
        throw new InvalidRowException("Column '" + column + "' has a null at step " + t + " ("
            + where + ")");
      }
      switch (kind) {
        case NUMBERS:
          out[t] = finite(((Number) step).doubleValue(), column, t, -1, where);
          break;
        case TOKENS:
          out[t] = id(String.valueOf(step));
          break;
        default:
          readVector(step, out, t * width, column, t, where);
      }
    }
    return n;
  }

  private void readVector(Object step, float[] out, int offset, String column, int t,
      Object where) {
    if (step instanceof Vector v) {
      if (v.size() != width) {
        throw ragged(column, t, v.size(), where);
      }
      for (int i = 0; i < width; i++) {
        out[offset + i] = finite(v.apply(i), column, t, i, where);
      }
      return;
    }
    List<?> values = asList(step);
    if (values.size() != width) {
      throw ragged(column, t, values.size(), where);
    }
    for (int i = 0; i < width; i++) {
      Object x = values.get(i);
      if (x == null) {
        throw new InvalidRowException("Column '" + column + "' has a null at step " + t
            + ", feature " + i + " (" + where + ")");
      }
      out[offset + i] = finite(((Number) x).doubleValue(), column, t, i, where);
    }
  }

  private InvalidRowException ragged(String column, int t, int size, Object where) {
    return new InvalidRowException("Column '" + column + "' has ragged steps: step " + t
        + " has " + size + " features, expected " + width + " as in the first row (" + where + ")");
  }

  private static float finite(double v, String column, int t, int feature, Object where) {
    if (!Double.isFinite(v)) {
      throw new InvalidRowException("Column '" + column + "' has a non-finite value " + v
          + " at step " + t + (feature >= 0 ? ", feature " + feature : "") + " (" + where + ")");
    }
    return (float) v;
  }

  /** A Spark array value as a list (Row.get returns a Scala Seq). */
  static List<?> asList(Object value) {
    if (value instanceof List<?> list) {
      return list;
    }
    if (value instanceof Seq<?> seq) {
      return scala.jdk.javaapi.CollectionConverters.asJava(seq);
    }
    throw new IllegalArgumentException("Expected an array, found " + value.getClass().getName());
  }

  /** The width of a vectors column, from a row's first non-null step. */
  public static int vectorWidth(Object value) {
    for (Object step : asList(value)) {
      if (step instanceof Vector v) {
        return v.size();
      }
      if (step != null) {
        return asList(step).size();
      }
    }
    return 0;
  }
}
