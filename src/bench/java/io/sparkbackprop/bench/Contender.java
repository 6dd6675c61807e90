package io.sparkbackprop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Transformer;

/**
 * Runs one fit under its own Spark job group and collects what it did: the model, wall time, the
 * timings of its iteration jobs and the peak bytes it cached.
 */
final class Contender {
  private Contender() {}

  /** What one timed fit produced. */
  record Fit(String name, Transformer model, double wallSeconds, List<JobTimer.Job> iterationJobs,
      long peakCachedBytes) {

    /** Job times of the iterations after the first (which may also stack and cache the data). */
    List<Double> jobSeconds() {
      List<Double> seconds = new ArrayList<>();
      for (int i = 1; i < iterationJobs.size(); i++) {
        seconds.add(iterationJobs.get(i).millis() / 1e3);
      }
      return seconds;
    }

    /** Start-to-start times of consecutive iterations after the first: job plus driver work. */
    List<Double> periodSeconds() {
      List<Double> seconds = new ArrayList<>();
      for (int i = 2; i < iterationJobs.size(); i++) {
        seconds.add((iterationJobs.get(i).start() - iterationJobs.get(i - 1).start()) / 1e3);
      }
      return seconds;
    }

    /** Times between the end of one iteration job and the start of the next (driver work). */
    List<Double> driverGapSeconds() {
      List<Double> seconds = new ArrayList<>();
      for (int i = 2; i < iterationJobs.size(); i++) {
        seconds.add((iterationJobs.get(i).start() - iterationJobs.get(i - 1).end()) / 1e3);
      }
      return seconds;
    }

    Pooled pooled() {
      return new Pooled(name, List.of(this));
    }
  }

  /** Several fits of one configuration (repeated rounds), their iteration timings pooled. */
  record Pooled(String name, List<Fit> fits) {
    Stats jobSeconds() {
      return pool(Fit::jobSeconds);
    }

    Stats periodSeconds() {
      return pool(Fit::periodSeconds);
    }

    Stats driverGapSeconds() {
      return pool(Fit::driverGapSeconds);
    }

    /** Median wall time of the fits. */
    double wallSeconds() {
      List<Double> walls = new ArrayList<>();
      fits.forEach(f -> walls.add(f.wallSeconds()));
      return Stats.of(walls).median();
    }

    long peakCachedBytes() {
      return fits.stream().mapToLong(Fit::peakCachedBytes).max().orElse(-1);
    }

    Transformer model() {
      return fits.get(fits.size() - 1).model();
    }

    /** Median of every fit's per-iteration values together (each fit's samples, not its median). */
    private Stats pool(java.util.function.Function<Fit, List<Double>> samples) {
      List<Double> all = new ArrayList<>();
      fits.forEach(f -> all.addAll(samples.apply(f)));
      return Stats.of(all);
    }
  }

  /** Our iteration jobs carry a description set by the distributed trainer. */
  static final Predicate<JobTimer.Job> OUR_ITERATION =
      job -> job.description().startsWith("spark-backprop iteration");

  /**
   * MLPC's gd and l-bfgs iterations are each one treeAggregate job (in mllib's GradientDescent or
   * LBFGS); data stacking happens in a count job or the first iteration.
   */
  static final Predicate<JobTimer.Job> MLPC_ITERATION =
      job -> job.stages().contains("treeAggregate at GradientDescent")
          || job.stages().contains("treeAggregate at LBFGS");

  private static int counter;

  static Fit run(SparkContext sc, JobTimer timer, String name, Predicate<JobTimer.Job> iterationJobs,
      Supplier<? extends Transformer> fit) {
    String group = "bench-" + (++counter) + "-" + name.replaceAll("[^A-Za-z0-9]+", "-");
    sc.setJobGroup(group, name, false);
    Transformer model;
    double wall;
    long peak;
    try (StorageProbe probe = new StorageProbe(sc)) {
      long start = System.nanoTime();
      model = fit.get();
      wall = (System.nanoTime() - start) / 1e9;
      peak = probe.peakBytes();
    } finally {
      sc.clearJobGroup();
    }
    List<JobTimer.Job> jobs = timer.jobs(sc, JobTimer.inGroup(group).and(iterationJobs));
    if (System.getenv("BENCH_DEBUG") != null) {
      for (JobTimer.Job job : timer.jobs(sc, JobTimer.inGroup(group))) {
        System.err.printf("[%s] job %d %d ms: %s | %s%n", name, job.id(), job.millis(),
            job.description(), job.stages());
      }
    }
    return new Fit(name, model, wall, jobs, peak);
  }
}
