package io.sparkbackprop.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) with optional decoupled weight decay (AdamW: Loshchilov and
 * Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2): per-weight steps scaled by
 * bias-corrected running averages of the gradient and of its square. The decay shrinks the weights
 * directly instead of being added to the gradient, so it is not rescaled by Adam's per-weight step:
 *
 * <pre>{@code
 * m = beta1 * m + (1 - beta1) * g          mHat = m / (1 - beta1^t)
 * v = beta2 * v + (1 - beta2) * g^2        vHat = v / (1 - beta2^t)
 * w = w - stepSize * (mHat / (sqrt(vHat) + epsilon) + weightDecay * w)
 * }</pre>
 *
 * <p>The paper multiplies the decay by the schedule multiplier only; here, as in PyTorch's AdamW, the
 * decay is scaled by the whole {@code stepSize} (base rate times schedule), so a decayed weight whose
 * gradient is zero shrinks by exactly {@code 1 - stepSize * weightDecay} per step. Solver
 * {@code adam} is this rule with {@code weightDecay = 0}, {@code adamw} with the {@code weightDecay}
 * setting.
 *
 * <p>{@code t} counts this optimizer's own steps (kept in its state as {@code steps}), not the
 * training loop's iteration: a fresh optimizer (after {@code autoStepSize} replaced it, or in a warm
 * start from a model trained with another solver) starts its bias correction at 1, and a restored one
 * continues exactly where it stopped.
 */
public final class Adam implements Optimizer {
  private static final String NAME = "adam";
  private static final String M = "m";
  private static final String V = "v";
  /** The number of steps taken, a length-1 entry of the state. */
  public static final String STEPS = "steps";

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final boolean[] decayed;
  private final double[] m;
  private final double[] v;
  private long steps;

  /** Adam with the paper's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8) and no weight decay. */
  public Adam(int size) {
    this(size, 0.9, 0.999, 1e-8);
  }

  /** Adam without weight decay. */
  public Adam(int size, double beta1, double beta2, double epsilon) {
    this(size, beta1, beta2, epsilon, 0, null);
  }

  /**
   * @param weightDecay decoupled weight decay per unit step size, >= 0
   * @param decayed which entries the decay applies to (the network's weights, not its biases), or
   *     null for every entry
   */
  public Adam(int size, double beta1, double beta2, double epsilon, double weightDecay,
      boolean[] decayed) {
    this.beta1 = OptimizerSettings.decayRate("beta1", beta1);
    this.beta2 = OptimizerSettings.decayRate("beta2", beta2);
    this.epsilon = OptimizerSettings.positive("epsilon", epsilon);
    this.weightDecay = OptimizerSettings.nonNegative("weightDecay", weightDecay);
    if (decayed != null && decayed.length != size) {
      throw new IllegalArgumentException("The decay mask has " + decayed.length
          + " entries but the optimizer " + size);
    }
    this.decayed = decayed == null ? null : decayed.clone();
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
      double decay = decayed == null || decayed[i] ? weightDecay * weights[i] : 0;
      weights[i] -= stepSize * (adamStep + decay);
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

  /**
   * Restores {@code m}, {@code v} and {@code steps}. (States saved before Adam counted its own
   * steps lack {@code steps}; the model reader adds it, see ModelIO.)
   */
  @Override
  public void restoreState(Map<String, double[]> state) {
    OptimizerState.requireKeys(NAME, state, Set.of(M, V, STEPS));
    OptimizerState.copyInto(NAME, state, M, m);
    OptimizerState.copyInto(NAME, state, V, v);
    steps = OptimizerState.integer(NAME, state, STEPS, 0, Integer.MAX_VALUE);
  }
}
