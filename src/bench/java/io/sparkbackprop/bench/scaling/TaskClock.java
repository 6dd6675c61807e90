package io.sparkbackprop.bench.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Per Spark job of a job group: start and end (Spark's event times) and the executor run time of its
 * tasks (task metrics: the time a task spent running on its executor, without deserialising the
 * task or sending the result). For an iteration job the slowest task of the first stage is the
 * critical path of the per-partition work (it includes fetching the broadcast weights).
 */
final class TaskClock extends SparkListener {

  /** One finished job; times in milliseconds. */
  record Job(int id, String group, long start, long end, long maxTaskRun, long sumTaskRun,
      int tasks) {
    long millis() {
      return end - start;
    }
  }

  private static final class Running {
    final String group;
    final long start;
    long maxTaskRun;
    long sumTaskRun;
    int tasks;

    Running(String group, long start) {
      this.group = group;
      this.start = start;
    }
  }

  private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
  private final Map<Integer, Running> running = new ConcurrentHashMap<>();
  private final List<Job> finished = new ArrayList<>();

  static TaskClock install(SparkContext sc) {
    TaskClock clock = new TaskClock();
    sc.addSparkListener(clock);
    return clock;
  }

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    Properties properties = event.properties();
    String group = properties == null ? null : properties.getProperty("spark.jobGroup.id");
    running.put(event.jobId(), new Running(group == null ? "" : group, event.time()));
    for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(event.stageIds())) {
      jobOfStage.put((Integer) stage, event.jobId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    Integer job = jobOfStage.get(event.stageId());
    TaskMetrics metrics = event.taskMetrics();
    if (job == null || metrics == null) {
      return;
    }
    Running r = running.get(job);
    if (r != null) {
      synchronized (r) {
        r.maxTaskRun = Math.max(r.maxTaskRun, metrics.executorRunTime());
        r.sumTaskRun += metrics.executorRunTime();
        r.tasks++;
      }
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd event) {
    Running r = running.remove(event.jobId());
    if (r == null) {
      return;
    }
    synchronized (finished) {
      finished.add(new Job(event.jobId(), r.group, r.start, event.time(), r.maxTaskRun, r.sumTaskRun,
          r.tasks));
    }
  }

  /**
   * The group's finished jobs by id, after waiting (up to 30 s) until this listener has seen the end
   * of every job that Spark's status tracker lists for the group (listener events arrive
   * asynchronously).
   */
  List<Job> jobs(JavaSparkContext jsc, String group) {
    int[] ids = jsc.statusTracker().getJobIdsForGroup(group);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      List<Job> result = new ArrayList<>();
      synchronized (finished) {
        for (Job job : finished) {
          if (job.group().equals(group)) {
            result.add(job);
          }
        }
      }
      if (result.size() >= ids.length) {
        result.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return result;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Saw " + result.size() + " of " + ids.length
            + " job ends of group " + group + " after 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
