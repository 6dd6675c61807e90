package io.sparkbackprop.bench;

import io.sparkbackprop.nn.linalg.Blas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** What the numbers were measured on, for the header of every result table. */
final class Machine {
  private Machine() {}

  static String describe() {
    String threads = System.getenv("OPENBLAS_NUM_THREADS");
    return String.format(Locale.ROOT,
        "%s, %d cores available to the JVM, Java %s (%s), BLAS %s%s, max heap %d MiB",
        cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Blas.implementationName(),
        threads == null ? "" : " (OPENBLAS_NUM_THREADS=" + threads + ")",
        Runtime.getRuntime().maxMemory() >> 20);
  }

  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try (Stream<String> lines = Files.lines(cpuinfo)) {
        return lines.filter(l -> l.startsWith("model name")).findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
      } catch (IOException | RuntimeException e) {
        // fall through to the architecture
      }
    }
    return System.getProperty("os.arch");
  }
}
