package io.sparkbackprop.testing;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.linalg.FloatArrays;
import java.util.Random;

/** Small seeded blocks and parameter vectors for the engine tests. */
public final class EngineFixtures {
  private EngineFixtures() {}

  /** Instance weights spread over [0.5, 2.5), so a dropped or doubled weight shows. */
  public static float[] instanceWeights(Random rng, int rows) {
    float[] w = new float[rows];
    for (int i = 0; i < rows; i++) {
      w[i] = 0.5f + 2f * rng.nextFloat();
    }
    return w;
  }

  public static float[] gaussian(Random rng, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * scale);
    }
    return x;
  }

  /** Rows with standard normal features and class indices in [0, classes). */
  public static DataBlock classificationBlock(long seed, int rows, int inputs, int classes) {
    Random rng = new Random(seed);
    float[] features = gaussian(rng, rows * inputs, 1.0);
    float[] targets = new float[rows];
    for (int j = 0; j < rows; j++) {
      targets[j] = rng.nextInt(classes);
    }
    return new DataBlock(seed, rows, inputs, features, 1, targets, instanceWeights(rng, rows));
  }

  /** Rows with standard normal features and targets {@code center + spread * N(0, 1)}. */
  public static DataBlock regressionBlock(long seed, int rows, int inputs, int outputs, double center,
      double spread) {
    Random rng = new Random(seed);
    float[] features = gaussian(rng, rows * inputs, 1.0);
    float[] targets = new float[rows * outputs];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = (float) (center + spread * rng.nextGaussian());
    }
    return new DataBlock(seed, rows, inputs, features, outputs, targets, instanceWeights(rng, rows));
  }

  /** The network's own initial weights with non-zero biases, so every bias path carries signal. */
  public static float[] params(Network network, long seed) {
    double[] params = network.initialParams(seed);
    Random rng = new Random(seed ^ 0x5DEECE66DL);
    for (int i = 0; i < params.length; i++) {
      params[i] += 0.1 * rng.nextGaussian();
    }
    return FloatArrays.fromDoubles(params);
  }

  /** Whether every entry is finite. */
  public static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
