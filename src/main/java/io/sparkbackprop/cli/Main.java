package io.sparkbackprop.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The command-line application for {@code spark-submit}: {@code train}, {@code predict} and
 * {@code evaluate} on the user's own data (libsvm, CSV or Parquet).
 *
 * <pre>
 * spark-submit --class io.sparkbackprop.cli.Main spark-backprop_2.13-0.1.0-SNAPSHOT-app.jar \
 *   train --input data.csv --label-col y --model model --metrics metrics.json
 * </pre>
 *
 * <p>{@link #run} is the whole program and returns the exit code (0 success, 1 failure, 2 usage
 * error); {@link #main} only passes it to {@code System.exit}. Errors are one line on stderr, with the
 * stack trace only under {@code --verbose}.
 */
@Command(name = "spark-backprop", sortOptions = false,
    description = "Train, apply and evaluate spark-backprop neural networks on Spark.",
    subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class},
    footer = {"", "Run '<command> --help' for the options of a command. Exit codes: 0 success, "
        + "1 failure, 2 usage error."})
public final class Main implements Callable<Integer> {
  final PrintStream out;
  final PrintStream err;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command: train, predict or evaluate");
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine commandLine = new CommandLine(new Main(out, err));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      err.println("error: " + oneLine(e.getMessage()) + " (see '"
          + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      err.flush();
      return CliException.USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
      CliException known = find(e);
      err.println("error: " + (known != null ? known.getMessage() : describe(e)));
      if (command.getCommand() instanceof BaseCommand base && base.verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return known != null ? known.exitCode() : CliException.FAILURE;
    });
    return commandLine.execute(args);
  }

  private static CliException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CliException cli) {
        return cli;
      }
    }
    return null;
  }

  /** The most specific message of an unexpected failure, on one line. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
    return message != null ? oneLine(message) : e.getClass().getSimpleName();
  }

  private static String oneLine(String message) {
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
