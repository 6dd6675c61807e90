package io.sparkbackprop.bench;

import io.sparkbackprop.nn.FeedForwardNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH kernels and adds what JMH cannot print itself: GFLOP/s (and rows/s for whole blocks)
 * per benchmark, as a table on the console and in Markdown.
 *
 * <p>Arguments are JMH's own (for example {@code GemmBenchmark.sgemm -p shape=NN:128x128x100 -f 1
 * -wi 2 -i 3 -t 2}; {@code -h} lists them) plus {@code --out FILE} for the Markdown file (default
 * {@code target/jmh-results.md}). Without a pattern every benchmark runs.
 */
public final class KernelBenchmarks {
  private KernelBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of("target", "jmh-results.md");
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else {
        jmhArgs.add(args[i]);
      }
    }
    CommandLineOptions options = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
        || options.shouldListProfilers() || options.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
      return;
    }
    Collection<RunResult> results = new Runner(options).run();
    Table table = summarize(results);
    String header = "JMH kernels on " + Machine.describe();
    System.out.println();
    System.out.println(header);
    System.out.print(table.toText());
    Table.write(out, "## " + header + "\n\n" + table.toMarkdown());
    System.out.println("Written to " + out.toAbsolutePath());
  }

  static Table summarize(Collection<RunResult> results) {
    Table table = new Table("benchmark", "params", "threads", "ops/s", "+-", "rows/s", "GFLOP/s");
    for (RunResult run : results) {
      BenchmarkParams params = run.getParams();
      Result<?> primary = run.getPrimaryResult();
      String name = params.getBenchmark();
      String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      List<String> described = new ArrayList<>();
      for (String key : params.getParamsKeys()) {
        described.add(key + "=" + params.getParam(key));
      }
      double score = primary.getScore();
      boolean perSecond = primary.getScoreUnit().equals("ops/s");
      double flops = perSecond ? flopsPerOperation(name, params) : Double.NaN;
      double rows = perSecond ? rowsPerOperation(name, params) : Double.NaN;
      table.add(shortName, String.join(" ", described), Integer.toString(params.getThreads()),
          format(score) + (perSecond ? "" : " " + primary.getScoreUnit()),
          format(primary.getScoreError()),
          Double.isNaN(rows) ? "" : format(score * rows),
          Double.isNaN(flops) ? "" : String.format(Locale.ROOT, "%.1f", score * flops / 1e9));
    }
    return table;
  }

  /** FLOPs of one benchmark operation, NaN when the benchmark is unknown. */
  static double flopsPerOperation(String benchmark, BenchmarkParams params) {
    String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    if (benchmark.contains(".GemmBenchmark.")) {
      return GemmShape.parse(params.getParam("shape")).flops();
    }
    if (benchmark.contains(".DenseLayerBenchmark.")) {
      LayerSpec spec = LayerSpec.parse(params.getParam("layer"));
      int rows = Integer.parseInt(params.getParam("blockSize"));
      return method.startsWith("forward") ? spec.forwardFlops(rows) : spec.backwardFlops(rows);
    }
    if (benchmark.contains(".NetworkBenchmark.")) {
      int rows = Integer.parseInt(params.getParam("blockSize"));
      long weights = FeedForwardNetwork.paramCount(NetworkBenchmark.parseLayers(params.getParam("layers")));
      return (method.equals("forward") ? 2.0 : 6.0) * weights * rows;
    }
    if (benchmark.contains(".RecurrentBenchmark.")) {
      int g = RecurrentBenchmark.gates(params.getParam("cell"));
      double h = Integer.parseInt(params.getParam("hidden"));
      double d = Integer.parseInt(params.getParam("inputs"));
      double perStep = 2 * g * h * (d + h);
      double columns = Double.parseDouble(params.getParam("batch"))
          * Integer.parseInt(params.getParam("steps"));
      return (method.equals("forward") ? 1 : 3) * perStep * columns;
    }
    return Double.NaN;
  }

  /** Rows processed by one operation of the block benchmarks, NaN for the others. */
  static double rowsPerOperation(String benchmark, BenchmarkParams params) {
    if (benchmark.contains(".RecurrentBenchmark.")) {
      return Integer.parseInt(params.getParam("batch"));
    }
    boolean blocks = benchmark.contains(".NetworkBenchmark.") || benchmark.contains(".DenseLayerBenchmark.");
    return blocks ? Integer.parseInt(params.getParam("blockSize")) : Double.NaN;
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", value / 1e6);
    }
    if (magnitude >= 1e3) {
      return String.format(Locale.ROOT, "%.3gk", value / 1e3);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }

}
