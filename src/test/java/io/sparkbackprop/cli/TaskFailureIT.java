package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ml.BackpropClassificationModel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task attempt that fails in the middle of training is retried and changes nothing: the CLI trains
 * twice in {@code local[2,3]} on the same two partitions (split by size, no shuffle), the second time
 * with the first attempt of one iteration's task failing on purpose; the weights are bit for bit the
 * same. Two partitions make the driver's merge of the partial sums order-independent (a + b = b + a).
 */
class TaskFailureIT {
  private static final String EXECUTOR_LOG = "org.apache.spark.executor.Executor";
  private static final String SCHEDULER_LOG = "org.apache.spark.scheduler.TaskSetManager";

  @TempDir
  Path tmp;

  @AfterEach
  void disarm() {
    FailFirstAttemptPlugin.ARMED.set(null);
  }

  private CliRun train(Path model) {
    return CliRun.of("train", "--input", ItSpark.sampleData("digits.libsvm").toString(),
        "--partitions", "2", "--model", model.toString(), "--param", "maxIter=12",
        "--param", "hiddenLayers=32", "--param", "stepSize=0.03", "--param", "seed=7",
        // one Spark job per iteration, so there is an iteration task to fail
        "--param", "driverTrainingMaxMB=0",
        "--progress-every", "0");
  }

  @Test
  void aFailedTaskAttemptIsRetriedWithIdenticalWeights() throws Exception {
    SparkSession spark = ItSpark.session();
    AtomicInteger failedTasks = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskInfo().failed()) {
          failedTasks.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    // The injected failure is expected: keep Spark's stack traces of it out of the test output.
    Level executorLevel = LogManager.getLogger(EXECUTOR_LOG).getLevel();
    Level schedulerLevel = LogManager.getLogger(SCHEDULER_LOG).getLevel();
    Configurator.setLevel(EXECUTOR_LOG, Level.OFF);
    Configurator.setLevel(SCHEDULER_LOG, Level.ERROR);
    try {
      Path clean = tmp.resolve("clean");
      CliRun first = train(clean);
      assertEquals(0, first.exitCode(), first.toString());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(0, failedTasks.get(), "the reference run had failed tasks");

      int injectedBefore = FailFirstAttemptPlugin.INJECTED.get();
      FailFirstAttemptPlugin.ARMED.set("iteration 5/");
      Path retried = tmp.resolve("retried");
      CliRun second = train(retried);
      assertEquals(0, second.exitCode(), second.toString());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(injectedBefore + 1, FailFirstAttemptPlugin.INJECTED.get(),
          "the failure was not injected");
      assertEquals(1, failedTasks.get(), "expected exactly one failed task attempt");

      double[] expected = BackpropClassificationModel.load(clean.toString()).weights().toArray();
      double[] actual = BackpropClassificationModel.load(retried.toString()).weights().toArray();
      assertTrue(expected.length > 1000, "weights " + expected.length);
      assertArrayEquals(expected, actual, "weights after a retried task differ");
    } finally {
      spark.sparkContext().removeSparkListener(listener);
      Configurator.setLevel(EXECUTOR_LOG, executorLevel);
      Configurator.setLevel(SCHEDULER_LOG, schedulerLevel);
    }
  }
}
