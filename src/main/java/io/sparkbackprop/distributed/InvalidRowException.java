package io.sparkbackprop.distributed;

/**
 * A row of the user's data that cannot be used, found inside a Spark task: the message names the
 * column, the value and where the row sits. {@link SparkErrors} unwraps exactly these (and no other
 * {@link IllegalArgumentException}, such as Spark's own {@code require} failures) from the job
 * failure, so the caller sees the same exception as for an error found on the driver.
 */
final class InvalidRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidRowException(String message) {
    super(message);
  }

  InvalidRowException(String message, Throwable cause) {
    super(message, cause);
  }
}
