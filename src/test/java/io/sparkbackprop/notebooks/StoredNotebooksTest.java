package io.sparkbackprop.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed notebooks are stored as executed: run top to bottom in one session by
 * {@code notebooks/run.sh --update}, with no error and no log lines among their outputs, on our
 * kernel. (Whether they still run is NotebooksIT's job, after packaging.)
 */
class StoredNotebooksTest {
  /** A line as our kernel's log4j layout writes it ("WARN Utils: ..."). */
  private static final Pattern LOG_LINE = Pattern.compile(
      "(?m)^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL) [\\w.$-]+: ");

  @TestFactory
  Stream<DynamicTest> notebooksAreStoredWithTheirOutputs() throws IOException {
    Path root = NotebookFiles.projectRoot();
    List<Path> notebooks = NotebookFiles.jupyterNotebooks(root);
    assertFalse(notebooks.isEmpty(), "no notebooks in " + root.resolve("notebooks"));
    return notebooks.stream().map(notebook -> DynamicTest.dynamicTest(
        notebook.getFileName().toString(), () -> check(notebook)));
  }

  private static void check(Path notebook) throws IOException {
    String name = notebook.getFileName().toString();
    JsonNode root = new ObjectMapper().readTree(notebook.toFile());
    assertEquals(4, root.path("nbformat").asInt(), name + ": nbformat");
    assertEquals("java-spark", root.path("metadata").path("kernelspec").path("name").asText(),
        name + ": kernel");
    int lastCount = 0;
    int codeCells = 0;
    List<String> problems = new ArrayList<>();
    for (JsonNode cell : root.path("cells")) {
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      codeCells++;
      String head = firstLine(cell.path("source"));
      JsonNode count = cell.path("execution_count");
      if (!count.isInt() || count.asInt() <= lastCount) {
        problems.add("cell '" + head + "' was not executed in order (execution_count " + count
            + " after " + lastCount + ")");
      } else {
        lastCount = count.asInt();
      }
      for (JsonNode output : cell.path("outputs")) {
        String type = output.path("output_type").asText();
        if ("error".equals(type)) {
          problems.add("cell '" + head + "' stored an error: " + output.path("evalue").asText());
        }
        if ("stream".equals(type) && LOG_LINE.matcher(text(output.path("text"))).find()) {
          problems.add("cell '" + head + "' shows log lines: " + text(output.path("text")));
        }
      }
    }
    assertTrue(codeCells > 0, name + " has no code cell");
    assertTrue(problems.isEmpty(), name + " is not stored as a clean run; run notebooks/run.sh"
        + " --update " + name + ":\n  " + String.join("\n  ", problems));
  }

  /** Notebook text fields are a string or an array of lines. */
  private static String text(JsonNode node) {
    if (!node.isArray()) {
      return node.asText();
    }
    StringBuilder text = new StringBuilder();
    node.forEach(line -> text.append(line.asText()));
    return text.toString();
  }

  private static String firstLine(JsonNode source) {
    String text = text(source).strip();
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
