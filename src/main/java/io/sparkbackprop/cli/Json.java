package io.sparkbackprop.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** JSON through Spark's Jackson (see the pom): one mapper, and numbers without NaN tokens. */
final class Json {
  private Json() {}

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** A finite number as itself, NaN and infinities as null (JSON has no NaN). */
  static JsonNode number(double value) {
    return Double.isFinite(value) ? JsonNodeFactory.instance.numberNode(value)
        : JsonNodeFactory.instance.nullNode();
  }

  static ArrayNode numbers(double[] values) {
    ArrayNode array = array();
    for (double v : values) {
      array.add(number(v));
    }
    return array;
  }

  /** Parses JSON text; a syntax error becomes a one-line usage error naming {@code what}. */
  static JsonNode parse(String text, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw CliException.usage(what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON", e);
    }
  }
}
