package io.sparkbackprop.nn.optim;

import java.util.Map;
import java.util.Set;

/**
 * RMSProp (Tieleman and Hinton 2012, Coursera lecture 6.5): each weight's step is divided by the root
 * of a running mean of its squared gradients,
 * {@code s = decay * s + (1 - decay) * g^2; w -= stepSize * g / (sqrt(s) + epsilon)}. Unlike AdaGrad
 * the statistic forgets old gradients, so steps do not shrink to zero. The mean starts at zero without
 * bias correction (as in the lecture and in PyTorch), so early steps are larger than
 * {@code stepSize}: the first one is {@code stepSize / sqrt(1 - decay)} per weight.
 */
public final class RmsProp implements Optimizer {
  private static final String NAME = "rmsprop";
  private static final String MEAN_SQUARE = "meanSquare";

  private final double decay;
  private final double epsilon;
  private final double[] meanSquare;

  public RmsProp(int size, double decay, double epsilon) {
    this.decay = OptimizerSettings.decayRate("rmspropDecay", decay);
    this.epsilon = OptimizerSettings.positive("epsilon", epsilon);
    this.meanSquare = new double[size];
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    double keep = decay;
    double mix = 1 - decay;
    for (int i = 0; i < weights.length; i++) {
      double g = gradient[i];
      double s = keep * meanSquare[i] + mix * g * g;
      meanSquare[i] = s;
      weights[i] -= stepSize * g / (Math.sqrt(s) + epsilon);
    }
    return true;
  }

  /** A snapshot: {@code meanSquare}. */
  @Override
  public Map<String, double[]> state() {
    return Map.of(MEAN_SQUARE, meanSquare.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    OptimizerState.requireKeys(NAME, state, Set.of(MEAN_SQUARE));
    OptimizerState.copyInto(NAME, state, MEAN_SQUARE, meanSquare);
  }
}
