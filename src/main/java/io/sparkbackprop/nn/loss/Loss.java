package io.sparkbackprop.nn.loss;

import java.io.Serializable;

/**
 * A loss on the network's raw output (logits for classification, values for regression). It returns
 * the weighted loss summed over the rows and writes its gradient with respect to the output, already
 * multiplied by each row's weight, so the network can backpropagate it directly.
 */
public interface Loss extends Serializable {

  /** Width of the target column(s) each row carries for this loss. */
  int targetWidth(int outputWidth);

  /**
   * @param output network output, {@code width x rows}, column-major
   * @param targets {@code targetWidth(width) x rows}
   * @param weights one instance weight per row
   * @param delta receives dLoss/dOutput times the row weight, {@code width x rows}
   * @return the sum over rows of weight times loss
   */
  double lossAndDelta(float[] output, int width, float[] targets, float[] weights, int rows,
      float[] delta);

  /**
   * The summed weight of rows whose output predicts the target exactly (the argmax class equals the
   * label), for accuracy; NaN for losses without a notion of a correct prediction.
   */
  default double correctWeight(float[] output, int width, float[] targets, float[] weights,
      int rows) {
    return Double.NaN;
  }

  /** Turns raw outputs into the values users see (probabilities, or the prediction) in place. */
  void transformOutput(float[] output, int width, int rows);
}
