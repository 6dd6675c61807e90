package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SequenceData;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** What recurrent models learn that feed-forward ones cannot, with quality bars. */
class RecurrentLearningTest {

  private static double accuracy(Dataset<Row> predictions) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
  }

  /**
   * Which of two tokens comes first: invisible to a feed-forward net on token counts (near chance),
   * learnt by the recurrent classifier.
   */
  @Test
  void orderDependentLabelsNeedARecurrentModel() {
    Dataset<Row> train = SequenceData.order(600, 1);
    Dataset<Row> test = SequenceData.order(300, 2);
    double recurrent = accuracy(new RecurrentClassifier().setHiddenSize(16).setSeed(3)
        .setMaxIter(150).setStepSize(0.02).fit(train).transform(test));
    double feedForward = accuracy(new BackpropClassifier().setFeaturesCol("counts").setSeed(3)
        .fit(train).transform(test));
    System.out.println("order task: recurrent " + recurrent + ", feed-forward on counts " + feedForward);
    assertTrue(recurrent >= 0.95, "recurrent accuracy " + recurrent);
    assertTrue(feedForward <= 0.65, "feed-forward accuracy " + feedForward);
  }
}
