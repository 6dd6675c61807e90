package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.ml.BackpropRegressor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

/** Params by their Spark names, from text and JSON, through the estimators' own setters. */
class EstimatorParamsTest {
  private static Map<String, JsonNode> values(String... nameValue) {
    Map<String, String> cli = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      cli.put(nameValue[i], nameValue[i + 1]);
    }
    return EstimatorParams.collect(null, cli);
  }

  @Test
  void everyKindOfParamFromText() {
    BackpropClassifier c = new BackpropClassifier();
    EstimatorParams.apply(c, values("maxIter", "7", "stepSize", "0.5", "seed", "123456789012",
        "standardization", "false", "hiddenLayers", "128,64", "dropout", "[0.1]",
        "solver", "nesterov", "weightCol", "w", "initialWeights", "[0.5, -1]",
        "classWeights", "1,2,3"), "test");
    assertEquals(7, c.getMaxIter());
    assertEquals(0.5, c.getStepSize());
    assertEquals(123456789012L, c.getSeed());
    assertEquals(false, c.getStandardization());
    assertArrayEquals(new int[] {128, 64}, c.getHiddenLayers());
    assertArrayEquals(new double[] {0.1}, c.getDropout());
    assertEquals("nesterov", c.getSolver());
    assertEquals("w", c.getWeightCol());
    assertEquals(Vectors.dense(0.5, -1), c.getInitialWeights());
    assertArrayEquals(new double[] {1, 2, 3}, c.getClassWeights());
  }

  @Test
  void configJsonThenCommandLineWins() {
    JsonNode config = Json.parse("{\"maxIter\": 50, \"hiddenLayers\": [8], \"loss\": \"huber\"}", "c");
    BackpropRegressor r = new BackpropRegressor();
    EstimatorParams.apply(r, EstimatorParams.collect(config, Map.of("maxIter", "5")), "test");
    assertEquals(5, r.getMaxIter());
    assertArrayEquals(new int[] {8}, r.getHiddenLayers());
    assertEquals("huber", r.getLoss());
  }

  @Test
  void mistakesAreUsageErrorsThatNameTheParam() {
    BackpropClassifier c = new BackpropClassifier();
    CliException badType = assertThrows(CliException.class,
        () -> EstimatorParams.apply(c, values("maxIter", "many"), "test"));
    assertEquals(CliException.USAGE, badType.exitCode());
    assertEquals("param maxIter expects an integer, got 'many'", badType.getMessage());
    CliException badValue = assertThrows(CliException.class,
        () -> EstimatorParams.apply(c, values("activation", "swish"), "test"));
    assertTrue(badValue.getMessage().startsWith("param activation: "), badValue.getMessage());
    CliException reserved = assertThrows(CliException.class,
        () -> EstimatorParams.apply(c, values("labelCol", "y"), "test"));
    assertTrue(reserved.getMessage().contains("use --label-col"), reserved.getMessage());
    CliException unknown = assertThrows(CliException.class,
        () -> EstimatorParams.apply(new BackpropRegressor(), values("classWeights", "1,2"), "the r"));
    assertTrue(unknown.getMessage().startsWith("unknown param 'classWeights' for the r"),
        unknown.getMessage());
    CliException notAnObject = assertThrows(CliException.class,
        () -> EstimatorParams.collect(Json.parse("[1]", "c"), Map.of()));
    assertEquals(CliException.USAGE, notAnObject.exitCode());
  }
}
