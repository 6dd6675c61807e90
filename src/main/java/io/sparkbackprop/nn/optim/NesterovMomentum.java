package io.sparkbackprop.nn.optim;

/**
 * Nesterov's accelerated gradient as a momentum method (Sutskever et al. 2013, eq. (3)-(4)):
 * {@code v' = momentum * v - stepSize * grad f(theta + momentum * v); theta' = theta + v'}.
 *
 * <p>The gradient must be taken at the look-ahead point {@code theta + momentum * v}, so the weights
 * this optimizer hands back for evaluation are that look-ahead point {@code phi = theta + momentum * v}
 * (the change of variables of Bengio, Boulanger-Lewandowski and Pascanu 2013, sec. 3.5). Substituting
 * gives the update applied here:
 *
 * <pre>{@code v' = momentum * v - stepSize * g;  phi' = phi + momentum * v' - stepSize * g}</pre>
 *
 * where {@code g} is the gradient at {@code phi}. The weights the loop holds, evaluates and finally
 * returns are therefore the look-ahead points; they converge to the same minimum as {@code theta}.
 */
public final class NesterovMomentum extends VelocityOptimizer {
  public NesterovMomentum(int size, double momentum) {
    super("nesterov", size, momentum);
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    for (int i = 0; i < weights.length; i++) {
      double push = stepSize * gradient[i];
      double v = momentum * velocity[i] - push;
      velocity[i] = v;
      weights[i] += momentum * v - push;
    }
    return true;
  }
}
