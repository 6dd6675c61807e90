package io.sparkbackprop.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line settings of {@link SuiteBenchmark}; {@code --help} prints them. */
final class SuiteOptions {
  String master = "local[2]";
  String dataDir = "sample-data";
  String sets = "all";
  long[] seeds = {42, 43, 44};
  int partitions = 0;
  int hidden = 64;
  int mlpcMaxIter = 200;
  String baselines = "run";
  String baselineCache = "target/suite-baselines.tsv";
  String name;
  String out;
  String title = "";
  boolean scalerWithMean = true;
  boolean warmUp = true;
  boolean quiet = true;
  final List<Regime> regimes = new ArrayList<>();

  static final String USAGE = String.join("\n",
      "SuiteBenchmark: ours against Spark's MLPC / LinearRegression / GBTRegressor on the tuning suite.",
      "Protocol: three seeded 80/20 splits, StandardScaler (mean and std) fitted on the training split,",
      "hiddenLayers [64] for every network, mean test accuracy (classification) or R^2 (regression).",
      "",
      "  name=value ...          one regime of ours: overrides of our params (and emu.* settings)",
      "  --regime NAME:k=v,k=v   a named regime (repeatable); NAME alone = today's defaults",
      "  --regimes FILE          regimes, one per line 'NAME: k=v k=v' (# comments)",
      "                          (no regime given: today's defaults)",
      "  --sets LIST             sets or groups: all (default), classification, regression, tuning,",
      "                          sample, or names: " + DataSet.names() + "; -name drops one",
      "  --seeds a,b,c           split seeds (default 42,43,44)",
      "  --partitions N          repartition each training split to N (default 0: as read, one",
      "                          partition for these small files)",
      "  --baselines MODE        run (default), reuse (from --baseline-cache where present, run the",
      "                          rest), none",
      "  --baseline-cache FILE   baseline results kept between runs (default target/suite-baselines.tsv)",
      "  --mlpc-max-iter N       MLPC l-bfgs iterations (default 200)",
      "  --scaler MODE           mean-std (default: centre and scale) or std (Spark's default",
      "                          StandardScaler: scale only)",
      "  --hidden N              hidden layer width of every network (default 64)",
      "  --master M              Spark master (default local[2])",
      "  --data DIR              sample-data directory (default sample-data)",
      "  --name NAME             results go to src/bench/results/suite-NAME.md (default: date-time)",
      "  --out FILE              results file instead",
      "  --title TEXT            a line for the results file's header (use _ for spaces)",
      "  --no-warm-up            skip the warm-up fits",
      "  --verbose               keep our INFO progress lines",
      "",
      "emu.* settings (derived per split from the data; see Regime): emu.batchRows, emu.epochs,",
      "emu.localEpochs, emu.patienceEpochs, emu.stopTol, emu.stopPatience.");

  static SuiteOptions parse(String[] args) {
    SuiteOptions o = new SuiteOptions();
    List<String> bare = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        case "--regime" -> o.regimes.add(Regime.parse(args[++i]));
        case "--regimes" -> o.regimes.addAll(readRegimes(Path.of(args[++i])));
        case "--sets" -> o.sets = args[++i];
        case "--seeds" -> o.seeds = Arrays.stream(args[++i].split(",")).mapToLong(Long::parseLong)
            .toArray();
        case "--partitions" -> o.partitions = Integer.parseInt(args[++i]);
        case "--baselines" -> o.baselines = args[++i];
        case "--baseline-cache" -> o.baselineCache = args[++i];
        case "--mlpc-max-iter" -> o.mlpcMaxIter = Integer.parseInt(args[++i]);
        case "--hidden" -> o.hidden = Integer.parseInt(args[++i]);
        case "--master" -> o.master = args[++i];
        case "--data" -> o.dataDir = args[++i];
        case "--name" -> o.name = args[++i];
        case "--out" -> o.out = args[++i];
        case "--title" -> o.title = args[++i].replace('_', ' ');
        case "--no-warm-up" -> o.warmUp = false;
        case "--verbose" -> o.quiet = false;
        case "--scaler" -> {
          String mode = args[++i];
          if (!mode.equals("mean-std") && !mode.equals("std")) {
            throw new IllegalArgumentException("--scaler is mean-std or std, got " + mode);
          }
          o.scalerWithMean = mode.equals("mean-std");
        }
        default -> {
          if (a.startsWith("--") || !a.contains("=")) {
            throw new IllegalArgumentException("Unknown option " + a + "\n" + USAGE);
          }
          bare.add(a);
        }
      }
    }
    if (!bare.isEmpty()) {
      o.regimes.add(0, Regime.parse(String.join(",", bare)));
    }
    if (o.regimes.isEmpty()) {
      o.regimes.add(Regime.defaults());
    }
    if (!List.of("run", "reuse", "none").contains(o.baselines)) {
      throw new IllegalArgumentException("--baselines is run, reuse or none, got " + o.baselines);
    }
    List<String> names = new ArrayList<>();
    for (Regime r : o.regimes) {
      if (names.contains(r.name())) {
        throw new IllegalArgumentException("Two regimes are named " + r.name());
      }
      names.add(r.name());
    }
    if (o.out == null) {
      String stamp = o.name != null ? o.name
          : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      o.out = "src/bench/results/suite-" + stamp + ".md";
    }
    return o;
  }

  private static List<Regime> readRegimes(Path file) {
    try {
      List<Regime> regimes = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          regimes.add(Regime.parse(l));
        }
      }
      return regimes;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read regimes from " + file, e);
    }
  }

  String describe() {
    return String.format("master %s, split seeds %s, training partitions %s, StandardScaler %s, "
            + "hidden [%d], MLPC l-bfgs maxIter %d, baselines %s", master, Arrays.toString(seeds),
        partitions > 0 ? Integer.toString(partitions) : "as read",
        scalerWithMean ? "withMean and withStd" : "withStd only", hidden, mlpcMaxIter, baselines);
  }
}
