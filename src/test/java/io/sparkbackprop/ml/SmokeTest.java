package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void irisFits() {
    Dataset<Row> iris = SharedSpark.libsvm("iris.libsvm", 4);
    BackpropClassificationModel model = new BackpropClassifier().setMaxIter(200).fit(iris);
    Dataset<Row> out = model.transform(iris);
    out.show(3, false);
    double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(out);
    System.out.println("accuracy " + acc + " iters " + model.summary().totalIterations());
    assertTrue(acc > 0.9);
  }
}
