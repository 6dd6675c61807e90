package io.sparkbackprop.ml;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;

/**
 * Spark's params-only reader, but refusing a path saved by another class with a clear message instead
 * of a ClassCastException in the caller's code.
 */
final class CheckedParamsReader<T extends Params> extends DefaultParamsReader<T> {
  private final Class<T> expected;

  CheckedParamsReader(Class<T> expected) {
    this.expected = expected;
  }

  @Override
  public T load(String path) {
    // loadMetadata fails with "Expected class name X but found class name Y" on a mismatch.
    DefaultParamsReader.loadMetadata(path, sparkSession(), expected.getName());
    return super.load(path);
  }
}
