package io.sparkbackprop.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Zeppelin notes in {@code notebooks/zeppelin} (Zeppelin itself cannot be installed here): each
 * is a valid note, its {@code %spark.conf} paragraph puts this build's jar on Spark's class path, and
 * its Scala paragraphs compile, in order, against the packaged jar and Spark with Scala 2.13 (the
 * Scala of Spark 4.2). The paragraphs are compiled as the body of one class that declares what
 * Zeppelin's Spark interpreter provides ({@code spark}, {@code sc}, {@code z}), which is how
 * Zeppelin's REPL sees them too: one scope, top to bottom.
 */
class ZeppelinNotesIT {
  /** Where the Scala compiler and library come from: the test class path (scala-compiler, test scope). */
  private static final String[] SCALA_CLASSES = {
      "scala.tools.nsc.Main", "scala.Predef", "scala.reflect.api.Universe"};

  @TestFactory
  Stream<DynamicTest> everyNoteIsValidAndCompiles() throws IOException {
    Path root = NotebookFiles.projectRoot();
    List<Path> notes = NotebookFiles.zeppelinNotes(root);
    assertFalse(notes.isEmpty(), "no Zeppelin notes in " + root.resolve("notebooks/zeppelin"));
    return notes.stream().map(note -> DynamicTest.dynamicTest(note.getFileName().toString(),
        () -> check(root, note)));
  }

  private static void check(Path root, Path notePath) throws Exception {
    String name = notePath.getFileName().toString();
    JsonNode note = new ObjectMapper().readTree(notePath.toFile());
    assertTrue(note.path("name").isTextual(), name + ": a note has a name");
    assertTrue(note.path("paragraphs").isArray() && note.path("paragraphs").size() > 0,
        name + ": a note has paragraphs");

    Path jar = Paths.get(requiredProperty("project.jar"));
    List<String> scala = new ArrayList<>();
    boolean loadsJar = false;
    for (JsonNode paragraph : note.path("paragraphs")) {
      String text = paragraph.path("text").asText("");
      String interpreter = text.startsWith("%") ? text.split("\\s", 2)[0] : "%spark";
      String body = text.startsWith("%") ? text.substring(interpreter.length()) : text;
      switch (interpreter) {
        case "%spark.conf" -> loadsJar |= body.contains("spark.jars")
            && body.contains(jar.getFileName().toString());
        case "%spark", "%spark.spark" -> scala.add(body);
        case "%md", "%spark.sql" -> { }
        default -> fail(name + ": unexpected interpreter " + interpreter);
      }
    }
    assertTrue(loadsJar, name + ": needs a %spark.conf paragraph setting spark.jars to .../"
        + jar.getFileName());
    assertFalse(scala.isEmpty(), name + ": no %spark paragraph");
    compile(root, name, scala, jar);
  }

  /** Compiles the paragraphs with scalac in a child JVM; fails with the compiler's messages. */
  private static void compile(Path root, String name, List<String> paragraphs, Path jar)
      throws IOException, InterruptedException, URISyntaxException {
    Path work = Files.createDirectories(root.resolve("target/zeppelin-check"));
    String className = "Note_" + name.replaceAll("[^A-Za-z0-9]", "_");
    Path source = work.resolve(className + ".scala");
    Files.writeString(source, wrap(className, paragraphs), StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(work.resolve(className));

    String sparkClasspath = jar + File.pathSeparator
        + requiredProperty("notebook.classpath").replace(";", File.pathSeparator);
    List<String> command = List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", scalaClasspath(), "scala.tools.nsc.Main",
        "-classpath", sparkClasspath, "-d", classes.toString(), "-deprecation",
        source.toString());
    Process scalac = new ProcessBuilder(command).redirectErrorStream(true).start();
    scalac.getOutputStream().close();
    String output = new String(scalac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = scalac.waitFor();
    assertEquals(0, exit, name + ": its Scala paragraphs do not compile against " + jar.getFileName()
        + " (source as compiled: " + source + "):\n" + output);
  }

  /** The paragraphs, in order, as the body of a class that declares Zeppelin's bindings. */
  static String wrap(String className, List<String> paragraphs) {
    StringBuilder out = new StringBuilder();
    out.append("// Generated by ZeppelinNotesIT from the note's %spark paragraphs.\n")
        .append("class ").append(className)
        .append("(val spark: org.apache.spark.sql.SparkSession) {\n")
        .append("  val sc: org.apache.spark.SparkContext = spark.sparkContext\n")
        .append("  object z {\n")
        .append("    def show(o: Any): Unit = ()\n")
        .append("    def show(o: Any, maxResult: Int): Unit = ()\n")
        .append("  }\n");
    for (int i = 0; i < paragraphs.size(); i++) {
      out.append("\n  // paragraph ").append(i + 1).append('\n')
          .append(paragraphs.get(i).strip()).append('\n');
    }
    return out.append("}\n").toString();
  }

  private static String scalaClasspath() throws URISyntaxException {
    Set<String> entries = new LinkedHashSet<>();
    for (String className : SCALA_CLASSES) {
      try {
        Class<?> type = Class.forName(className, false, ZeppelinNotesIT.class.getClassLoader());
        entries.add(Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(className + " is not on the test class path", e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String requiredProperty(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("System property " + key + " is not set; run this test with"
          + " mvn verify (failsafe sets it)");
    }
    return value;
  }
}
