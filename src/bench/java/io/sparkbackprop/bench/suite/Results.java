package io.sparkbackprop.bench.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every fit of a suite run, by set and model, and their means over the splits. */
final class Results {
  /** Means over a set's splits for one model. */
  record Mean(double metric, double seconds, double iterations, List<Double> perSplit,
      List<Double> secondsPerSplit, String stopReasons, int failed) {}

  /** What the report needs to know about a set besides its name. */
  record SetInfo(DataSet set, long rows, int classes) {}

  private final Map<String, SetInfo> sets = new LinkedHashMap<>();
  private final Map<String, Map<String, List<Contender.Fit>>> fits = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> derived = new LinkedHashMap<>();

  void addSet(DataSet set, long rows, int classes) {
    sets.put(set.name(), new SetInfo(set, rows, classes));
  }

  void add(DataSet set, String model, Contender.Fit fit) {
    fits.computeIfAbsent(set.name(), s -> new LinkedHashMap<>())
        .computeIfAbsent(model, m -> new ArrayList<>()).add(fit);
  }

  void derived(String model, Map<String, String> perSet) {
    derived.put(model, perSet);
  }

  String derived(String model, String set) {
    return derived.getOrDefault(model, Map.of()).getOrDefault(set, "");
  }

  List<SetInfo> sets() {
    return new ArrayList<>(sets.values());
  }

  /** The mean over the splits, or null when the model did not run on the set. */
  Mean mean(String set, String model) {
    List<Contender.Fit> list = fits.getOrDefault(set, Map.of()).get(model);
    if (list == null || list.isEmpty()) {
      return null;
    }
    double metric = 0;
    double seconds = 0;
    double iterations = 0;
    List<Double> perSplit = new ArrayList<>();
    List<Double> secondsPerSplit = new ArrayList<>();
    Set<String> reasons = new LinkedHashSet<>();
    int failed = 0;
    for (Contender.Fit f : list) {
      if (Double.isNaN(f.metric())) {
        failed++;
      }
      metric += f.metric();
      seconds += f.seconds();
      iterations += f.iterations();
      perSplit.add(f.metric());
      secondsPerSplit.add(f.seconds());
      if (!f.stopReason().isEmpty() && !f.stopReason().equals("-")) {
        reasons.add(f.stopReason());
      }
    }
    int n = list.size();
    return new Mean(metric / n, seconds / n, iterations / n, perSplit, secondsPerSplit,
        String.join("/", reasons), failed);
  }
}
