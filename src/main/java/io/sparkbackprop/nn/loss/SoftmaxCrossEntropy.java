package io.sparkbackprop.nn.loss;

import io.sparkbackprop.nn.linalg.FloatArrays;

/**
 * Softmax followed by cross-entropy, fused so that large logits never overflow: the loss is computed as
 * {@code logSumExp(z) - z[y]} after subtracting the column maximum. Used for every classifier, two
 * classes included (a two-way softmax equals a sigmoid on the logit difference). Targets are class
 * indices.
 */
public final class SoftmaxCrossEntropy implements Loss {
  private static final long serialVersionUID = 1L;

  private final float[] classWeights;

  /** Every class weighs the same. */
  public SoftmaxCrossEntropy() {
    this(null);
  }

  /**
   * @param classWeights multiplies each row's weight by the weight of its class (for imbalanced
   *     classes); null for none
   */
  public SoftmaxCrossEntropy(double[] classWeights) {
    if (classWeights != null) {
      for (double w : classWeights) {
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException("Class weights must be finite and >= 0, got "
              + java.util.Arrays.toString(classWeights));
        }
      }
    }
    this.classWeights = classWeights == null ? null : FloatArrays.fromDoubles(classWeights);
  }

  @Override
  public int targetWidth(int outputWidth) {
    return 1;
  }

  @Override
  public double lossAndDelta(float[] output, int width, float[] targets, float[] weights, int rows,
      float[] delta) {
    double total = 0;
    for (int j = 0; j < rows; j++) {
      int base = j * width;
      if (weights[j] == 0) {
        // A row of weight 0 takes no part: no loss, no gradient, whatever its label.
        java.util.Arrays.fill(delta, base, base + width, 0f);
        continue;
      }
      int label = (int) targets[j];
      if (label < 0 || label >= width || label != targets[j]) {
        throw new IllegalArgumentException("Class label " + targets[j] + " is not an index in 0.."
            + (width - 1));
      }
      float max = output[base];
      for (int i = 1; i < width; i++) {
        max = Math.max(max, output[base + i]);
      }
      double sum = 0;
      for (int i = 0; i < width; i++) {
        double e = Math.exp(output[base + i] - max);
        delta[base + i] = (float) e;
        sum += e;
      }
      double logSumExp = max + Math.log(sum);
      if (classWeights != null && label >= classWeights.length) {
        throw new IllegalArgumentException("Class label " + label + " has no class weight ("
            + classWeights.length + " given)");
      }
      float w = classWeights == null ? weights[j] : weights[j] * classWeights[label];
      total += w * (logSumExp - output[base + label]);
      float scale = (float) (w / sum);
      for (int i = 0; i < width; i++) {
        delta[base + i] *= scale;
      }
      delta[base + label] -= w;
    }
    return total;
  }

  @Override
  public double correctWeight(float[] output, int width, float[] targets, float[] weights,
      int rows) {
    double correct = 0;
    for (int j = 0; j < rows; j++) {
      if (weights[j] == 0) {
        continue;
      }
      int base = j * width;
      int best = 0;
      for (int i = 1; i < width; i++) {
        if (output[base + i] > output[base + best]) {
          best = i;
        }
      }
      if (best == (int) targets[j]) {
        correct += weights[j];
      }
    }
    return correct;
  }

  @Override
  public void transformOutput(float[] output, int width, int rows) {
    softmaxInPlace(output, 0, width, rows);
  }

  /** Column-wise softmax of {@code rows} columns of {@code width}, starting at {@code offset}. */
  public static void softmaxInPlace(float[] values, int offset, int width, int rows) {
    for (int j = 0; j < rows; j++) {
      int base = offset + j * width;
      float max = values[base];
      for (int i = 1; i < width; i++) {
        max = Math.max(max, values[base + i]);
      }
      double sum = 0;
      for (int i = 0; i < width; i++) {
        double e = Math.exp(values[base + i] - max);
        values[base + i] = (float) e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int i = 0; i < width; i++) {
        values[base + i] *= inv;
      }
    }
  }

  /** Softmax of a double vector in place, shifted by its maximum so large values cannot overflow. */
  public static void softmaxInPlace(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(values[i] - max);
      sum += values[i];
    }
    for (int i = 0; i < values.length; i++) {
      values[i] /= sum;
    }
  }
}
