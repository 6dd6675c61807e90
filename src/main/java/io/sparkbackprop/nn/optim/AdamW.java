package io.sparkbackprop.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2). The decay shrinks the weights directly instead of being added to the
 * gradient, so it is not rescaled by Adam's per-weight step:
 *
 * <pre>{@code
 * m = beta1 * m + (1 - beta1) * g          mHat = m / (1 - beta1^t)
 * v = beta2 * v + (1 - beta2) * g^2        vHat = v / (1 - beta2^t)
 * w = w - stepSize * (mHat / (sqrt(vHat) + epsilon) + weightDecay * w)
 * }</pre>
 *
 * <p>The paper multiplies the decay by the schedule multiplier only; here, as in PyTorch's AdamW, the
 * decay is scaled by the whole {@code stepSize} (base rate times schedule), so a weight whose gradient
 * is zero shrinks by exactly {@code 1 - stepSize * weightDecay} per step. The decay applies to every
 * entry of the flat weight vector, biases included. With {@code weightDecay = 0} this is Adam.
 *
 * <p>{@code t} counts this optimizer's own steps (kept in its state), not the {@code iteration}
 * argument, so a restored optimizer continues its bias correction exactly where it stopped.
 */
public final class AdamW implements Optimizer {
  private static final String NAME = "adamw";
  private static final String M = "m";
  private static final String V = "v";
  private static final String STEPS = "steps";

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final double[] m;
  private final double[] v;
  private long steps;

  public AdamW(int size, double beta1, double beta2, double epsilon, double weightDecay) {
    this.beta1 = OptimizerSettings.decayRate("beta1", beta1);
    this.beta2 = OptimizerSettings.decayRate("beta2", beta2);
    this.epsilon = OptimizerSettings.positive("epsilon", epsilon);
    this.weightDecay = OptimizerSettings.nonNegative("weightDecay", weightDecay);
    this.m = new double[size];
    this.v = new double[size];
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    steps++;
    double correction1 = 1 / (1 - Math.pow(beta1, steps));
    double correction2 = 1 / (1 - Math.pow(beta2, steps));
    for (int i = 0; i < weights.length; i++) {
      double g = gradient[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      double adamStep = mi * correction1 / (Math.sqrt(vi * correction2) + epsilon);
      weights[i] -= stepSize * (adamStep + weightDecay * weights[i]);
    }
    return true;
  }

  /** A snapshot: moments {@code m}, {@code v} and the step count {@code steps}. */
  @Override
  public Map<String, double[]> state() {
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put(M, m.clone());
    state.put(V, v.clone());
    state.put(STEPS, new double[] {steps});
    return state;
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    OptimizerState.requireKeys(NAME, state, Set.of(M, V, STEPS));
    OptimizerState.copyInto(NAME, state, M, m);
    OptimizerState.copyInto(NAME, state, V, v);
    steps = OptimizerState.integer(NAME, state, STEPS, 0, Integer.MAX_VALUE);
  }
}
