package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules of the house that the compiler does not enforce: the engine ({@code io.sparkbackprop.nn})
 * knows nothing of Spark or Scala, and every package documents itself in a package-info.java.
 */
class ArchitectureTest {
  private static final Path MAIN = Paths.get(System.getProperty("basedir", "."))
      .resolve("src/main/java/io/sparkbackprop");

  /**
   * A Spark or Scala name used as code: an import or a fully qualified reference. Whitespace around
   * the dots is allowed, as Java allows it.
   */
  private static final Pattern FORBIDDEN = Pattern.compile(
      "(?<![\\w.$])(org\\s*\\.\\s*apache\\s*\\.\\s*spark|scala)\\s*\\.\\s*[A-Za-z_$]");

  /** Blanks out comments, string and character literals, so only code is scanned. */
  static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      char next = i + 1 < n ? source.charAt(i + 1) : '\0';
      if (c == '/' && next == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && next == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        i = end < 0 ? n : end + 3;
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The forbidden references in a source text, one entry per use. */
  static List<String> forbiddenReferences(String source) {
    List<String> found = new ArrayList<>();
    Matcher m = FORBIDDEN.matcher(codeOnly(source));
    while (m.find()) {
      found.add(m.group().replaceAll("\\s+", ""));
    }
    return found;
  }

  private static List<Path> javaFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theEngineReferencesNeitherSparkNorScala() throws IOException {
    List<Path> files = javaFiles(MAIN.resolve("nn"));
    assertTrue(files.size() >= 20, "expected the engine's sources under " + MAIN + ", found " + files);
    List<String> violations = new ArrayList<>();
    for (Path file : files) {
      for (String ref : forbiddenReferences(Files.readString(file, StandardCharsets.UTF_8))) {
        violations.add(MAIN.relativize(file) + ": " + ref);
      }
    }
    assertEquals(List.of(), violations, "io.sparkbackprop.nn must not depend on Spark or Scala");
  }

  @Test
  void theScannerFindsImportsAndQualifiedNamesButNotProse() {
    assertEquals(List.of("org.apache.spark.s"),
        forbiddenReferences("import org.apache.spark.sql.Dataset;\nclass A {}"));
    assertEquals(List.of("scala.c"), forbiddenReferences("import scala.collection.Seq;"));
    assertEquals(List.of("org.apache.spark.a"),
        forbiddenReferences("class A { void f() { org.apache.spark.api.java.JavaRDD r = null; } }"));
    assertEquals(List.of("org.apache.spark.S", "scala.T"),
        forbiddenReferences("import static org . apache . spark.SparkContext.x;\n"
            + "Object t = scala.Tuple2.apply(1, 2);"));
    assertEquals(List.of("scala.M"), forbiddenReferences("class A { scala.Math m; }"));
    // Prose, literals and look-alike names are fine.
    assertEquals(List.of(), forbiddenReferences(
        "/** Unlike org.apache.spark.ml.ann, no Scala. */\n"
            + "// see scala.collection\n"
            + "class A { String s = \"org.apache.spark.sql\"; char c = '\"';"
            + " int notscala = 1; Object o = my.scala.Thing.X; String t = \"\"\"\nscala.x\n\"\"\"; }"));
  }

  @Test
  void everyPackageHasAPackageInfo() throws IOException {
    List<Path> packages;
    try (Stream<Path> dirs = Files.walk(MAIN)) {
      packages = dirs.filter(Files::isDirectory).filter(dir -> {
        try (Stream<Path> entries = Files.list(dir)) {
          return entries.anyMatch(p -> p.toString().endsWith(".java"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sorted().collect(Collectors.toList());
    }
    assertTrue(packages.contains(MAIN.resolve("nn")), "no packages found under " + MAIN);
    List<String> missing = packages.stream()
        .filter(dir -> !Files.isRegularFile(dir.resolve("package-info.java")))
        .map(dir -> MAIN.relativize(dir).toString())
        .collect(Collectors.toList());
    assertEquals(List.of(), missing, "packages without package-info.java");
    for (Path dir : packages) {
      String info = Files.readString(dir.resolve("package-info.java"), StandardCharsets.UTF_8);
      String expected = "package io.sparkbackprop."
          + MAIN.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), ".") + ";";
      assertTrue(info.contains(expected), dir + "/package-info.java should declare " + expected);
      assertFalse(info.strip().startsWith("package"), dir + "/package-info.java has no documentation");
    }
  }

  /**
   * What each engine package may use from the rest of the engine: the floors build upwards, so a
   * kernel never depends on a layer and a layer never on the training loop.
   */
  private static final Map<String, Set<String>> ENGINE_DEPENDENCIES = Map.of(
      "nn.linalg", Set.of(),
      "nn.data", Set.of("nn.linalg"),
      "nn.layer", Set.of("nn.linalg", "nn.data"),
      "nn.loss", Set.of("nn.linalg", "nn.data"),
      "nn", Set.of("nn.linalg", "nn.data", "nn.layer", "nn.loss"),
      "nn.optim", Set.of("nn", "nn.linalg", "nn.data", "nn.optim.schedule"),
      "nn.optim.schedule", Set.of(),
      "nn.explain", Set.of("nn", "nn.linalg", "nn.data", "nn.layer", "nn.loss"),
      "nn.training", Set.of("nn", "nn.linalg", "nn.data", "nn.layer", "nn.loss", "nn.optim",
          "nn.optim.schedule"));

  private static final Pattern ENGINE_REFERENCE =
      Pattern.compile("io\\.sparkbackprop\\.(nn(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void engineFloorsOnlyUseTheFloorsBelowThem() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles(MAIN.resolve("nn"))) {
      String pkg = MAIN.getParent().getParent().relativize(file.getParent()).toString()
          .replace(file.getFileSystem().getSeparator(), ".").replaceFirst("^io\\.sparkbackprop\\.", "");
      Set<String> allowed = ENGINE_DEPENDENCIES.get(pkg);
      if (allowed == null) {
        violations.add(pkg + ": an engine package without declared dependencies (add it above)");
        continue;
      }
      Matcher m = ENGINE_REFERENCE.matcher(codeOnly(Files.readString(file, StandardCharsets.UTF_8)));
      while (m.find()) {
        String used = m.group(1);
        if (!used.equals(pkg) && !allowed.contains(used)) {
          violations.add(MAIN.relativize(file) + " uses " + used);
        }
      }
    }
    assertEquals(List.of(), violations, "engine packages must only use the floors below them");
  }

  @Test
  void onlyTheDistributedTrainerTouchesRdds() throws IOException {
    Pattern rdd = Pattern.compile("org\\.apache\\.spark\\.(rdd\\.|api\\.java\\.JavaRDD|api\\.java\\.JavaPairRDD)");
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles(MAIN)) {
      if (file.startsWith(MAIN.resolve("distributed"))) {
        continue;
      }
      if (rdd.matcher(codeOnly(Files.readString(file, StandardCharsets.UTF_8))).find()) {
        violations.add(MAIN.relativize(file).toString());
      }
    }
    assertEquals(List.of(), violations, "RDDs belong to io.sparkbackprop.distributed");
  }
}
