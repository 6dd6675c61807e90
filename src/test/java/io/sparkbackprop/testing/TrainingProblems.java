package io.sparkbackprop.testing;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.training.GradientSum;
import io.sparkbackprop.nn.training.LocalObjective;
import io.sparkbackprop.nn.training.Objective;
import io.sparkbackprop.nn.training.TrainingConfig;
import io.sparkbackprop.nn.training.TrainingLoop;
import io.sparkbackprop.nn.training.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small seeded classification problems trained through {@link LocalObjective}. */
public final class TrainingProblems {
  private TrainingProblems() {}

  /** Three interleaved spiral arms of 30 points each in the unit disc (seed 7). */
  public static List<DataBlock> spiral(int blockRows) {
    int perClass = 30;
    int classes = 3;
    Random rng = new Random(7);
    int rows = perClass * classes;
    float[] features = new float[2 * rows];
    float[] targets = new float[rows];
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < perClass; i++) {
        int j = c * perClass + i;
        double radius = (i + 1.0) / perClass;
        double angle = c * 2 * Math.PI / classes + 3 * radius + 0.15 * rng.nextGaussian();
        features[2 * j] = (float) (radius * Math.cos(angle));
        features[2 * j + 1] = (float) (radius * Math.sin(angle));
        targets[j] = c;
      }
    }
    return blocks(features, 2, targets, blockRows);
  }

  /** 2 inputs, 12 tanh units, 3 softmax outputs. */
  public static FeedForwardNetwork spiralNetwork() {
    return new FeedForwardNetwork(new int[] {2, 12, 3}, Activation.TANH, new SoftmaxCrossEntropy());
  }

  /**
   * 200 rows of 16 binary features; feature i is on with probability 0.5 * 0.75^i (from 0.5 down to
   * 0.007) and the rarer a feature, the more it decides the label: class 1 iff
   * sum_i x_i (-1)^i (i + 1) + noise > 0 (seed 7). Gradient descent learns the rare, decisive
   * weights slowly; per-weight step sizes do not.
   */
  public static List<DataBlock> sparseFeatures() {
    int rows = 200;
    int width = 16;
    Random rng = new Random(7);
    float[] features = new float[width * rows];
    float[] targets = new float[rows];
    for (int j = 0; j < rows; j++) {
      double score = 0;
      for (int i = 0; i < width; i++) {
        if (rng.nextDouble() < 0.5 * Math.pow(0.75, i)) {
          features[j * width + i] = 1;
          score += (i % 2 == 0 ? 1 : -1) * (1 + i);
        }
      }
      targets[j] = score + 0.5 * rng.nextGaussian() > 0 ? 1 : 0;
    }
    return blocks(features, width, targets, 64);
  }

  /** Softmax regression on the 16 sparse features (no hidden layer). */
  public static FeedForwardNetwork sparseNetwork() {
    return new FeedForwardNetwork(new int[] {16, 2}, Activation.TANH, new SoftmaxCrossEntropy());
  }

  /** Mean loss over every block. */
  public static double meanLoss(LocalObjective objective, double[] weights) {
    GradientSum sum = objective.evaluate(weights, 0, false, new Objective.Progress(1, 1, Double.NaN, 0.01));
    return sum.loss() / sum.weightSum();
  }

  /** Trains with the named solver on all rows (tol 0, so exactly maxIter iterations unless stalled). */
  public static double trainedLoss(LocalObjective objective, double[] start, String solver,
      double stepSize, int maxIter) {
    TrainingResult result = TrainingLoop.run(objective, start,
        new TrainingConfig().solver(solver).stepSize(stepSize).maxIter(maxIter).tol(0));
    return meanLoss(objective, result.weights());
  }

  private static List<DataBlock> blocks(float[] features, int width, float[] targets,
      int blockRows) {
    int rows = targets.length;
    List<DataBlock> blocks = new ArrayList<>();
    for (int start = 0; start < rows; start += blockRows) {
      int n = Math.min(blockRows, rows - start);
      float[] weights = new float[n];
      Arrays.fill(weights, 1f);
      blocks.add(new DataBlock(blocks.size(), n, width,
          Arrays.copyOfRange(features, width * start, width * (start + n)), 1,
          Arrays.copyOfRange(targets, start, start + n), weights));
    }
    return blocks;
  }
}
