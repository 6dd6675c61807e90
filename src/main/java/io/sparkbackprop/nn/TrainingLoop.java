package io.sparkbackprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The optimisation loop, independent of where the data lives: evaluate the objective, normalise by the
 * total row weight, let the optimizer move the weights, record the loss, stop on convergence or
 * {@code maxIter}. The distributed trainer and the single-JVM reference run exactly this code.
 */
public final class TrainingLoop {
  /** Consecutive draws that may sample no row at all before training gives up. */
  private static final int MAX_EMPTY_DRAWS = 100;

  private TrainingLoop() {}

  public static TrainingResult run(Objective objective, double[] initialWeights,
      TrainingConfig config) {
    config.validate();
    Regularization regularization = new Regularization(objective.network(), config.regParam(),
        config.elasticNetParam());
    double[] weights = initialWeights.clone();
    Optimizer optimizer = Optimizers.create(config.solver(), weights.length);
    ConvergenceCheck convergence = new ConvergenceCheck(config.tol(),
        (int) Math.ceil(1.0 / config.miniBatchFraction()));
    List<Double> history = new ArrayList<>();
    TrainingResult.StopReason reason = TrainingResult.StopReason.MAX_ITER;
    int draw = 0;
    int emptyDraws = 0;
    int iteration = 1;
    while (iteration <= config.maxIter()) {
      double lastLoss = history.isEmpty() ? Double.NaN : history.get(history.size() - 1);
      GradientSum sum = objective.evaluate(weights, draw++,
          new Objective.Progress(iteration, config.maxIter(), lastLoss));
      if (!(sum.weightSum() > 0)) {
        if (++emptyDraws >= MAX_EMPTY_DRAWS) {
          throw new IllegalStateException("miniBatchFraction " + config.miniBatchFraction()
              + " sampled no rows " + MAX_EMPTY_DRAWS + " times in a row; increase it");
        }
        continue;
      }
      emptyDraws = 0;
      double[] gradient = sum.gradient();
      double scale = 1.0 / sum.weightSum();
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= scale;
      }
      double loss = sum.loss() * scale + regularization.apply(weights, gradient);
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "Training diverged at iteration %d: the loss became %s. Use a smaller stepSize "
                + "(currently %s) or a different solver.", iteration, loss, config.stepSize()));
      }
      boolean accepted;
      double[] evaluated = weights.clone();
      accepted = optimizer.step(weights, loss, gradient, config.stepSize(), iteration);
      if (!accepted) {
        continue;
      }
      history.add(loss);
      if (convergence.isConverged(loss)) {
        weights = evaluated;
        reason = TrainingResult.StopReason.CONVERGED;
        break;
      }
      iteration++;
    }
    if (reason == TrainingResult.StopReason.MAX_ITER) {
      weights = optimizer.finalWeights(weights);
    }
    double[] objectiveHistory = history.stream().mapToDouble(Double::doubleValue).toArray();
    return new TrainingResult(weights, objectiveHistory, reason);
  }

}
