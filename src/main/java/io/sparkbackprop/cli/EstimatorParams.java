package io.sparkbackprop.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * Sets estimator params by their Spark names from {@code --param name=value} and {@code --config}
 * JSON. Values are converted by the param's type (Spark's typed params) and applied through the
 * estimator's own setter when it has one, so its checks and error messages apply.
 */
final class EstimatorParams {
  private EstimatorParams() {}

  /** Params the CLI sets from its own options, with the option to use instead. */
  static final Map<String, String> RESERVED = Map.of(
      "featuresCol", "--feature-cols",
      "labelCol", "--label-col",
      "validationIndicatorCol", "--validation-fraction",
      "predictionCol", "(fixed: prediction)",
      "probabilityCol", "(fixed: probability)",
      "rawPredictionCol", "(fixed: rawPrediction)");

  /**
   * The values to set, in order: the config file's entries, then the {@code --param} entries (a later
   * value of the same name wins).
   */
  static Map<String, JsonNode> collect(JsonNode config, Map<String, String> commandLine) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    if (config != null) {
      if (!config.isObject()) {
        throw CliException.usage("--config must hold a JSON object of param names and values");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> entry = it.next();
        values.put(entry.getKey(), entry.getValue());
      }
    }
    if (commandLine != null) {
      for (Map.Entry<String, String> entry : commandLine.entrySet()) {
        values.put(entry.getKey().trim(), parseLenient(entry.getValue()));
      }
    }
    return values;
  }

  /** A command-line value as JSON when it is JSON ({@code 3}, {@code [64,32]}), else as text. */
  static JsonNode parseLenient(String value) {
    try {
      JsonNode node = Json.MAPPER.readTree(value);
      return node == null || node.isMissingNode() ? TextNode.valueOf(value) : node;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(value);
    }
  }

  /** Sets every value on {@code estimator}. */
  static void apply(Params estimator, Map<String, JsonNode> values, String owner) {
    for (Map.Entry<String, JsonNode> entry : values.entrySet()) {
      Param<?> param = param(estimator, entry.getKey(), owner);
      set(estimator, param, decode(param, entry.getValue()));
    }
  }

  private static Param<?> param(Params estimator, String name, String owner) {
    if (RESERVED.containsKey(name)) {
      throw CliException.usage("param '" + name + "' is set by the CLI; use " + RESERVED.get(name));
    }
    if (!estimator.hasParam(name)) {
      String hint = "";
      for (Param<?> p : estimator.params()) {
        if (p.name().equalsIgnoreCase(name)) {
          hint = " (did you mean '" + p.name() + "'?)";
        }
      }
      throw CliException.usage("unknown param '" + name + "' for " + owner + hint
          + " (train --list-params lists them)");
    }
    return estimator.getParam(name);
  }

  /** The params a user may set, sorted. */
  static List<String> settableNames(Params estimator) {
    TreeSet<String> names = new TreeSet<>();
    for (Param<?> p : estimator.params()) {
      if (!RESERVED.containsKey(p.name())) {
        names.add(p.name());
      }
    }
    return new ArrayList<>(names);
  }

  /** The JSON value converted to the Java type {@code param} holds. */
  static Object decode(Param<?> param, JsonNode value) {
    String name = param.name();
    try {
      if (param instanceof IntParam) {
        return Math.toIntExact(integral(value, name));
      }
      if (param instanceof LongParam) {
        return integral(value, name);
      }
      if (param instanceof DoubleParam || param instanceof FloatParam) {
        double d = number(value, name);
        return param instanceof FloatParam ? (Object) (float) d : (Object) d;
      }
      if (param instanceof BooleanParam) {
        String text = value.isBoolean() ? String.valueOf(value.booleanValue()) : value.asText();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
          throw bad(name, "true or false", value);
        }
        return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
      }
      if (param instanceof IntArrayParam) {
        return elements(value).stream().mapToInt(v -> Math.toIntExact(integral(v, name))).toArray();
      }
      if (param instanceof DoubleArrayParam) {
        return elements(value).stream().mapToDouble(v -> number(v, name)).toArray();
      }
      if (param instanceof StringArrayParam) {
        return elements(value).stream().map(JsonNode::asText).toArray(String[]::new);
      }
      return decodeObject(param, value);
    } catch (ArithmeticException e) {
      throw bad(name, "an integer in range", value);
    }
  }

  /** A generic {@code Param<T>}: strings, and vectors given as a JSON array or Spark's vector JSON. */
  private static Object decodeObject(Param<?> param, JsonNode value) {
    boolean vector = isVectorParam(param);
    if (vector) {
      if (value.isTextual()) {
        value = parseLenient("[" + value.textValue() + "]");
      }
      if (value.isArray()) {
        return Vectors.dense(elements(value).stream().mapToDouble(v -> number(v, param.name())).toArray());
      }
      if (value.isObject()) {
        return param.jsonDecode(value.toString());
      }
      throw bad(param.name(), "a list of numbers", value);
    }
    return value.isTextual() ? value.textValue() : value.toString();
  }

  /** Whether a generic param holds a Vector, by the data class Spark 4 params declare. */
  private static boolean isVectorParam(Param<?> param) {
    Class<?> type = param.dataClass();
    return type != null && Vector.class.isAssignableFrom(type);
  }

  private static long integral(JsonNode value, String name) {
    if (value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().trim());
      } catch (NumberFormatException e) {
        throw bad(name, "an integer", value);
      }
    }
    if (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
      return (long) value.doubleValue();
    }
    throw bad(name, "an integer", value);
  }

  private static double number(JsonNode value, String name) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      try {
        return Double.parseDouble(value.textValue().trim());
      } catch (NumberFormatException e) {
        throw bad(name, "a number", value);
      }
    }
    throw bad(name, "a number", value);
  }

  /** The entries of a JSON array, or of a comma-separated text ({@code 64,32}); empty text is []. */
  private static List<JsonNode> elements(JsonNode value) {
    List<JsonNode> out = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(out::add);
    } else if (value.isTextual()) {
      String text = value.textValue().trim();
      if (text.startsWith("[") && text.endsWith("]")) {
        text = text.substring(1, text.length() - 1);
      }
      if (!text.isBlank()) {
        Arrays.stream(text.split(",")).map(String::trim).map(TextNode::valueOf).forEach(out::add);
      }
    } else {
      out.add(value);
    }
    return out;
  }

  private static CliException bad(String name, String expected, JsonNode value) {
    return CliException.usage("param " + name + " expects " + expected + ", got "
        + (value.isTextual() ? "'" + value.textValue() + "'" : value.toString()));
  }

  /** Sets through {@code setName(value)} when the estimator has it, else through {@code set}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void set(Params estimator, Param<?> param, Object value) {
    String setter = "set" + Character.toUpperCase(param.name().charAt(0)) + param.name().substring(1);
    for (Method method : estimator.getClass().getMethods()) {
      if (method.getName().equals(setter) && method.getParameterCount() == 1
          && accepts(method.getParameterTypes()[0], value)) {
        try {
          method.invoke(estimator, value);
          return;
        } catch (InvocationTargetException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IllegalArgumentException) {
            throw CliException.usage("param " + param.name() + ": " + cause.getMessage());
          }
          throw new IllegalStateException("Setting " + param.name() + " failed", cause);
        } catch (IllegalAccessException e) {
          break;
        }
      }
    }
    try {
      estimator.set(new ParamPair(param, value));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("param " + param.name() + ": " + e.getMessage());
    }
  }

  private static boolean accepts(Class<?> type, Object value) {
    if (type.isPrimitive()) {
      return (type == int.class && value instanceof Integer)
          || (type == long.class && value instanceof Long)
          || (type == double.class && value instanceof Double)
          || (type == float.class && value instanceof Float)
          || (type == boolean.class && value instanceof Boolean);
    }
    return type.isInstance(value) || (value instanceof Vector && type == Vector.class);
  }
}
