package io.sparkbackprop.nn.optim;

import java.io.Serializable;

/**
 * Elastic weight consolidation (Kirkpatrick et al. 2017): a quadratic pull towards the weights of
 * an earlier model, each weight held as firmly as the earlier data determined it, measured by a
 * diagonal Fisher information estimate {@code F}:
 * {@code strength / 2 * sum_i F_i (w_i - anchor_i)^2}. Added on the driver next to the
 * {@link Regularization} penalty, to every parameter (biases too). Immutable.
 */
public final class ElasticConsolidation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double strength;
  private final double[] anchor;
  private final double[] fisher;

  /**
   * @param strength the penalty's weight against the mean training loss (EWC's lambda), >= 0
   * @param anchor the earlier model's weights
   * @param fisher the Fisher information estimate of each of those weights, >= 0
   */
  public ElasticConsolidation(double strength, double[] anchor, double[] fisher) {
    if (!(strength >= 0) || Double.isInfinite(strength)) {
      throw new IllegalArgumentException("consolidation strength must be finite and >= 0, got "
          + strength);
    }
    if (anchor.length != fisher.length) {
      throw new IllegalArgumentException("The anchor has " + anchor.length
          + " weights but the Fisher estimate " + fisher.length);
    }
    for (int i = 0; i < fisher.length; i++) {
      if (!(fisher[i] >= 0) || Double.isInfinite(fisher[i]) || !Double.isFinite(anchor[i])) {
        throw new IllegalArgumentException("Invalid consolidation entry " + i + ": anchor "
            + anchor[i] + ", Fisher information " + fisher[i]);
      }
    }
    this.strength = strength;
    this.anchor = anchor.clone();
    this.fisher = fisher.clone();
  }

  public double strength() {
    return strength;
  }

  /** Number of parameters covered. */
  public int size() {
    return anchor.length;
  }

  /** Adds the penalty's gradient to {@code gradient} and returns the penalty at {@code weights}. */
  public double apply(double[] weights, double[] gradient) {
    if (weights.length != anchor.length || gradient.length != anchor.length) {
      throw new IllegalArgumentException("Consolidation covers " + anchor.length
          + " parameters, the network has " + weights.length);
    }
    if (strength == 0) {
      return 0;
    }
    double penalty = 0;
    for (int i = 0; i < weights.length; i++) {
      double pull = strength * fisher[i] * (weights[i] - anchor[i]);
      penalty += 0.5 * pull * (weights[i] - anchor[i]);
      gradient[i] += pull;
    }
    return penalty;
  }
}
