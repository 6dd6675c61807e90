package io.sparkbackprop.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Which failures inside Spark jobs come back to the caller as input errors. */
class SparkErrorsTest {

  /**
   * An IllegalArgumentException that is not one of our row validation errors (here Spark's own
   * {@code require} style, thrown inside a task) stays a Spark job failure. Failed before the fix:
   * any nested IllegalArgumentException became an "input error".
   */
  @Test
  void otherIllegalArgumentExceptionsInTasksStaySparkFailures() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(
        SharedSpark.session().sparkContext());
    Exception e = assertThrows(Exception.class, () -> SparkErrors.rethrowingInputErrors(
        () -> jsc.parallelize(List.of(1, 2), 2).map(x -> {
          if (x == 2) {
            throw new IllegalArgumentException("requirement failed: not an input error");
          }
          return x;
        }).count()));
    assertFalse(e instanceof IllegalArgumentException, e.toString());
    assertTrue(e.getMessage().contains("requirement failed: not an input error"), e.getMessage());
  }

  /** Our own row validation errors come back as IllegalArgumentExceptions with their message. */
  @Test
  void rowValidationErrorsInTasksBecomeIllegalArgumentExceptions() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(
        SharedSpark.session().sparkContext());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkErrors.rethrowingInputErrors(() -> jsc.parallelize(List.of(1, 2), 2).map(x -> {
          if (x == 2) {
            throw new InvalidRowException("Column 'x' has a bad value 2 (partition 1, row 0)");
          }
          return x;
        }).count()));
    assertEquals("Column 'x' has a bad value 2 (partition 1, row 0)", e.getMessage());
  }
}
