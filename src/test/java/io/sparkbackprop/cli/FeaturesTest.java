package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Which columns feed the model, for each feature layout. */
class FeaturesTest {
  private static final StructType TABLE = new StructType()
      .add("y", DataTypes.IntegerType)
      .add("a", DataTypes.DoubleType)
      .add("b", DataTypes.LongType)
      .add("name", DataTypes.StringType)
      .add("w", DataTypes.DoubleType)
      .add("seq", DataTypes.createArrayType(DataTypes.DoubleType));

  @Test
  void defaultVectorFeaturesAreTheOtherNumericColumns() {
    Features.Plan plan = Features.plan(TABLE, FeatureLayout.VECTOR, "y", null, Set.of("w"));
    assertEquals(List.of("a", "b"), plan.columns());
    assertEquals(List.of("name", "seq"), plan.ignored());
    assertTrue(plan.assemble());
    assertEquals("features", plan.featuresCol());
  }

  @Test
  void aSingleVectorColumnIsUsedAsItIs() {
    StructType libsvm = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Features.Plan plan = Features.plan(libsvm, FeatureLayout.VECTOR, "label", null, Set.of());
    assertFalse(plan.assemble());
    assertEquals("features", plan.featuresCol());
  }

  @Test
  void sequencesTakeOneArrayColumn() {
    Features.Plan plan = Features.plan(TABLE, FeatureLayout.SEQUENCE, "y", null, Set.of());
    assertEquals(List.of("seq"), plan.columns());
    assertFalse(plan.assemble());
    CliException two = assertThrows(CliException.class, () -> Features.plan(
        TABLE.add("seq2", DataTypes.createArrayType(DataTypes.FloatType)), FeatureLayout.SEQUENCE, "y",
        null, Set.of()));
    assertTrue(two.getMessage().contains("one array column"), two.getMessage());
    CliException numeric = assertThrows(CliException.class, () -> Features.plan(TABLE,
        FeatureLayout.SEQUENCE, "y", List.of("a"), Set.of()));
    assertTrue(numeric.getMessage().contains("not an array"), numeric.getMessage());
  }

  @Test
  void labelChecks() {
    Features.checkLabel(TABLE, "y");
    assertThrows(CliException.class, () -> Features.checkLabel(TABLE, "name"));
    CliException missing = assertThrows(CliException.class, () -> Features.checkLabel(TABLE, "z"));
    assertTrue(missing.getMessage().contains("y (int), a (double)"), missing.getMessage());
    CliException labelAsFeature = assertThrows(CliException.class, () -> Features.plan(TABLE,
        FeatureLayout.VECTOR, "y", List.of("a", "y"), Set.of()));
    assertEquals(CliException.USAGE, labelAsFeature.exitCode());
  }
}
