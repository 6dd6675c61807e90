package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java example of the README, taken from README.md itself, compiles as written and runs as a
 * program (its unchanged {@code main}, in a new JVM started from a folder that holds the
 * repository's {@code sample-data}, as the README says to run them from the repository root), so
 * the documentation cannot drift from the API. Nothing is added around the examples: no
 * {@code throws} clause, no variables. The examples run one after the other in one JVM ({@link
 * Runner}), which saves a JVM start and a cold JIT per example.
 */
class ReadmeExamplesTest {
  private static final Path README = Paths.get(System.getProperty("basedir", "."), "README.md");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");
  /** An example that does not finish in this time is reported as hung. */
  private static final long TIMEOUT_SECONDS = 900;

  @TempDir
  static Path work;

  private static Path classes;
  /** What each example printed, by class name. */
  private static final java.util.Map<String, String> OUTPUTS = new java.util.HashMap<>();

  /** The Java examples of the README, in order. */
  static List<String> examples() throws IOException {
    Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  static List<String> exampleClasses() throws IOException {
    return examples().stream().map(ReadmeExamplesTest::className).collect(Collectors.toList());
  }

  private static String className(String example) {
    Matcher m = CLASS_NAME.matcher(example);
    if (!m.find()) {
      fail("A README example is not a complete program (no public class):\n" + example);
    }
    return m.group(1);
  }

  /** The test JVM's class path (surefire keeps the real one in surefire.test.class.path). */
  private static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  @BeforeAll
  static void compileAndRunTheExamples() throws IOException, InterruptedException {
    List<String> examples = examples();
    assertTrue(examples.size() >= 2, "expected the quick start and the pipeline examples");
    Path sources = Files.createDirectories(work.resolve("src"));
    classes = Files.createDirectories(work.resolve("classes"));
    List<String> files = new ArrayList<>();
    for (String example : examples) {
      Path file = sources.resolve(className(example) + ".java");
      Files.writeString(file, example);
      files.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> arguments = new ArrayList<>(List.of("-classpath", classPath(), "-d",
        classes.toString(), "-proc:none"));
    arguments.addAll(files);
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int status = javac.run(null, errors, errors, arguments.toArray(new String[0]));
    assertEquals(0, status, "the README examples do not compile as written:\n"
        + errors.toString(StandardCharsets.UTF_8));
    runAll(exampleClasses());
  }

  /**
   * Runs each example's {@code main} in turn, in this JVM, printing a marker line before and after
   * each; exits with status 1 at the first that throws.
   */
  public static final class Runner {
    private Runner() {}

    public static void main(String[] classNames) throws Exception {
      for (String name : classNames) {
        System.out.println(START + name);
        try {
          Class.forName(name).getMethod("main", String[].class)
              .invoke(null, (Object) new String[0]);
        } catch (java.lang.reflect.InvocationTargetException e) {
          System.out.println(FAILED + name);
          e.getCause().printStackTrace(System.out);
          System.exit(1);
        }
        System.out.println(END + name);
      }
      System.exit(0);
    }
  }

  private static final String START = "=== README example starts: ";
  private static final String END = "=== README example ended: ";
  private static final String FAILED = "=== README example failed: ";

  @ParameterizedTest
  @MethodSource("exampleClasses")
  void runsAsShown(String mainClass) throws Exception {
    String output = OUTPUTS.get(mainClass);
    assertTrue(output != null, mainClass + " did not run");
    switch (mainClass) {
      case "QuickStart": {
        Matcher m = Pattern.compile("accuracy (\\S+) after (\\d+) iterations").matcher(output);
        assertTrue(m.find(), output);
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
        assertEquals("100", m.group(2));
        break;
      }
      case "PipelineExample": {
        Matcher m = Pattern.compile("held-out RMSE (\\S+), after reloading (\\S+)").matcher(output);
        assertTrue(m.find(), output);
        double rmse = Double.parseDouble(m.group(1));
        // The label's spread is about 77; a useful model is well below it.
        assertTrue(rmse < 65, "held-out RMSE " + rmse);
        assertEquals(rmse, Double.parseDouble(m.group(2)), 1e-9);
        break;
      }
      case "SunspotForecast": {
        Matcher m = Pattern.compile("test RMSE (\\S+), repeating last month's value (\\S+)")
            .matcher(output);
        assertTrue(m.find(), output);
        double model = Double.parseDouble(m.group(1));
        double naive = Double.parseDouble(m.group(2));
        assertTrue(model < naive, "forecast RMSE " + model + " not below the naive " + naive);
        break;
      }
      default:
        fail("README example " + mainClass + " has no check of its output");
        break;
    }
  }

  /**
   * Runs the examples in a new JVM with this JVM's class path and module options, from a folder
   * where {@code sample-data} is the repository's, and keeps each one's output. Fails if one exits
   * with an error or they do not finish.
   */
  private static void runAll(List<String> mainClasses) throws IOException, InterruptedException {
    Path cwd = Files.createDirectories(work.resolve("run"));
    Path sampleData = cwd.resolve("sample-data");
    if (!Files.exists(sampleData)) {
      Files.createSymbolicLink(sampleData,
          Paths.get(System.getProperty("basedir", ".")).resolve("sample-data").toAbsolutePath());
    }
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      String lower = option.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("-xmx") && !lower.startsWith("-javaagent")
          && !lower.startsWith("-agentlib") && !lower.startsWith("-xrunjdwp")) {
        command.add(option);
      }
    }
    command.addAll(List.of("-Xmx2g", "-cp", classes + File.pathSeparator + classPath(),
        Runner.class.getName()));
    command.addAll(mainClasses);
    Path log = work.resolve("examples.out");
    Process process = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the README examples did not finish in " + TIMEOUT_SECONDS + " s:\n"
          + Files.readString(log));
    }
    String output = Files.readString(log);
    assertEquals(0, process.exitValue(), "a README example failed:\n" + output);
    for (String name : mainClasses) {
      int start = output.indexOf(START + name);
      int end = output.indexOf(END + name);
      assertTrue(start >= 0 && end > start, name + " did not run to its end:\n" + output);
      OUTPUTS.put(name, output.substring(start, end));
    }
  }

  /** The README's log configuration is the one the main job runs with (so it is known to work). */
  @Test
  void theLoggingExampleIsTheMainJobsConfiguration() throws IOException {
    Matcher m = Pattern.compile("```properties\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(README));
    assertTrue(m.find(), "no properties example in the README");
    java.util.Properties shown = new java.util.Properties();
    shown.load(new java.io.StringReader(m.group(1)));
    java.util.Properties job = new java.util.Properties();
    try (java.io.Reader in = Files.newBufferedReader(Paths.get(System.getProperty("basedir", "."),
        "src/main/resources/io/sparkbackprop/cli/log4j2-job.properties"))) {
      job.load(in);
    }
    assertEquals(job, shown);
  }

  @Test
  void everyExampleIsACompleteProgram() throws IOException {
    for (String example : examples()) {
      assertTrue(example.contains("public static void main(String[] args)"),
          "no main method in:\n" + example);
      assertTrue(example.contains("SparkSession.builder()"),
          "the example should start its own SparkSession:\n" + example);
    }
  }
}
