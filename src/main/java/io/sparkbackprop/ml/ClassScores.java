package io.sparkbackprop.ml;

import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * A classifier's outputs for one column of logits, the same for every model: rawPrediction (the
 * logits centered on their mean, which ranks rows in the two-class case like the probability of
 * class 1, as BinaryClassificationEvaluator expects), probability (their softmax) and prediction
 * (Spark's rule with thresholds).
 */
final class ClassScores {
  final double[] centered;
  final double[] probability;

  /** Scores of the {@code k} logits at {@code offset}. */
  ClassScores(float[] logits, int offset, int k) {
    centered = new double[k];
    double mean = 0;
    for (int i = 0; i < k; i++) {
      centered[i] = logits[offset + i];
      mean += centered[i];
    }
    mean /= k;
    for (int i = 0; i < k; i++) {
      centered[i] -= mean;
    }
    probability = centered.clone();
    SoftmaxCrossEntropy.softmaxInPlace(probability);
  }

  Vector raw() {
    return Vectors.dense(centered);
  }

  Vector probabilities() {
    return Vectors.dense(probability);
  }

  /** Spark's rule: argmax of p / threshold (a zero threshold wins unless its p is 0). */
  int predictedClass(double[] thresholds) {
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < probability.length; i++) {
      double score = thresholds == null ? probability[i] : probability[i] / thresholds[i];
      if (score > max) {
        max = score;
        best = i;
      }
    }
    return best;
  }

  /** Softmax of a dense rawPrediction in place: the classification models' probabilities. */
  static Vector softmaxInPlace(Vector rawPrediction) {
    if (!(rawPrediction instanceof DenseVector dense)) {
      throw new IllegalArgumentException("Expected a dense rawPrediction vector, got a sparse one");
    }
    SoftmaxCrossEntropy.softmaxInPlace(dense.values());
    return dense;
  }

  /** The model's thresholds if set, checked to hold one per class; else null. */
  static double[] thresholds(ProbabilisticClassificationModel<?, ?> model, int numClasses) {
    double[] thresholds = model.isDefined(model.thresholds()) ? model.getThresholds() : null;
    if (thresholds != null && thresholds.length != numClasses) {
      throw new IllegalArgumentException("thresholds has " + thresholds.length
          + " entries but the model has " + numClasses + " classes");
    }
    return thresholds;
  }
}
