package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The main complaint about parameter averaging elsewhere is accuracy that drops as executors are
 * added. With local steps, the same budget on 1, 2 and 4 partitions must reach the same quality.
 */
class LocalStepsAccuracyTest {

  @Test
  void accuracyDoesNotDegradeAsPartitionsGrow() {
    Dataset<Row> digits = SharedSpark.libsvm("digits.libsvm", 64);
    Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, 42);
    Dataset<Row> test = split[1].cache();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    double[] results = new double[3];
    int[] partitions = {1, 2, 4};
    for (int i = 0; i < partitions.length; i++) {
      Dataset<Row> train = split[0].repartition(partitions[i]).cache();
      BackpropClassificationModel model = new BackpropClassifier().setHiddenLayers(64)
          .setSolver("nesterov").setMomentum(0.5).setStepSize(0.1).setLocalSteps(8)
          .setBlockSize(32).setMaxIter(25).setTol(0).setSeed(3).fit(train);
      results[i] = accuracy.evaluate(model.transform(test));
      train.unpersist();
    }
    for (int i = 0; i < partitions.length; i++) {
      assertTrue(results[i] >= 0.94, partitions[i] + " partitions: accuracy " + results[i]);
      assertTrue(results[i] >= results[0] - 0.02, partitions[i] + " partitions: accuracy "
          + results[i] + " vs " + results[0] + " on one partition");
    }
  }
}
