package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model folder is either absent, the old one, or the complete new one. */
class OutputsTest {
  private final SparkSession spark = SharedSpark.session();

  @TempDir
  Path tmp;

  private List<String> entries() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void writeParts(String dir, int parts, boolean failAfter) {
    try {
      Files.createDirectories(Path.of(dir));
      for (int i = 0; i < parts; i++) {
        Files.writeString(Path.of(dir, "part-" + i), "data " + i);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (failAfter) {
      throw new IllegalStateException("writer failed half way");
    }
  }

  @Test
  void aFailingWriterLeavesNoModelAndNoTemporaryFolder() throws IOException {
    String model = tmp.resolve("model").toString();
    assertThrows(IllegalStateException.class,
        () -> Outputs.writeAtomically(spark, model, false, "--model", dir -> writeParts(dir, 2, true)));
    assertEquals(List.of(), entries());
  }

  @Test
  void aFailingOverwriteKeepsTheOldModel() throws IOException {
    String model = tmp.resolve("model").toString();
    Outputs.writeAtomically(spark, model, false, "--model", dir -> writeParts(dir, 1, false));
    assertThrows(IllegalStateException.class,
        () -> Outputs.writeAtomically(spark, model, true, "--model", dir -> writeParts(dir, 3, true)));
    assertEquals(List.of("model"), entries());
    assertEquals("data 0", Files.readString(tmp.resolve("model/part-0")));
    assertFalse(Files.exists(tmp.resolve("model/part-1")));
  }

  @Test
  void overwriteReplacesAndItsAbsenceRefuses() throws IOException {
    String model = tmp.resolve("model").toString();
    Outputs.writeAtomically(spark, model, false, "--model", dir -> writeParts(dir, 1, false));
    CliException refused = assertThrows(CliException.class,
        () -> Outputs.checkTarget(spark, model, false, "--model"));
    assertTrue(refused.getMessage().contains("already exists; pass --overwrite"), refused.getMessage());
    Outputs.writeAtomically(spark, model, true, "--model", dir -> writeParts(dir, 2, false));
    assertTrue(Files.exists(tmp.resolve("model/part-1")));
    assertEquals(List.of("model"), entries());
  }

  @Test
  void smallFilesAreReplacedWithoutChecksumFiles() throws IOException {
    String file = tmp.resolve("metrics.json").toString();
    Outputs.writeFile(spark, file, "{}".getBytes());
    Outputs.writeFile(spark, file, "{\"a\": 1}".getBytes());
    assertEquals("{\"a\": 1}", Files.readString(tmp.resolve("metrics.json")));
    assertEquals(List.of("metrics.json"), entries());
    assertEquals(tmp.resolve("metrics-loss.png").toString(), Outputs.chartPath(file));
  }
}
