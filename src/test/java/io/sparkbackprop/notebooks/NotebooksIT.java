package io.sparkbackprop.notebooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Executes every notebook in {@code notebooks/} headlessly, against the jar this build has just
 * packaged: one test per notebook, which fails with the failing cell and its error.
 *
 * <p>Runs in {@code mvn verify} (failsafe), after the pre-integration-test phase has rendered the
 * kernel spec into {@code target/notebooks/jupyter}. Each notebook goes through
 * {@code notebooks/run.sh --no-build}, the same runner that regenerates the committed notebooks, so
 * CI and {@code run.sh --update} execute notebooks identically (Jupyter's nbconvert with the
 * {@code java-spark} kernel, a retry when the kernel does not answer at start-up). The executed copies
 * land in {@code target/notebooks/executed}. A new notebook needs no change here: dropping
 * {@code notebooks/NN-name.ipynb} adds its test.
 */
class NotebooksIT {

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsWithoutAFailingCell() throws IOException {
    Path root = NotebookFiles.projectRoot();
    List<Path> notebooks = NotebookFiles.jupyterNotebooks(root);
    assertFalse(notebooks.isEmpty(), "no notebooks in " + root.resolve("notebooks"));
    Path output = root.resolve("target/notebooks/executed");
    return notebooks.stream().map(notebook -> DynamicTest.dynamicTest(
        notebook.getFileName().toString(), () -> execute(root, notebook, output)));
  }

  private static void execute(Path root, Path notebook, Path output)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", root.resolve("notebooks/run.sh").toString(),
        "--no-build", "--output-dir", output.toString(), notebook.getFileName().toString())
        .directory(root.toFile())
        .redirectErrorStream(true)
        .start();
    process.getOutputStream().close();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    System.out.print(log);
    if (exit != 0) {
      fail(notebook.getFileName() + " did not run through (notebooks/run.sh exit " + exit + "):\n"
          + failureReport(log));
    }
  }

  /** The runner's report of the failure: from its FAILED line on, else everything it printed. */
  static String failureReport(String log) {
    int at = log.indexOf("FAILED ");
    return at >= 0 ? log.substring(at) : log;
  }
}
