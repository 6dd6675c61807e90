package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.GeneratedData;
import io.sparkbackprop.testing.SharedSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Learning claims on real and generated data, with bars a broken implementation (wrong gradient,
 * ignored hidden layer, broken scaling) would miss.
 */
class LearningQualityTest {

  /**
   * The foundation's bar: one hidden layer reaches 97% test accuracy on the digits images. A single
   * split of 1,797 images leaves 308 test rows, where one error is 0.3%, so the claim is checked on
   * the mean of the three seeded 80/20 splits the main job prints (each split must stay above 95%).
   */
  @Test
  void digitsOneHiddenLayerReaches97PercentWithAdam() {
    assertDigitsMeanAccuracy(new BackpropClassifier().setSolver("adam")
        .setHiddenLayers(128).setStepSize(0.03).setRegParam(3e-3).setMaxIter(100).setSeed(42));
  }

  /** The same bar with the full-batch quasi-Newton solver (its step size is a line search). */
  @Test
  void digitsOneHiddenLayerReaches97PercentWithLbfgs() {
    assertDigitsMeanAccuracy(new BackpropClassifier().setSolver("l-bfgs")
        .setHiddenLayers(128).setRegParam(3e-3).setMaxIter(100).setSeed(42));
  }

  private static void assertDigitsMeanAccuracy(BackpropClassifier classifier) {
    Dataset<Row> digits = SharedSpark.libsvm("digits.libsvm", 64).cache();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    double sum = 0;
    long[] seeds = {42, 43, 44};
    for (long seed : seeds) {
      Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, seed);
      double acc = accuracy.evaluate(classifier.fit(split[0]).transform(split[1]));
      assertTrue(acc >= 0.95, classifier.getSolver() + ", split " + seed + ": accuracy " + acc);
      sum += acc;
    }
    double mean = sum / seeds.length;
    assertTrue(mean >= 0.97, classifier.getSolver() + ": mean test accuracy " + mean);
    digits.unpersist();
  }

  /** A known nonlinear target: Friedman #1 with unit noise, R^2 >= 0.9 on held-out rows. */
  @Test
  void friedmanRegressionReachesR2OfPointNine() {
    Dataset<Row>[] split = GeneratedData.friedman1(2000, 7, 2).randomSplit(new double[] {0.8, 0.2}, 1);
    BackpropRegressionModel model = new BackpropRegressor()
        .setHiddenLayers(64).setActivation("tanh").setStepSize(0.01).setMaxIter(200).setSeed(42)
        .fit(split[0]);
    double r2 = new RegressionEvaluator().setMetricName("r2").evaluate(model.transform(split[1]));
    assertTrue(r2 >= 0.9, "held-out R^2 " + r2);
  }

  /**
   * Labels with a large offset and a small spread (timestamps, amounts in cents): 1.7e9 plus a
   * linear signal of standard deviation about 2. In float32 the offset alone rounds to multiples of
   * 128, so the label must be centred in double before it is stored. Failed before the fix: the
   * stored labels had lost the signal (R^2 about 0).
   */
  @Test
  void labelsWithALargeOffsetKeepTheirSignal() {
    java.util.Random random = new java.util.Random(17);
    java.util.List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double[] x = {2 * random.nextDouble() - 1, 2 * random.nextDouble() - 1,
          2 * random.nextDouble() - 1};
      double y = 1.7e9 + 3 * x[0] - 2 * x[1] + x[2] + 0.1 * random.nextGaussian();
      rows.add(org.apache.spark.sql.RowFactory.create(y,
          org.apache.spark.ml.linalg.Vectors.dense(x)));
    }
    Dataset<Row>[] split = SharedSpark.session().createDataFrame(rows,
        io.sparkbackprop.testing.TestData.labelledSchema()).randomSplit(new double[] {0.8, 0.2}, 3);
    BackpropRegressionModel model = new BackpropRegressor().setHiddenLayers(16).setMaxIter(200)
        .setStepSize(0.01).setSeed(5).fit(split[0]);
    double r2 = new RegressionEvaluator().setMetricName("r2").evaluate(model.transform(split[1]));
    assertTrue(r2 > 0.9, "held-out R^2 " + r2);
  }

  /** Spirals are not linearly separable: a hidden layer must learn them, a linear model cannot. */
  @Test
  void hiddenLayerLearnsSpiralsThatALinearModelCannot() {
    Dataset<Row> spirals = GeneratedData.spirals(150, 3, 2).cache();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    double deep = accuracy.evaluate(new BackpropClassifier().setHiddenLayers(32, 32)
        .setActivation("tanh").setStepSize(0.03).setMaxIter(300).setSeed(1).fit(spirals)
        .transform(spirals));
    double linear = accuracy.evaluate(new BackpropClassifier().setHiddenLayers()
        .setStepSize(0.03).setMaxIter(300).setSeed(1).fit(spirals).transform(spirals));
    assertTrue(deep >= 0.95, "hidden layers: training accuracy " + deep);
    assertTrue(linear <= 0.75, "no hidden layer: training accuracy " + linear);
    spirals.unpersist();
  }
}
