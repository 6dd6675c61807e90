package io.sparkbackprop.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command-line settings of {@link EndToEndBenchmark}; {@code --help} prints them. {@code --tiny} first
 * switches every size to a few-seconds smoke run; options given after it still apply.
 */
final class BenchOptions {
  /** The sections a run without {@code --sections} runs. */
  static final List<String> DEFAULT_SECTIONS =
      List.of("peak", "pass", "floor", "memory", "inference", "tta");
  /** Also {@code scaling} and {@code pytorch}, which run only when named in {@code --sections}. */
  static final List<String> ALL_SECTIONS =
      List.of("peak", "pass", "floor", "memory", "inference", "tta", "scaling", "pytorch");

  String master = "local[2]";
  int partitions = 2;
  long rows = 200_000;
  int features = 100;
  int[] hidden = {128, 64};
  int classes = 10;
  int iterations = 10;
  int rounds = 2;
  int[] blockSizes = {128, 512, 1024};
  long seed = 42;
  String mnistPath = "sample-data/mnist10k.libsvm.gz";
  double mnistScale = 255;
  int mnistRows = 0;
  int mlpcMnistIterations = 100;
  int oursMnistMaxIterations = 300;
  int inferenceRepeats = 3;
  double peakSeconds = 3;
  int floorRepeats = 15;
  long[] scalingRows = {50_000, 100_000, 200_000, 400_000};
  int scalingBlockSize = 0;
  boolean scalingMlpc = true;
  boolean scalingChild = true;
  double targetAccuracy = 0.93;
  int pytorchRuns = 2;
  int pytorchMaxEpochs = 12;
  double pytorchLearningRate = 0.001;
  int pytorchBatchSize = 128;
  int pytorchThreads = 2;
  int pytorchEvalsPerEpoch = 4;
  int oursPytorchMaxIterations = 400;
  int oursPytorchRuns = 2;
  String oursPytorchSettings = PytorchSection.DEFAULT_CANDIDATES;
  Set<String> sections = new LinkedHashSet<>(DEFAULT_SECTIONS);
  String out = "target/bench-results.md";
  boolean tiny;
  /** The command line as given, for the scaling section's child JVM. */
  List<String> args = List.of();

  static final String USAGE = String.join("\n",
      "EndToEndBenchmark: Spark's MultilayerPerceptronClassifier vs spark-backprop in one JVM.",
      "  --tiny                   smoke-test sizes (a few thousand rows, few iterations)",
      "  --master M               Spark master (default local[2])",
      "  --partitions N           partitions of the synthetic data (default 2)",
      "  --rows N                 synthetic rows (default 200000)",
      "  --features N             synthetic features (default 100)",
      "  --hidden a,b             hidden layer sizes (default 128,64)",
      "  --iterations N           full-batch gd iterations per timed fit (default 10)",
      "  --rounds N               fits per configuration in the pass section, run in turn (default 2)",
      "  --block-sizes a,b,...    our block sizes; the first is also MLPC's (default 128,512,1024)",
      "  --seed N                 data, split and weight seed (default 42)",
      "  --mnist PATH             libsvm file for time-to-accuracy (default sample-data/mnist10k.libsvm.gz)",
      "  --mnist-scale S          divide pixels by S for both models (default 255; 1 = raw)",
      "  --mnist-rows N           use only the first N rows (default all)",
      "  --mlpc-mnist-iter N      MLPC l-bfgs maxIter on MNIST (default 100)",
      "  --ours-mnist-max-iter N  iteration budget per configuration of ours (default 300)",
      "  --inference-repeats N    timed transforms per model (default 3)",
      "  --peak-seconds S         measuring time per GEMM peak shape (default 3)",
      "  --floor-repeats N        empty jobs per floor measurement (default 15)",
      "  --scaling-rows a,b,...   scaling: row counts in this master (default 50000,100000,200000,400000)",
      "  --scaling-block-size N   scaling: our block size (default: pass section's best if it runs, else 1024)",
      "  --scaling-mlpc B         scaling: also time MLPC at every size (default true)",
      "  --scaling-child B        scaling: time --rows on local[1] in a child JVM (default true)",
      "  --target-accuracy A      pytorch: training accuracy to reach (default 0.93)",
      "  --pytorch-runs N         pytorch: timed PyTorch (DJL) trainings (default 2)",
      "  --pytorch-max-epochs N   pytorch: epoch budget of PyTorch (default 12)",
      "  --pytorch-lr R           pytorch: PyTorch Adam learning rate (default 0.001, PyTorch's default)",
      "  --pytorch-batch N        pytorch: PyTorch mini-batch size (default 128)",
      "  --pytorch-threads N      pytorch: torch intra-op threads (default 2)",
      "  --pytorch-evals N        pytorch: training-accuracy evaluations per PyTorch epoch (default 4)",
      "  --ours-pytorch-max-iter N  pytorch: iteration budget per setting of ours (default 400)",
      "  --ours-pytorch-runs N    pytorch: timed ML-API fits of our chosen setting (default 2)",
      "  --ours-pytorch-settings S  pytorch: our settings to follow, comma-separated",
      "                           solver/stepSize/blockSize/miniBatchFraction/localSteps (default "
          + PytorchSection.DEFAULT_CANDIDATES + ")",
      "  --sections a,b,...       any of " + String.join(",", ALL_SECTIONS) + " (default "
          + String.join(",", DEFAULT_SECTIONS) + ")",
      "  --out FILE               Markdown results (default target/bench-results.md)");

  static BenchOptions parse(String[] args) {
    BenchOptions o = new BenchOptions();
    o.args = List.of(args);
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        System.out.println(USAGE);
        System.exit(0);
      }
      if (name.equals("--tiny")) {
        o.makeTiny();
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + name + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (name) {
        case "--master" -> o.master = value;
        case "--partitions" -> o.partitions = Integer.parseInt(value);
        case "--rows" -> o.rows = Long.parseLong(value);
        case "--features" -> o.features = Integer.parseInt(value);
        case "--hidden" -> o.hidden = ints(value);
        case "--iterations" -> o.iterations = Integer.parseInt(value);
        case "--rounds" -> o.rounds = Integer.parseInt(value);
        case "--block-sizes" -> o.blockSizes = ints(value);
        case "--seed" -> o.seed = Long.parseLong(value);
        case "--mnist" -> o.mnistPath = value;
        case "--mnist-scale" -> o.mnistScale = Double.parseDouble(value);
        case "--mnist-rows" -> o.mnistRows = Integer.parseInt(value);
        case "--mlpc-mnist-iter" -> o.mlpcMnistIterations = Integer.parseInt(value);
        case "--ours-mnist-max-iter" -> o.oursMnistMaxIterations = Integer.parseInt(value);
        case "--inference-repeats" -> o.inferenceRepeats = Integer.parseInt(value);
        case "--peak-seconds" -> o.peakSeconds = Double.parseDouble(value);
        case "--floor-repeats" -> o.floorRepeats = Integer.parseInt(value);
        case "--scaling-rows" -> o.scalingRows = longs(value);
        case "--scaling-block-size" -> o.scalingBlockSize = Integer.parseInt(value);
        case "--scaling-mlpc" -> o.scalingMlpc = Boolean.parseBoolean(value);
        case "--scaling-child" -> o.scalingChild = Boolean.parseBoolean(value);
        case "--target-accuracy" -> o.targetAccuracy = Double.parseDouble(value);
        case "--pytorch-runs" -> o.pytorchRuns = Integer.parseInt(value);
        case "--pytorch-max-epochs" -> o.pytorchMaxEpochs = Integer.parseInt(value);
        case "--pytorch-lr" -> o.pytorchLearningRate = Double.parseDouble(value);
        case "--pytorch-batch" -> o.pytorchBatchSize = Integer.parseInt(value);
        case "--pytorch-threads" -> o.pytorchThreads = Integer.parseInt(value);
        case "--pytorch-evals" -> o.pytorchEvalsPerEpoch = Integer.parseInt(value);
        case "--ours-pytorch-max-iter" -> o.oursPytorchMaxIterations = Integer.parseInt(value);
        case "--ours-pytorch-runs" -> o.oursPytorchRuns = Integer.parseInt(value);
        case "--ours-pytorch-settings" -> o.oursPytorchSettings = value;
        case "--sections" -> o.sections = sections(value);
        case "--out" -> o.out = value;
        default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
      }
    }
    if (o.iterations < 3) {
      throw new IllegalArgumentException("--iterations must be at least 3 (the first is not timed)");
    }
    return o;
  }

  private void makeTiny() {
    tiny = true;
    rows = 4_000;
    iterations = 4;
    rounds = 1;
    blockSizes = new int[] {128, 512};
    mnistRows = 1_500;
    mlpcMnistIterations = 10;
    oursMnistMaxIterations = 40;
    inferenceRepeats = 1;
    peakSeconds = 0.3;
    floorRepeats = 4;
    scalingRows = new long[] {2_000, 4_000};
    pytorchRuns = 1;
    pytorchMaxEpochs = 3;
    oursPytorchMaxIterations = 40;
    oursPytorchRuns = 1;
    out = "target/bench-results-tiny.md";
  }

  int[] layers() {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = features;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = classes;
    return sizes;
  }

  boolean runs(String section) {
    return sections.contains(section);
  }

  String describe() {
    return String.format(Locale.ROOT,
        "master %s, %d partitions, %,d rows x %d features, layers %s, %d gd iterations per timed fit "
            + "(%d round(s)), "
            + "block sizes %s, seed %d%s",
        master, partitions, rows, features, Arrays.toString(layers()), iterations, rounds,
        Arrays.toString(blockSizes), seed, tiny ? " (--tiny)" : "");
  }

  private static int[] ints(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  private static long[] longs(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
  }

  private static Set<String> sections(String value) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String s : value.split(",")) {
      String name = s.trim().toLowerCase(Locale.ROOT);
      if (!ALL_SECTIONS.contains(name)) {
        throw new IllegalArgumentException("Unknown section " + name + "; expected "
            + String.join(",", ALL_SECTIONS));
      }
      chosen.add(name);
    }
    return chosen;
  }
}
