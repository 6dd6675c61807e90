package io.sparkbackprop.distributed;

import java.util.function.Supplier;

/**
 * Input errors are detected inside tasks, where Spark wraps them in a SparkException ("Job aborted
 * due to stage failure ..."). This restores our own row validation errors
 * ({@link InvalidRowException}, an {@link IllegalArgumentException}) so a caller sees the same
 * exception type and message as for errors found on the driver. Any other failure, including an
 * IllegalArgumentException from Spark's own checks, stays the job failure it is.
 */
final class SparkErrors {
  private SparkErrors() {}

  static <T> T rethrowingInputErrors(Supplier<T> job) {
    try {
      return job.get();
    } catch (Exception e) {
      // SparkException is checked in Java but thrown undeclared by Scala code, hence the broad catch.
      if (!(e instanceof IllegalArgumentException)) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
          if (t instanceof InvalidRowException) {
            throw new InvalidRowException(t.getMessage(), e);
          }
        }
      }
      throw SparkErrors.<RuntimeException>sneaky(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }
}
