package io.sparkbackprop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The standalone cluster of {@code scripts/standalone-cluster.sh} (a Master and two Workers, separate
 * JVMs on 127.0.0.1) on free ports, for one test class. {@link #close} stops it; a shutdown hook
 * stops it too if the test JVM ends first.
 */
final class StandaloneCluster implements AutoCloseable {
  static final Path SCRIPT = Paths.get("scripts/standalone-cluster.sh").toAbsolutePath();

  private final Path dir;
  private final Map<String, String> env;
  private final String masterUrl;
  private final Thread hook;
  private boolean stopped;

  private StandaloneCluster(Path dir, Map<String, String> env, String masterUrl) {
    this.dir = dir;
    this.env = env;
    this.masterUrl = masterUrl;
    this.hook = new Thread(this::stopQuietly);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static StandaloneCluster start(Path dir) throws IOException, InterruptedException {
    int[] ports = freePorts(4);
    Map<String, String> env = Map.of(
        "MASTER_PORT", String.valueOf(ports[0]),
        "MASTER_WEBUI_PORT", String.valueOf(ports[1]),
        // Worker i's web UI gets WORKER_WEBUI_PORT + i - 1; two free ports in a row are not
        // guaranteed, so the workers may move up (Spark retries the next port).
        "WORKER_WEBUI_PORT", String.valueOf(ports[2]),
        "CLUSTER_DIR", dir.toString(),
        "SPARK_HOME_DIR", sparkHome().toString(),
        "WORKERS", "2", "WORKER_CORES", "1", "WORKER_MEMORY", "1g");
    Files.createDirectories(dir);
    String out = script(env, dir, "start", 240);
    String url = "spark://127.0.0.1:" + ports[0];
    StandaloneCluster cluster = new StandaloneCluster(dir, env, url);
    if (!out.contains(url)) {
      cluster.close();
      throw new IllegalStateException("cluster did not start:\n" + out + logs(dir));
    }
    return cluster;
  }

  String masterUrl() {
    return masterUrl;
  }

  /** The executor JVMs the workers run now (children of the worker processes). */
  List<ProcessHandle> executors() throws IOException {
    List<ProcessHandle> executors = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path pidFile : files.filter(p -> p.getFileName().toString().matches("worker-\\d+\\.pid"))
          .toList()) {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(worker -> worker.children()
            .filter(child -> child.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
            .forEach(executors::add));
      }
    }
    return executors;
  }

  /** The script's status output. */
  String status() throws IOException, InterruptedException {
    return script(env, dir, "status", 30);
  }

  @Override
  public synchronized void close() {
    if (!stopped) {
      stopQuietly();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run.
      }
    }
  }

  private synchronized void stopQuietly() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      script(env, dir, "stop", 60);
    } catch (IOException | InterruptedException e) {
      System.err.println("stopping the test cluster failed: " + e);
    }
  }

  /** The Spark home that `mvn verify` assembled (pre-integration-test) for the script. */
  static Path sparkHome() {
    return Paths.get(System.getProperty("sparkbackprop.sparkHome", "target/spark-home"))
        .toAbsolutePath();
  }

  static String logs(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        all.append("\n--- ").append(log.getFileName()).append(" (last lines)\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      }
    }
    return all.toString();
  }

  private static String script(Map<String, String> env, Path dir, String command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile(dir, "script-" + command, ".out");
    ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command)
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("standalone-cluster.sh " + command + " timed out");
      }
      return Files.readString(output);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static int[] freePorts(int n) {
    int[] ports = new int[n];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a probe socket.
        }
      }
    }
    return ports;
  }
}
