package io.sparkbackprop.cli;

import io.sparkbackprop.ml.BackpropClassificationModel;
import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.ml.BackpropRegressionModel;
import io.sparkbackprop.ml.BackpropRegressor;
import io.sparkbackprop.nn.linalg.Blas;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The main job: trains a classifier on the digits images and a regressor on the diabetes data from
 * {@code sample-data}, and prints their test metrics and fit times next to Spark's own
 * MultilayerPerceptronClassifier (and LinearRegression for the regressor) on the same splits.
 *
 * <p>Usage: {@code SampleDataJob [sample-data directory]}. Runs in {@code local[*]} unless a master is
 * configured (for example by {@code spark-submit --master ...}); on a cluster the directory must be
 * readable by every executor (a shared or distributed file system).
 */
public final class SampleDataJob {
  private static final long SPLIT_SEED = 42;

  private SampleDataJob() {}

  public static void main(String[] args) {
    String dataDir = args.length > 0 ? args[0] : "sample-data";
    SparkSession.Builder builder = SparkSession.builder().appName("spark-backprop sample-data job");
    if (!new org.apache.spark.SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      run(spark, dataDir);
    } finally {
      spark.stop();
    }
  }

  static void run(SparkSession spark, String dataDir) {
    System.out.printf(Locale.ROOT, "spark-backprop sample-data job: Spark %s, master %s, BLAS %s%n",
        spark.version(), spark.sparkContext().master(), Blas.implementationName());
    classifyDigits(spark, dataDir);
    regressDiabetes(spark, dataDir);
  }

  /** Seeds of the 80/20 splits; one split of 308 test images is too small to compare on alone. */
  private static final long[] DIGITS_SPLIT_SEEDS = {42, 43, 44};

  private static void classifyDigits(SparkSession spark, String dataDir) {
    Dataset<Row> digits = readLibsvm(spark, dataDir, "digits.libsvm", 64).cache();
    System.out.printf(Locale.ROOT, "%nDigits (8x8 images, 10 classes, %d rows): 80/20 splits seeded %s%n",
        digits.count(), java.util.Arrays.toString(DIGITS_SPLIT_SEEDS));
    MultilayerPerceptronClassifier mlpc = new MultilayerPerceptronClassifier()
        .setLayers(new int[] {64, 64, 10}).setSolver("l-bfgs").setMaxIter(100).setSeed(SPLIT_SEED);
    BackpropClassifier ours = new BackpropClassifier()
        .setHiddenLayers(128).setStepSize(0.03).setRegParam(3e-3).setMaxIter(100).setSeed(SPLIT_SEED);
    // Warm the JVM up with a short fit of each so neither pays for class loading and JIT alone.
    mlpc.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(5).fit(digits);
    ours.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(5).fit(digits);

    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    double[] sum = new double[4];
    System.out.println("split  MLPC accuracy  MLPC seconds   ours accuracy  ours seconds  ours iterations");
    for (long seed : DIGITS_SPLIT_SEEDS) {
      Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, seed);
      Dataset<Row> train = split[0].cache();
      Dataset<Row> test = split[1].cache();
      train.count();
      Timed<? extends PredictionModel<?, ?>> sparkFit = time(() -> mlpc.fit(train));
      Timed<BackpropClassificationModel> ourFit = time(() -> ours.fit(train));
      double sparkAccuracy = accuracy.evaluate(sparkFit.value.transform(test));
      double ourAccuracy = accuracy.evaluate(ourFit.value.transform(test));
      System.out.printf(Locale.ROOT, "%5d %14.4f %13.2f %15.4f %13.2f %16d%n", seed, sparkAccuracy,
          sparkFit.seconds, ourAccuracy, ourFit.seconds, ourFit.value.summary().totalIterations());
      sum[0] += sparkAccuracy;
      sum[1] += sparkFit.seconds;
      sum[2] += ourAccuracy;
      sum[3] += ourFit.seconds;
      train.unpersist();
      test.unpersist();
    }
    int n = DIGITS_SPLIT_SEEDS.length;
    System.out.printf(Locale.ROOT, " mean %14.4f %13.2f %15.4f %13.2f%n", sum[0] / n, sum[1] / n,
        sum[2] / n, sum[3] / n);
    System.out.printf(Locale.ROOT, "BackpropClassifier (hidden [128], adam, regParam 3e-3): "
        + "%.1fx less fit time than MultilayerPerceptronClassifier ([64, 64, 10], l-bfgs)%n",
        sum[1] / sum[3]);
    digits.unpersist();
  }

  private static void regressDiabetes(SparkSession spark, String dataDir) {
    Dataset<Row>[] split = readLibsvm(spark, dataDir, "diabetes_regression.libsvm", 10)
        .randomSplit(new double[] {0.8, 0.2}, SPLIT_SEED);
    Dataset<Row> train = split[0].cache();
    Dataset<Row> test = split[1].cache();
    System.out.printf(Locale.ROOT, "%nDiabetes (10 features, regression): %d training rows, %d test rows%n",
        train.count(), test.count());
    Timed<? extends PredictionModel<?, ?>> linear = time(() -> new LinearRegression().fit(train));
    Timed<BackpropRegressionModel> ours = time(() -> new BackpropRegressor()
        .setHiddenLayers(16).setSeed(SPLIT_SEED).fit(train));
    RegressionEvaluator r2 = new RegressionEvaluator().setMetricName("r2");
    RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse");
    System.out.println("model                                  test R^2   test RMSE   fit seconds");
    for (Object[] row : new Object[][] {
        {"Spark LinearRegression", linear}, {"spark-backprop BackpropRegressor", ours}}) {
      PredictionModel<?, ?> model = ((Timed<?>) row[1]).value instanceof PredictionModel<?, ?> m ? m : null;
      Dataset<Row> predictions = model.transform(test);
      System.out.printf(Locale.ROOT, "%-38s %8.4f %11.2f %13.2f%n", row[0], r2.evaluate(predictions),
          rmse.evaluate(predictions), ((Timed<?>) row[1]).seconds);
    }
    train.unpersist();
    test.unpersist();
  }

  private static Dataset<Row> readLibsvm(SparkSession spark, String dataDir, String file,
      int numFeatures) {
    return spark.read().format("libsvm").option("numFeatures", String.valueOf(numFeatures))
        .load(dataDir.endsWith("/") ? dataDir + file : dataDir + "/" + file);
  }

  private record Timed<T>(T value, double seconds) {}

  private static <T> Timed<T> time(Supplier<T> work) {
    long start = System.nanoTime();
    T value = work.get();
    return new Timed<>(value, (System.nanoTime() - start) / 1e9);
  }
}
