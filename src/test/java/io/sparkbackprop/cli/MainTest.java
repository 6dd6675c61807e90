package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The CLI in process, on the tests' shared local session: help texts, each failure mode (one line on
 * stderr, the exit code, no stack trace, no model written), and train, predict and evaluate end to end
 * on small data.
 */
class MainTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void session() {
    spark = SharedSpark.session();
  }

  private Path irisCsv() throws IOException {
    return CliRun.csvFromLibsvm(SharedSpark.sampleData("iris.libsvm"), tmp.resolve("iris/iris.csv"), 4,
        "species");
  }

  @Test
  void everyOptionOfEveryCommandIsListedWithItsDefault() {
    for (String command : new String[] {"train", "predict", "evaluate"}) {
      CliRun run = CliRun.of(command, "--help");
      assertEquals(0, run.exitCode(), run.toString());
      CommandLine parsed = new CommandLine(Main.class.getDeclaredConstructors().length > 0
          ? commandObject(command) : null);
      for (OptionSpec option : parsed.getCommandSpec().options()) {
        assertTrue(run.out().contains(option.longestName()), command + " --help lacks "
            + option.longestName() + "\n" + run.out());
        boolean usageHelp = option.usageHelp();
        String description = String.join(" ", option.description());
        assertTrue(usageHelp || option.required() || option.defaultValue() != null
            || description.contains("Default") || description.contains("Required"),
            command + " " + option.longestName() + " does not say its default");
      }
    }
    CliRun top = CliRun.of("--help");
    assertEquals(0, top.exitCode());
    assertTrue(top.out().contains("train") && top.out().contains("predict")
        && top.out().contains("evaluate"), top.out());
  }

  private static Object commandObject(String command) {
    return switch (command) {
      case "train" -> new TrainCommand();
      case "predict" -> new PredictCommand();
      default -> new EvaluateCommand();
    };
  }

  /** The checks every failure mode shares. */
  private void assertCleanFailure(CliRun run, int exitCode, String expected, Path model)
      throws IOException {
    assertEquals(exitCode, run.exitCode(), run.toString());
    List<String> lines = run.errLines();
    assertEquals(1, lines.size(), "expected one line on stderr: " + run);
    assertTrue(lines.get(0).startsWith("error: "), run.toString());
    assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in " + lines.get(0));
    assertFalse(run.err().contains("\tat "), "stack trace without --verbose: " + run);
    if (model != null) {
      assertFalse(Files.exists(model), "a model was written at " + model);
      try (Stream<Path> siblings = Files.list(model.getParent())) {
        assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().endsWith(".tmp"))
            .toList(), "temporary model folders left behind");
      }
    }
  }

  @Test
  void missingInputPath() throws IOException {
    Path model = tmp.resolve("model");
    CliRun run = CliRun.of("train", "--input", tmp.resolve("absent.csv").toString(), "--model",
        model.toString());
    assertCleanFailure(run, 1, "input path does not exist", model);
  }

  @Test
  void unknownOption() throws IOException {
    Path model = tmp.resolve("model");
    CliRun run = CliRun.of("train", "--input", irisCsv().toString(), "--model", model.toString(),
        "--learning-rate", "0.1");
    assertCleanFailure(run, 2, "Unknown options: '--learning-rate'", model);
  }

  @Test
  void unknownParamName() throws IOException {
    Path model = tmp.resolve("model");
    CliRun run = CliRun.of("train", "--input", irisCsv().toString(), "--label-col", "species",
        "--model", model.toString(), "--param", "maxiter=5");
    assertCleanFailure(run, 2, "unknown param 'maxiter'", model);
    assertTrue(run.err().contains("did you mean 'maxIter'"), run.err());
  }

  @Test
  void badParamValueFailsBeforeReadingTheData() throws IOException {
    Path model = tmp.resolve("model");
    CliRun run = CliRun.of("train", "--input", tmp.resolve("absent.csv").toString(), "--model",
        model.toString(), "--param", "maxIter=-3");
    assertCleanFailure(run, 2, "maxIter must be >= 0", model);
  }

  @Test
  void labelColumnThatDoesNotExist() throws IOException {
    Path model = tmp.resolve("model");
    CliRun run = CliRun.of("train", "--input", irisCsv().toString(), "--label-col", "kind",
        "--model", model.toString());
    assertCleanFailure(run, 1, "label column 'kind' does not exist", model);
    assertTrue(run.err().contains("species (int)"), "the error lists the columns: " + run.err());
  }

  @Test
  void nonNumericFeatureColumn() throws IOException {
    Path model = tmp.resolve("model");
    CliRun run = CliRun.of("train", "--input", irisCsv().toString(), "--label-col", "species",
        "--feature-cols", "f0,note", "--model", model.toString());
    assertCleanFailure(run, 1, "feature column 'note' has type string", model);
  }

  @Test
  void existingModelWithoutOverwrite() throws IOException {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Path marker = Files.writeString(model.resolve("keep-me"), "old");
    CliRun run = CliRun.of("train", "--input", irisCsv().toString(), "--label-col", "species",
        "--model", model.toString());
    assertCleanFailure(run, 1, "already exists; pass --overwrite", null);
    assertEquals("old", Files.readString(marker), "the existing model was touched");
  }

  @Test
  void verboseAddsTheStackTrace() {
    CliRun run = CliRun.of("train", "--verbose", "--input", tmp.resolve("absent.csv").toString(),
        "--model", tmp.resolve("model").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("error: input path does not exist"), run.err());
    assertTrue(run.err().contains("\tat io.sparkbackprop.cli."), run.err());
  }

  @Test
  void listParamsShowsSparkNamesAndDefaults() {
    CliRun run = CliRun.of("train", "--list-params", "--task", "regression");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("BackpropRegressor"), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.trim().startsWith("maxIter") && l.contains("100")),
        run.out());
    assertTrue(run.out().contains("huberDelta"), run.out());
  }

  private static Path onlyPart(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst()
          .orElseThrow();
    }
  }
}
