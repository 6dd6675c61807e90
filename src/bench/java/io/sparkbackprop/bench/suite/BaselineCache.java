package io.sparkbackprop.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Baseline fits kept between runs ({@code --baselines reuse}) so that comparing regimes of ours does
 * not refit MLPC each time: one tab-separated line per (set, seed, partitions, model). Accuracy is
 * deterministic; the reused timings come from the earlier run (the results header says so).
 */
final class BaselineCache {
  private final Path file;
  private final Map<String, Contender.Fit> fits = new LinkedHashMap<>();
  private final Map<String, String> when = new LinkedHashMap<>();

  BaselineCache(Path file) {
    this.file = file;
    if (Files.isReadable(file)) {
      try {
        for (String line : Files.readAllLines(file)) {
          String[] f = line.split("\t");
          if (f.length == 6) {
            fits.put(f[0], new Contender.Fit(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Integer.parseInt(f[3]), f[4]));
            when.put(f[0], f[5]);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
  }

  static String key(String set, long seed, int partitions, String master, String model,
      int mlpcMaxIter, int hidden) {
    return String.join("|", set, Long.toString(seed), Integer.toString(partitions), master, model,
        Integer.toString(mlpcMaxIter), Integer.toString(hidden));
  }

  Contender.Fit get(String key) {
    return fits.get(key);
  }

  String recordedAt(String key) {
    return when.get(key);
  }

  void put(String key, Contender.Fit fit) {
    fits.put(key, fit);
    when.put(key, java.time.LocalDateTime.now().withNano(0).toString());
    save();
  }

  private void save() {
    List<String> lines = new ArrayList<>();
    fits.forEach((k, f) -> lines.add(String.join("\t", k, Double.toString(f.metric()),
        Double.toString(f.seconds()), Integer.toString(f.iterations()), f.stopReason().isEmpty()
            ? "-" : f.stopReason(), when.get(k))));
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d cached baseline fits in %s", fits.size(), file);
  }
}
