package io.sparkbackprop.nn.optim;

import java.util.Map;
import java.util.Set;

/**
 * AdaGrad (Duchi, Hazan and Singer 2011, diagonal version): each weight's step is divided by the root
 * of the sum of all its past squared gradients,
 * {@code G += g^2; w -= stepSize * g / (sqrt(G) + epsilon)}. Steps shrink as gradients accumulate, so
 * rarely updated weights keep larger steps.
 */
public final class AdaGrad implements Optimizer {
  private static final String NAME = "adagrad";
  private static final String SUM_OF_SQUARES = "sumOfSquares";

  private final double epsilon;
  private final double[] sumOfSquares;

  public AdaGrad(int size, double epsilon) {
    this.epsilon = OptimizerSettings.positive("epsilon", epsilon);
    this.sumOfSquares = new double[size];
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    for (int i = 0; i < weights.length; i++) {
      double g = gradient[i];
      double sum = sumOfSquares[i] + g * g;
      sumOfSquares[i] = sum;
      weights[i] -= stepSize * g / (Math.sqrt(sum) + epsilon);
    }
    return true;
  }

  /** A snapshot: {@code sumOfSquares}. */
  @Override
  public Map<String, double[]> state() {
    return Map.of(SUM_OF_SQUARES, sumOfSquares.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    OptimizerState.requireKeys(NAME, state, Set.of(SUM_OF_SQUARES));
    OptimizerState.copyInto(NAME, state, SUM_OF_SQUARES, sumOfSquares);
  }
}
