package io.sparkbackprop.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Test-only fault injection (never on the main class path): once armed with a piece of a Spark job
 * description (the trainer describes each iteration's job as {@code spark-backprop iteration N/M}),
 * it makes the first attempt of partition 0 of the next matching task fail after its work is done,
 * through a task-completion listener that throws. Spark then runs the task again. It runs in the
 * executor (here: the local-mode driver JVM) when a task starts, outside the training code.
 */
public final class FailFirstAttemptPlugin implements SparkPlugin {
  /** Job-description text whose next first attempt of partition 0 fails; null when idle. */
  static final AtomicReference<String> ARMED = new AtomicReference<>();
  /** Failures injected so far. */
  static final AtomicInteger INJECTED = new AtomicInteger();

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void onTaskStart() {
        String target = ARMED.get();
        TaskContext task = TaskContext.get();
        if (target == null || task == null || task.attemptNumber() != 0 || task.partitionId() != 0) {
          return;
        }
        String description = task.getLocalProperty("spark.job.description");
        if (description == null || !description.contains(target) || !ARMED.compareAndSet(target, null)) {
          return;
        }
        INJECTED.incrementAndGet();
        TaskCompletionListener fail = done -> {
          throw new IllegalStateException("injected failure of the first attempt of partition 0 in "
              + "job '" + description + "'");
        };
        task.addTaskCompletionListener(fail);
      }
    };
  }
}
