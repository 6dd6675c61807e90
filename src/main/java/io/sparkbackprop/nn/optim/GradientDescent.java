package io.sparkbackprop.nn.optim;

import java.util.Map;

/** Plain gradient descent: {@code w -= stepSize * g}. Stateless. */
public final class GradientDescent implements Optimizer {

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    for (int i = 0; i < weights.length; i++) {
      weights[i] -= stepSize * gradient[i];
    }
    return true;
  }

  @Override
  public Map<String, double[]> state() {
    return Map.of();
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("Gradient descent has no state, got " + state.keySet());
    }
  }
}
