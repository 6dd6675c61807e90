package io.sparkbackprop.testing;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import java.util.Random;

/** Seeded sequence blocks for the recurrent engine tests. */
public final class SequenceFixtures {
  private SequenceFixtures() {}

  /**
   * Row lengths in {@code 1..steps}, the first row full and, with {@code padded}, the others random.
   */
  public static int[] lengths(Random rng, int rows, int steps, boolean padded) {
    int[] lengths = new int[rows];
    for (int j = 0; j < rows; j++) {
      lengths[j] = !padded || j == 0 ? steps : 1 + rng.nextInt(steps);
    }
    return lengths;
  }

  /**
   * A block of {@code rows} sequences of standard normal steps. Padding holds large garbage values
   * (not zeros), so a masking bug shows in losses and gradients.
   *
   * @param classes number of classes for class targets, or 0 for one real target per output
   * @param perStep targets (and weights) per step rather than per sequence
   */
  public static DataBlock numeric(long seed, int rows, int steps, int width, boolean padded,
      int classes, boolean perStep) {
    Random rng = new Random(seed);
    int[] lengths = lengths(rng, rows, steps, padded);
    BatchShape shape = BatchShape.sequences(rows, steps, lengths);
    float[] features = new float[width * rows * steps];
    for (int t = 0; t < steps; t++) {
      for (int j = 0; j < rows; j++) {
        for (int i = 0; i < width; i++) {
          features[(t * rows + j) * width + i] = t < lengths[j]
              ? (float) rng.nextGaussian() : 50f * (rng.nextFloat() - 0.5f);
        }
      }
    }
    return withTargets(rng, shape, width, features, classes, perStep);
  }

  /** The same with token ids in {@code 0..vocabulary-1} (padding holds token 0). */
  public static DataBlock tokens(long seed, int rows, int steps, int vocabulary, boolean padded,
      int classes, boolean perStep) {
    Random rng = new Random(seed);
    int[] lengths = lengths(rng, rows, steps, padded);
    BatchShape shape = BatchShape.sequences(rows, steps, lengths);
    float[] features = new float[rows * steps];
    for (int t = 0; t < steps; t++) {
      for (int j = 0; j < rows; j++) {
        features[t * rows + j] = t < lengths[j] ? rng.nextInt(vocabulary) : 0;
      }
    }
    return withTargets(rng, shape, 1, features, classes, perStep);
  }

  private static DataBlock withTargets(Random rng, BatchShape shape, int width, float[] features,
      int classes, boolean perStep) {
    int rows = shape.rows();
    int columns = perStep ? shape.columns() : rows;
    float[] targets = new float[columns];
    float[] weights = new float[columns];
    for (int c = 0; c < columns; c++) {
      int t = perStep ? c / rows : 0;
      int j = perStep ? c % rows : c;
      boolean valid = shape.isValid(t, j);
      targets[c] = classes > 0 ? rng.nextInt(classes) : (float) rng.nextGaussian();
      weights[c] = valid ? 0.5f + 2f * rng.nextFloat() : 0f;
    }
    return DataBlock.sequences(7, shape, width, features, 1, perStep, targets, weights, false);
  }
}
