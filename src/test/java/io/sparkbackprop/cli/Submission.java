package io.sparkbackprop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@code spark-submit} of the application jar ({@code Main}) through the Spark home's
 * {@code bin/spark-submit}, as a child process whose stdout is read line by line (so a test can act
 * in the middle of training) and whose stderr goes to a file. The process and its children are
 * destroyed when the run ends, however it ends.
 */
final class Submission {
  static final long TIMEOUT_MINUTES = 25;

  /** How a submission ended. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr (last 4000 chars)\n"
          + err.substring(Math.max(0, err.length() - 4000));
    }
  }

  private Submission() {}

  static Path appJar() {
    return Paths.get(System.getProperty("sparkbackprop.appJar",
        "target/spark-backprop_2.13-0.1.0-SNAPSHOT-app.jar")).toAbsolutePath();
  }

  static Result run(String master, Path workDir, List<String> mainArgs) throws Exception {
    return run(master, workDir, mainArgs, line -> { });
  }

  /**
   * Submits {@code Main mainArgs} to {@code master} in client mode.
   *
   * @param onLine called with every stdout line as it arrives (on a reader thread)
   */
  static Result run(String master, Path workDir, List<String> mainArgs, Consumer<String> onLine)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        StandaloneCluster.sparkHome().resolve("bin/spark-submit").toString(),
        "--master", master, "--deploy-mode", "client",
        "--class", "io.sparkbackprop.cli.Main",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executorEnv.OPENBLAS_NUM_THREADS=1",
        appJar().toString()));
    command.addAll(mainArgs);
    Files.createDirectories(workDir);
    Path err = Files.createTempFile(workDir, "spark-submit", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(Paths.get("").toAbsolutePath()
        .toFile()).redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    // If the test JVM is stopped first, the driver (and anything it started) must not outlive it.
    Thread hook = new Thread(() -> {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    StringBuffer out = new StringBuffer();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          out.append(line).append('\n');
          onLine.accept(line);
        }
      } catch (IOException e) {
        out.append("(stdout read failed: ").append(e).append(")\n");
      }
    });
    reader.start();
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        throw new IllegalStateException("spark-submit " + mainArgs + " still running after "
            + TIMEOUT_MINUTES + " minutes\n" + out + Files.readString(err));
      }
      reader.join(10_000);
      return new Result(process.exitValue(), out.toString(), Files.readString(err));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running already.
      }
    }
  }
}
