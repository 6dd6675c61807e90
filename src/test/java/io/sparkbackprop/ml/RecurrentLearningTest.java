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

  private static double mse(Dataset<Row> predictions, String predictionCol) {
    return new RegressionEvaluator().setMetricName("mse").setPredictionCol(predictionCol)
        .evaluate(predictions);
  }

  /**
   * The adding problem over 50 steps (Hochreiter and Schmidhuber 1997): LSTM and GRU carry the two
   * marked values across the sequence (MSE below 0.01, where the constant forecast has about 0.167);
   * the plain Elman RNN's gradient vanishes over that span and, with the same budget, it misses the
   * bar and errs at least ten times as much.
   */
  @Test
  void lstmAndGruSolveTheAddingProblemWhereThePlainRnnFails() {
    Dataset<Row> train = SequenceData.adding(2560, 50, 1).cache();
    Dataset<Row> test = SequenceData.adding(500, 50, 2).cache();
    double[] errors = new double[3];
    String[] cells = {"lstm", "gru", "rnn"};
    for (int c = 0; c < cells.length; c++) {
      RecurrentRegressionModel model = new RecurrentRegressor().setCell(cells[c]).setHiddenSize(32)
          .setSeed(3).setStepSize(0.01).setMaxIter(400).setMiniBatchFraction(0.1).setTol(0)
          .setMaxGradNorm(1).fit(train);
      errors[c] = mse(model.transform(test), "prediction");
    }
    System.out.printf("adding problem, 50 steps, test MSE: lstm %.4f, gru %.4f, rnn %.4f%n",
        errors[0], errors[1], errors[2]);
    assertTrue(errors[0] < 0.01, "lstm " + errors[0]);
    assertTrue(errors[1] < 0.01, "gru " + errors[1]);
    assertTrue(errors[2] > 0.01 && errors[2] > 10 * Math.max(errors[0], errors[1]),
        "the plain rnn should do visibly worse at this length: " + errors[2]);
  }

  /**
   * Monthly sunspot numbers: one-step-ahead forecasts over the last 20% of the series beat the
   * naive last-value forecast and a linear AR(12) model (Spark's LinearRegression on 12 lags).
   */
  @Test
  void forecastsSunspotsBetterThanNaiveAndLinearAutoregression() {
    double[] series = SequenceData.sunspots();
    int split = (int) (series.length * 0.8);
    Dataset<Row> train = SequenceData.windows(series, 0, split, 24, 12).cache();
    Dataset<Row> test = SequenceData.windows(series, split, series.length, 24, 12).cache();
    double naive = mse(test, "last");
    double ar12 = mse(new org.apache.spark.ml.regression.LinearRegression().setFeaturesCol("lags")
        .fit(train).transform(test), "prediction");
    double recurrent = mse(new RecurrentRegressor().setCell("gru").setHiddenSize(32).setSeed(3)
        .setStepSize(0.01).setMaxIter(300).setMiniBatchFraction(0.2).setTol(0).setMaxGradNorm(1)
        .fit(train).transform(test), "prediction");
    System.out.printf("sunspots, last 20%%, test MSE: naive %.1f, AR(12) %.1f, gru %.1f%n", naive,
        ar12, recurrent);
    assertTrue(recurrent < naive && recurrent < ar12, recurrent + " vs " + naive + ", " + ar12);
  }

  /**
   * A character language model of Moby-Dick: held-out cross-entropy well below a unigram model and
   * below an interpolated bigram model of the same training text, and it writes text.
   */
  @Test
  void characterModelBeatsUnigramAndBigramModels() throws java.io.IOException {
    String text = java.nio.file.Files.readString(
        io.sparkbackprop.testing.SharedSpark.sampleData("text_moby_dick.txt"));
    String trainText = text.substring(10_000, 210_000);
    String heldOut = text.substring(210_000, 230_000);
    RecurrentClassificationModel model = new RecurrentClassifier().setOutputMode("sequence")
        .setHiddenSize(64).setSeed(5).setStepSize(0.01).setMaxIter(200)
        .setMiniBatchFraction(0.1).setTol(0).setMaxGradNorm(1)
        .fit(SequenceData.characters(trainText, 100));
    double bits = bitsPerCharacter(model, SequenceData.characters(heldOut, 100));
    double[] baselines = ngramBits(trainText, heldOut);
    String sample = model.generateText("Call me Ishmael. ", 200, 0.7, 1);
    System.out.printf("held-out bits per character: lstm %.3f, unigram %.3f, bigram %.3f%n%s%n",
        bits, baselines[0], baselines[1], sample);
    assertTrue(bits < baselines[0] - 1, "unigram " + baselines[0] + ", lstm " + bits);
    assertTrue(bits < baselines[1], "bigram " + baselines[1] + ", lstm " + bits);
    assertTrue(sample.length() == 200 && !sample.contains("<unk>"), sample);
  }

  private static double bitsPerCharacter(RecurrentClassificationModel model, Dataset<Row> rows) {
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    String[] vocabulary = model.vocabulary();
    for (int i = 0; i < vocabulary.length; i++) {
      ids.put(vocabulary[i], i);
    }
    double bits = 0;
    long count = 0;
    for (Row row : model.transform(rows).select("label", "probability").collectAsList()) {
      java.util.List<String> labels = row.getList(0);
      java.util.List<org.apache.spark.ml.linalg.Vector> p = row.getList(1);
      for (int t = 0; t < labels.size(); t++) {
        bits -= Math.log(p.get(t).apply(ids.getOrDefault(labels.get(t), 0))) / Math.log(2);
        count++;
      }
    }
    return bits / count;
  }

  /**
   * Held-out bits per character of an add-one unigram model and of a bigram model interpolated
   * with it, the interpolation weight chosen on the held-out text itself (a generous baseline).
   */
  private static double[] ngramBits(String train, String heldOut) {
    java.util.Map<Character, Integer> unigram = new java.util.HashMap<>();
    java.util.Map<String, Integer> bigram = new java.util.HashMap<>();
    for (int i = 0; i < train.length(); i++) {
      unigram.merge(train.charAt(i), 1, Integer::sum);
      if (i > 0) {
        bigram.merge(train.substring(i - 1, i + 1), 1, Integer::sum);
      }
    }
    int vocabulary = (int) (train + heldOut).chars().distinct().count();
    double uniBits = 0;
    double bestBigram = Double.POSITIVE_INFINITY;
    for (double lambda = 0.5; lambda < 0.999; lambda += 0.02) {
      double bits = 0;
      double uni = 0;
      for (int i = 1; i < heldOut.length(); i++) {
        char a = heldOut.charAt(i - 1);
        char c = heldOut.charAt(i);
        double pu = (unigram.getOrDefault(c, 0) + 1.0) / (train.length() + vocabulary);
        int context = unigram.getOrDefault(a, 0);
        double pb = context == 0 ? 0 : bigram.getOrDefault("" + a + c, 0) / (double) context;
        bits -= Math.log(lambda * pb + (1 - lambda) * pu) / Math.log(2);
        uni -= Math.log(pu) / Math.log(2);
      }
      bestBigram = Math.min(bestBigram, bits / (heldOut.length() - 1));
      uniBits = uni / (heldOut.length() - 1);
    }
    return new double[] {uniBits, bestBigram};
  }
}
