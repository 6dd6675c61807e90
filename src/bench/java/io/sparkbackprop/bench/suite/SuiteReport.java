package io.sparkbackprop.bench.suite;

import io.sparkbackprop.bench.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of a suite run: the targets per model, then mean test accuracy / R² and mean fit
 * seconds per set and model with the ratios to the baselines, then per-split details.
 */
final class SuiteReport {
  /** "Within half a point" of the baseline. */
  static final double SLACK = 0.005;
  static final String MLPC = "MLPC";
  static final String LINEAR = "LinearRegression";
  static final String GBT = "GBTRegressor";
  static final String SKLEARN = "scikit-learn (issue 12)";

  private final Results results;
  private final List<String> ours;
  private final List<String> header;

  SuiteReport(Results results, List<String> ours, List<String> header) {
    this.results = results;
    this.ours = ours;
    this.header = header;
  }

  String markdown() {
    StringBuilder out = new StringBuilder("## Suite: spark-backprop against Spark's baselines\n\n");
    header.forEach(h -> out.append("- ").append(h).append('\n'));
    for (Section s : sections()) {
      out.append("\n### ").append(s.title).append("\n\n");
      if (!s.note.isEmpty()) {
        out.append(s.note).append("\n\n");
      }
      out.append(s.table.toMarkdown());
    }
    return out.toString();
  }

  String text() {
    StringBuilder out = new StringBuilder("\nSuite: spark-backprop against Spark's baselines\n");
    header.forEach(h -> out.append(h).append('\n'));
    for (Section s : sections()) {
      out.append('\n').append(s.title).append('\n').append(s.table.toText());
    }
    return out.toString();
  }

  private record Section(String title, String note, Table table) {}

  private List<Section> sections() {
    List<Section> sections = new ArrayList<>();
    sections.add(targets());
    if (has(true)) {
      sections.add(classificationQuality());
      sections.add(classificationTime());
    }
    if (has(false)) {
      sections.add(regressionQuality());
      sections.add(regressionTime());
    }
    sections.add(details());
    return sections;
  }

  private boolean has(boolean classification) {
    return results.sets().stream().anyMatch(s -> s.set().isClassification() == classification);
  }

  private List<Results.SetInfo> sets(boolean classification) {
    return results.sets().stream().filter(s -> s.set().isClassification() == classification)
        .toList();
  }

  private Section targets() {
    Table t = new Table("model", "class sets >= MLPC - 0.5 pt",
        "mean acc, tuning sets" + reference(true), "mean acc, all class sets",
        "reg sets >= LinearRegression - 0.5 pt",
        "mean R², tuning sets" + reference(false), "mean R², all reg sets",
        "class fits slower than MLPC", "MNIST acc, time vs MLPC", "digits acc",
        "total fit s").numbersRightAligned();
    List<String> models = new ArrayList<>(List.of(MLPC, LINEAR, GBT));
    models.addAll(ours);
    for (String m : models) {
      if (!ranAnywhere(m)) {
        continue;
      }
      boolean isOurs = ours.contains(m);
      t.add(m, isOurs ? within(m, true) : "", meanOver(m, true, true), meanOver(m, true, false),
          isOurs ? within(m, false) : "", meanOver(m, false, true), meanOver(m, false, false),
          isOurs ? slower(m) : "", isOurs ? mnist(m) : "", metric("digits", m),
          String.format(Locale.ROOT, "%.1f", totalSeconds(m)));
    }
    return new Section("Targets (issue 12)", "Per set: mean over the splits. 'tuning sets' are the "
        + "issue's public sets that have a scikit-learn reference (a mean over fewer sets when some "
        + "were not run). Fit times are wall-clock seconds on a shared machine: indicative only.", t);
  }

  private String reference(boolean classification) {
    double mean = referenceMean(classification);
    return Double.isNaN(mean) ? "" : " (sklearn " + f3(mean) + ")";
  }

  private boolean ranAnywhere(String model) {
    return results.sets().stream().anyMatch(s -> results.mean(s.set().name(), model) != null);
  }

  private double referenceMean(boolean classification) {
    double sum = 0;
    int n = 0;
    for (Results.SetInfo s : sets(classification)) {
      if (s.set().hasReference()) {
        sum += s.set().sklearnReference();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private String meanOver(String model, boolean classification, boolean tuningOnly) {
    double sum = 0;
    int n = 0;
    for (Results.SetInfo s : sets(classification)) {
      if (tuningOnly && !s.set().hasReference()) {
        continue;
      }
      Results.Mean m = results.mean(s.set().name(), model);
      if (m == null) {
        return "";
      }
      sum += m.metric();
      n++;
    }
    if (n == 0) {
      return "";
    }
    double mean = sum / n;
    if (Double.isNaN(mean)) {
      return "failed on a split";
    }
    if (tuningOnly && ours.contains(model)) {
      double ref = referenceMean(classification);
      return String.format(Locale.ROOT, "%.3f (%s)", mean, points(mean - ref));
    }
    return f3(mean);
  }

  /** How many sets meet the baseline within half a point, and the misses. */
  private String within(String model, boolean classification) {
    String baseline = classification ? MLPC : LINEAR;
    int ok = 0;
    int n = 0;
    List<String> misses = new ArrayList<>();
    for (Results.SetInfo s : sets(classification)) {
      Results.Mean ours = results.mean(s.set().name(), model);
      Results.Mean base = results.mean(s.set().name(), baseline);
      if (ours == null || base == null) {
        continue;
      }
      n++;
      if (ours.metric() >= base.metric() - SLACK) {
        ok++;
      } else if (ours.failed() > 0) {
        misses.add(s.set().name() + " failed on " + ours.failed() + " split(s)");
      } else {
        misses.add(s.set().name() + " " + points(ours.metric() - base.metric()));
      }
    }
    if (n == 0) {
      return "";
    }
    return ok + "/" + n + (misses.isEmpty() ? "" : "; misses: " + String.join(", ", misses));
  }

  private String slower(String model) {
    int slower = 0;
    int n = 0;
    double worst = 0;
    String worstSet = "";
    for (Results.SetInfo s : sets(true)) {
      Results.Mean ours = results.mean(s.set().name(), model);
      Results.Mean base = results.mean(s.set().name(), MLPC);
      if (ours == null || base == null) {
        continue;
      }
      n++;
      double ratio = ours.seconds() / base.seconds();
      if (ratio > 1) {
        slower++;
      }
      if (ratio > worst) {
        worst = ratio;
        worstSet = s.set().name();
      }
    }
    return n == 0 ? "" : String.format(Locale.ROOT, "%d/%d; slowest %.2fx (%s)", slower, n, worst,
        worstSet);
  }

  private String mnist(String model) {
    Results.Mean ours = results.mean("mnist", model);
    Results.Mean base = results.mean("mnist", MLPC);
    if (ours == null || base == null) {
      return "";
    }
    return String.format(Locale.ROOT, "%.3f vs %.3f, %.2fx", ours.metric(), base.metric(),
        ours.seconds() / base.seconds());
  }

  private String metric(String set, String model) {
    Results.Mean m = results.mean(set, model);
    return m == null ? "" : f3(m.metric());
  }

  private double totalSeconds(String model) {
    double sum = 0;
    for (Results.SetInfo s : results.sets()) {
      Results.Mean m = results.mean(s.set().name(), model);
      if (m != null) {
        sum += m.seconds();
      }
    }
    return sum;
  }

  private Section classificationQuality() {
    List<String> cols = new ArrayList<>(List.of("set", "rows", "classes", MLPC, "sklearn"));
    cols.addAll(ours);
    Table t = new Table(cols).numbersRightAligned();
    for (Results.SetInfo s : sets(true)) {
      Results.Mean base = results.mean(s.set().name(), MLPC);
      List<String> row = new ArrayList<>(List.of(s.set().name(), Long.toString(s.rows()),
          Integer.toString(s.classes()), base == null ? "" : f3(base.metric()),
          s.set().hasReference() ? f3(s.set().sklearnReference()) : ""));
      for (String m : ours) {
        row.add(versus(results.mean(s.set().name(), m), base));
      }
      t.add(row);
    }
    return new Section("Classification: mean test accuracy", "Ours: accuracy (difference to MLPC "
        + "in points); `*` marks more than half a point below MLPC. sklearn: the issue's reference "
        + "(scikit-learn MLPClassifier defaults, same protocol).", t);
  }

  private Section regressionQuality() {
    List<String> cols = new ArrayList<>(List.of("set", "rows", LINEAR, GBT, "sklearn"));
    cols.addAll(ours);
    Table t = new Table(cols).numbersRightAligned();
    for (Results.SetInfo s : sets(false)) {
      Results.Mean base = results.mean(s.set().name(), LINEAR);
      Results.Mean gbt = results.mean(s.set().name(), GBT);
      List<String> row = new ArrayList<>(List.of(s.set().name(), Long.toString(s.rows()),
          base == null ? "" : f3(base.metric()), gbt == null ? "" : f3(gbt.metric()),
          s.set().hasReference() ? f3(s.set().sklearnReference()) : ""));
      for (String m : ours) {
        row.add(versus(results.mean(s.set().name(), m), base));
      }
      t.add(row);
    }
    return new Section("Regression: mean test R²", "Ours: R² (difference to LinearRegression in "
        + "points); `*` marks more than half a point below it. sklearn: the issue's reference "
        + "(scikit-learn MLPRegressor defaults, X and y standardised, same protocol).", t);
  }

  private static String versus(Results.Mean ours, Results.Mean base) {
    if (ours == null) {
      return "";
    }
    if (ours.failed() > 0) {
      return "failed on " + ours.failed() + " split(s) *";
    }
    if (base == null) {
      return f3(ours.metric());
    }
    double d = ours.metric() - base.metric();
    return String.format(Locale.ROOT, "%.3f (%s)%s", ours.metric(), points(d),
        d < -SLACK ? " *" : "");
  }

  private Section classificationTime() {
    List<String> cols = new ArrayList<>(List.of("set", MLPC + " s", MLPC + " iterations"));
    cols.addAll(ours);
    Table t = new Table(cols).numbersRightAligned();
    for (Results.SetInfo s : sets(true)) {
      Results.Mean base = results.mean(s.set().name(), MLPC);
      List<String> row = new ArrayList<>(List.of(s.set().name(),
          base == null ? "" : f2(base.seconds()), base == null ? "" : f0(base.iterations())));
      for (String m : ours) {
        row.add(timeVersus(results.mean(s.set().name(), m), base));
      }
      t.add(row);
    }
    return new Section("Classification: mean fit seconds (indicative)", "Ours: seconds (ratio to "
        + "MLPC's time) [mean iterations]. Wall clock of `fit` on the cached, standardised training "
        + "split.", t);
  }

  private Section regressionTime() {
    List<String> cols = new ArrayList<>(List.of("set", LINEAR + " s", GBT + " s"));
    cols.addAll(ours);
    Table t = new Table(cols).numbersRightAligned();
    for (Results.SetInfo s : sets(false)) {
      Results.Mean lin = results.mean(s.set().name(), LINEAR);
      Results.Mean gbt = results.mean(s.set().name(), GBT);
      List<String> row = new ArrayList<>(List.of(s.set().name(),
          lin == null ? "" : f2(lin.seconds()), gbt == null ? "" : f2(gbt.seconds())));
      for (String m : ours) {
        row.add(timeVersus(results.mean(s.set().name(), m), gbt));
      }
      t.add(row);
    }
    return new Section("Regression: mean fit seconds (indicative)", "Ours: seconds (ratio to "
        + "GBTRegressor's time) [mean iterations].", t);
  }

  private static String timeVersus(Results.Mean ours, Results.Mean base) {
    if (ours == null) {
      return "";
    }
    String ratio = base == null ? "" : String.format(Locale.ROOT, " (%.2fx)",
        ours.seconds() / base.seconds());
    return String.format(Locale.ROOT, "%s%s [%s]", f2(ours.seconds()), ratio, f0(ours.iterations()));
  }

  private Section details() {
    Table t = new Table("set", "model", "per split", "mean", "seconds per split",
        "iterations", "stop", "derived settings").numbersRightAligned();
    List<String> models = new ArrayList<>(List.of(MLPC, LINEAR, GBT));
    models.addAll(ours);
    for (Results.SetInfo s : results.sets()) {
      for (String m : models) {
        Results.Mean mean = results.mean(s.set().name(), m);
        if (mean == null) {
          continue;
        }
        t.add(s.set().name(), m, join(mean.perSplit(), 3), f3(mean.metric()),
            join(mean.secondsPerSplit(), 2), mean.iterations() < 0 ? "" : f0(mean.iterations()),
            mean.stopReasons(), results.derived(m, s.set().name()));
      }
    }
    return new Section("Details per set and model", "Derived settings are those of the last split "
        + "(emulated settings turned into params for that split's size).", t);
  }

  private static String join(List<Double> values, int digits) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.format(Locale.ROOT, "%." + digits + "f", v)));
    return String.join(" / ", parts);
  }

  static String points(double difference) {
    return String.format(Locale.ROOT, "%+.1f", 100 * difference);
  }

  static String f3(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String f0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
