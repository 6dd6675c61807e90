package io.sparkbackprop.cli;

/**
 * A failure the user can fix (a bad option, a missing path, a column that is not there): the CLI prints
 * its message as one line on stderr, without a stack trace unless {@code --verbose}, and exits with
 * {@link #exitCode()}.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code of a usage error: an unknown option or param, a bad option value. */
  static final int USAGE = 2;
  /** Exit code of every other failure. */
  static final int FAILURE = 1;

  private final int exitCode;

  private CliException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A mistake in the command line itself. */
  static CliException usage(String message) {
    return new CliException(message, USAGE, null);
  }

  /** A problem with the inputs or outputs the command line names. */
  static CliException failure(String message) {
    return new CliException(message, FAILURE, null);
  }

  static CliException failure(String message, Throwable cause) {
    return new CliException(message, FAILURE, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
