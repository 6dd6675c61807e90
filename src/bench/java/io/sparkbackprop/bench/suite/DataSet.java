package io.sparkbackprop.bench.suite;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One dataset of the suite: a libsvm file under the data directory, its width and task, and the
 * scikit-learn reference from issue 12 where there is one (scikit-learn 1.9.1 {@code MLPClassifier} /
 * {@code MLPRegressor} defaults, hidden (64,), {@code StandardScaler}, the same three seeded 80/20
 * splits; NaN where the issue gives none).
 */
record DataSet(String name, String file, int numFeatures, Task task, String group,
    double sklearnReference) {

  enum Task {
    CLASSIFICATION, REGRESSION
  }

  /** The tuning suite and the sample-data sets, small to large within each task. */
  static final List<DataSet> ALL = List.of(
      classification("iris", "iris.libsvm", 4, "sample", Double.NaN),
      classification("wine", "wine.libsvm", 13, "sample", Double.NaN),
      classification("glass", "tuning/glass.libsvm", 9, "tuning", 0.681),
      classification("musk", "tuning/musk.libsvm", 166, "tuning", 0.948),
      classification("vowel", "tuning/vowel.libsvm", 10, "tuning", 0.846),
      classification("digits", "digits.libsvm", 64, "sample", Double.NaN),
      classification("dna", "tuning/dna.libsvm", 180, "tuning", 0.955),
      classification("spam", "tuning/spam.libsvm", 57, "tuning", 0.946),
      classification("mnist", "mnist10k.libsvm.gz", 784, "sample", Double.NaN),
      classification("shuttle", "tuning/shuttle.libsvm.gz", 9, "tuning", 0.999),
      regression("servo", "tuning/reg_servo.libsvm", 4, "tuning", 0.758),
      regression("mpg", "tuning/reg_mpg.libsvm", 7, "tuning", 0.868),
      regression("caschools", "tuning/reg_caschools.libsvm", 8, "tuning", 0.778),
      regression("diabetes", "diabetes_regression.libsvm", 10, "sample", Double.NaN),
      regression("cps1985", "tuning/reg_cps1985.libsvm", 10, "tuning", 0.278),
      regression("houseprices", "tuning/reg_houseprices.libsvm", 11, "tuning", 0.651));

  boolean isClassification() {
    return task == Task.CLASSIFICATION;
  }

  boolean hasReference() {
    return !Double.isNaN(sklearnReference);
  }

  /**
   * The sets a {@code --sets} value names: comma-separated set names or the groups {@code all},
   * {@code classification}, {@code regression}, {@code tuning} (the eleven public sets) and
   * {@code sample} (sample-data); a leading {@code -} removes a set or group.
   */
  static List<DataSet> select(String spec) {
    Set<DataSet> chosen = new LinkedHashSet<>();
    for (String token : spec.split(",")) {
      String t = token.trim().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      boolean remove = t.startsWith("-");
      List<DataSet> named = named(remove ? t.substring(1) : t);
      if (remove) {
        named.forEach(chosen::remove);
      } else {
        chosen.addAll(named);
      }
    }
    List<DataSet> ordered = new ArrayList<>();
    for (DataSet d : ALL) {
      if (chosen.contains(d)) {
        ordered.add(d);
      }
    }
    return ordered;
  }

  private static List<DataSet> named(String name) {
    List<DataSet> out = new ArrayList<>();
    for (DataSet d : ALL) {
      boolean match = switch (name) {
        case "all" -> true;
        case "classification" -> d.isClassification();
        case "regression" -> !d.isClassification();
        case "tuning", "sample" -> d.group.equals(name);
        default -> d.name.equals(name);
      };
      if (match) {
        out.add(d);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("Unknown set '" + name + "'; sets: " + names()
          + "; groups: all, classification, regression, tuning, sample");
    }
    return out;
  }

  static String names() {
    List<String> names = new ArrayList<>();
    ALL.forEach(d -> names.add(d.name));
    return String.join(", ", names);
  }

  private static DataSet classification(String name, String file, int features, String group,
      double reference) {
    return new DataSet(name, file, features, Task.CLASSIFICATION, group, reference);
  }

  private static DataSet regression(String name, String file, int features, String group,
      double reference) {
    return new DataSet(name, file, features, Task.REGRESSION, group, reference);
  }
}
