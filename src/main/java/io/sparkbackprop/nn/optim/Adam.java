package io.sparkbackprop.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1): per-weight steps scaled by bias-corrected running averages of
 * the gradient and of its square.
 */
public final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double[] m;
  private final double[] v;

  public Adam(int size) {
    this(size, 0.9, 0.999, 1e-8);
  }

  public Adam(int size, double beta1, double beta2, double epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, got "
          + beta1 + ", " + beta2 + ", " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new double[size];
    this.v = new double[size];
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    double correction1 = 1 - Math.pow(beta1, iteration);
    double correction2 = 1 - Math.pow(beta2, iteration);
    double scaledStep = stepSize * Math.sqrt(correction2) / correction1;
    double scaledEpsilon = epsilon * Math.sqrt(correction2);
    for (int i = 0; i < weights.length; i++) {
      double g = gradient[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      weights[i] -= scaledStep * m[i] / (Math.sqrt(v[i]) + scaledEpsilon);
    }
    return true;
  }

  @Override
  public Map<String, double[]> state() {
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put("m", m.clone());
    state.put("v", v.clone());
    return state;
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    copyInto("m", state, m);
    copyInto("v", state, v);
  }

  private static void copyInto(String name, Map<String, double[]> state, double[] target) {
    double[] source = state.get(name);
    if (source == null || source.length != target.length) {
      throw new IllegalArgumentException("Adam state '" + name + "' missing or of wrong size");
    }
    System.arraycopy(source, 0, target, 0, target.length);
  }
}
