package io.sparkbackprop.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Records every Spark job's start and end time (Spark's own event timestamps), job group, description
 * and stage names, so a pass is timed as Spark ran it rather than by differences of whole fits; and
 * the executor run time of its slowest task (task metrics: the time a task spent running on its
 * executor, without deserialising the task or sending the result), the critical path of the
 * per-partition work of an iteration job.
 */
public final class JobTimer extends SparkListener {

  /**
   * One finished job. Times are epoch milliseconds from Spark's events; {@code maxTaskRun} is the
   * longest executor run time of its tasks, in milliseconds.
   */
  public record Job(int id, String group, String description, String stages, long start, long end,
      long maxTaskRun) {
    public long millis() {
      return end - start;
    }
  }

  private final Map<Integer, SparkListenerJobStart> started = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
  private final Map<Integer, Long> maxTaskRun = new ConcurrentHashMap<>();
  private final List<Job> finished = Collections.synchronizedList(new ArrayList<>());

  public static JobTimer install(SparkContext sc) {
    JobTimer timer = new JobTimer();
    sc.addSparkListener(timer);
    return timer;
  }

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    started.put(event.jobId(), event);
    for (Object stage : CollectionConverters.asJava(event.stageIds())) {
      jobOfStage.put((Integer) stage, event.jobId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    Integer job = jobOfStage.get(event.stageId());
    TaskMetrics metrics = event.taskMetrics();
    if (job != null && metrics != null) {
      maxTaskRun.merge(job, metrics.executorRunTime(), Math::max);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd event) {
    SparkListenerJobStart start = started.remove(event.jobId());
    if (start == null) {
      return;
    }
    Properties properties = start.properties();
    String group = properties == null ? null : properties.getProperty("spark.jobGroup.id");
    String description = properties == null ? null : properties.getProperty("spark.job.description");
    StringBuilder stages = new StringBuilder();
    for (StageInfo stage : CollectionConverters.asJava(start.stageInfos())) {
      stages.append(stages.length() == 0 ? "" : "; ").append(stage.name());
    }
    for (Object stage : CollectionConverters.asJava(start.stageIds())) {
      jobOfStage.remove((Integer) stage);
    }
    Long slowest = maxTaskRun.remove(event.jobId());
    finished.add(new Job(event.jobId(), group, description == null ? "" : description,
        stages.toString(), start.time(), event.time(), slowest == null ? 0 : slowest));
  }

  /** Waits until Spark delivered every event posted so far, then returns the matching jobs by id. */
  public List<Job> jobs(SparkContext sc, Predicate<Job> filter) {
    try {
      // Spark's own test hook; public in bytecode although Scala-private to the spark package.
      sc.listenerBus().waitUntilEmpty(30_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain in 30 s", e);
    }
    List<Job> result = new ArrayList<>();
    synchronized (finished) {
      for (Job job : finished) {
        if (filter.test(job)) {
          result.add(job);
        }
      }
    }
    result.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return result;
  }

  public static Predicate<Job> inGroup(String group) {
    return job -> group.equals(job.group());
  }
}
