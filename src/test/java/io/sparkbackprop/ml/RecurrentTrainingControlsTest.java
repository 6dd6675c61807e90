package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.training.IterationRecord;
import io.sparkbackprop.testing.SequenceData;
import io.sparkbackprop.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training controls of the feed-forward estimators, through the recurrent ones: warm start that
 * continues exactly, checkpoints, validation with early stopping that keeps the best weights,
 * instance weights, the listener, the summary and job descriptions.
 */
class RecurrentTrainingControlsTest {
  @TempDir
  Path dir;

  /** The order task in 2 partitions, blocks of 16 so that sampling has blocks to choose from. */
  private static Dataset<Row> data() {
    return SequenceData.order(160, 9).repartition(2).cache();
  }

  private static RecurrentClassifier classifier() {
    return new RecurrentClassifier().setCell("gru").setHiddenSize(8).setSeed(4).setStepSize(0.02)
        .setTol(0).setBlockSize(16);
  }

  private static double[] weights(RecurrentClassificationModel model) {
    return model.content().weights();
  }

  @Test
  void warmStartContinuesExactlyAndCheckpointsAreLoadableModels() throws IOException {
    Dataset<Row> data = data();
    String checkpoints = dir.resolve("checkpoints").toString();
    RecurrentClassificationModel uninterrupted = classifier().setMiniBatchFraction(0.5)
        .setMaxIter(12).setCheckpointDir(checkpoints).setCheckpointInterval(6).fit(data);
    String first = dir.resolve("first").toString();
    classifier().setMiniBatchFraction(0.5).setMaxIter(6).fit(data).save(first);
    RecurrentClassificationModel resumed = classifier().setMiniBatchFraction(0.5).setMaxIter(12)
        .setInitialModelPath(first).fit(data);
    assertArrayEquals(weights(uninterrupted), weights(resumed), "6 + 6 iterations equal 12");
    assertEquals(12, resumed.trainedIterations());

    RecurrentClassificationModel checkpoint =
        RecurrentClassificationModel.load(checkpoints + "/latest");
    assertEquals(12, checkpoint.trainedIterations());
    assertArrayEquals(weights(uninterrupted), weights(checkpoint));

    String message = assertThrows(IllegalArgumentException.class, () -> classifier()
        .setMaxIter(12).setInitialModelPath(first).setHiddenSize(9).fit(data)).getMessage();
    assertTrue(message.contains("hiddenSize"), message);
  }

  @Test
  void validationEarlyStoppingWeightsListenerSummaryAndJobDescriptions() throws Exception {
    Dataset<Row> data = data();
    List<IterationRecord> seen = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    org.apache.spark.scheduler.SparkListener jobs = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
        String d = start.properties().getProperty("spark.job.description");
        if (d != null) {
          synchronized (descriptions) {
            descriptions.add(d);
          }
        }
      }
    };
    SharedSpark.session().sparkContext().addSparkListener(jobs);
    RecurrentClassificationModel model;
    try {
      // One Spark job per iteration (this table is small enough to train on the driver otherwise).
      model = classifier().setValidationFraction(0.25).setEarlyStoppingPatience(3)
          .setStepSize(0.3).setMaxIter(60).setDriverTrainingMaxMB(0)
          .setTrainingListener(seen::add).fit(data);
    } finally {
      SharedSpark.session().sparkContext().listenerBus().waitUntilEmpty(10_000);
      SharedSpark.session().sparkContext().removeSparkListener(jobs);
    }
    BackpropTrainingSummary summary = model.summary();
    assertEquals(seen.size(), summary.totalIterations());
    assertEquals("EARLY_STOPPED", summary.stopReason(), "a step this large overfits fast");
    assertTrue(summary.validationRows() > 0 && summary.trainingRows() > 0);
    double[] validation = summary.validationLossHistory();
    double best = java.util.Arrays.stream(validation).filter(v -> !Double.isNaN(v)).min()
        .orElseThrow();
    assertTrue(validation[validation.length - 1] > best, "stopped after the best, keeping it");
    synchronized (descriptions) {
      assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("spark-backprop iteration 2/60")),
          descriptions.toString());
    }

    // Instance weights: rows of weight 0 take no part, so dropping them changes nothing.
    Dataset<Row> weighted = data.withColumn("w", functions.when(functions.rand(3).lt(0.3), 0.0)
        .otherwise(1.0)).cache();
    double[] withWeights = weights(classifier().setMaxIter(5).setWeightCol("w").fit(
        weighted.repartition(1)));
    double[] without = weights(classifier().setMaxIter(5).setWeightCol("w").fit(
        weighted.where("w > 0").repartition(1)));
    assertEquals(withWeights.length, without.length);
    double largest = 0;
    for (int i = 0; i < without.length; i++) {
      largest = Math.max(largest, Math.abs(withWeights[i] - without[i]));
    }
    // Blocks form differently without those rows, so sums differ in rounding only; a bug counting
    // them would move weights by about the step size (0.02) per iteration.
    assertTrue(largest < 1e-3, "weight-0 rows changed the weights by " + largest);
  }
}
