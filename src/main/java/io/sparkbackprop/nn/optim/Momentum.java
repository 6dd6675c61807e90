package io.sparkbackprop.nn.optim;

/**
 * Gradient descent with heavy-ball momentum (Polyak 1964), in the form of Sutskever et al. 2013,
 * eq. (1)-(2): {@code v = momentum * v - stepSize * g; w = w + v}. The velocity carries the step size
 * of earlier iterations, so a learning-rate schedule changes only the new contribution.
 */
public final class Momentum extends VelocityOptimizer {
  public Momentum(int size, double momentum) {
    super("momentum", size, momentum);
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    for (int i = 0; i < weights.length; i++) {
      double v = momentum * velocity[i] - stepSize * gradient[i];
      velocity[i] = v;
      weights[i] += v;
    }
    return true;
  }
}
