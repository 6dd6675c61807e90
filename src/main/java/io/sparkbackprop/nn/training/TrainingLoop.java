package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.optim.Optimizer;
import io.sparkbackprop.nn.optim.Optimizers;
import io.sparkbackprop.nn.optim.Regularization;
import io.sparkbackprop.nn.optim.schedule.LearningRateSchedule;
import io.sparkbackprop.nn.optim.schedule.LearningRateSchedules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The optimisation loop, independent of where the data lives. Each iteration evaluates the objective
 * (training gradient plus, every {@code validationInterval} iterations, the validation loss in the same
 * pass), adds the regularisation penalty, checks for divergence, clips the gradient, takes the
 * optimizer step with the scheduled learning rate, records the iteration and decides whether to stop
 * (convergence, early stopping, {@code maxIter}). The distributed trainer and the single-JVM reference
 * run exactly this code.
 */
public final class TrainingLoop {
  /** Consecutive draws that may sample no row at all before training gives up. */
  private static final int MAX_EMPTY_DRAWS = 100;
  /** A loss this many times the first one (or non-finite) counts as divergence. */
  private static final double EXPLOSION_FACTOR = 100;
  /** How often {@code autoStepSize} may halve the step before giving up. */
  private static final int MAX_STEP_HALVINGS = 10;

  private TrainingLoop() {}

  public static TrainingResult run(Objective objective, double[] initialWeights,
      TrainingConfig config) {
    return run(objective, initialWeights, config, null, TrainingListener.NONE, Checkpointer.NONE);
  }

  /**
   * @param resumeFrom state of an earlier run to continue (iteration numbering, sampling and, for the
   *     same solver, optimizer state), or null to start afresh
   */
  public static TrainingResult run(Objective objective, double[] initialWeights,
      TrainingConfig config, TrainingState resumeFrom, TrainingListener listener,
      Checkpointer checkpointer) {
    config.validate();
    Network network = objective.network();
    if (initialWeights.length != network.paramCount()) {
      throw new IllegalArgumentException("Initial weights have " + initialWeights.length
          + " entries but the network needs " + network.paramCount());
    }
    if (config.consolidation() != null && config.consolidation().size() != network.paramCount()) {
      throw new IllegalArgumentException("The consolidation anchor has "
          + config.consolidation().size() + " weights but the network needs "
          + network.paramCount());
    }
    return new TrainingLoop.Run(objective, config, listener, checkpointer)
        .execute(initialWeights, resumeFrom);
  }

  /** The mutable state of one run. */
  private static final class Run {
    private final Objective objective;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final Checkpointer checkpointer;
    private final Regularization regularization;
    private final LearningRateSchedule schedule;
    private Optimizer optimizer;
    private double stepScale = 1;
    private int halvings;
    private double firstLoss = Double.NaN;
    private double bestValidationLoss = Double.POSITIVE_INFINITY;
    private double smoothedValidationLoss = Double.NaN;
    private double bestSmoothedValidationLoss = Double.POSITIVE_INFINITY;
    private double[] bestWeights;
    private int validationsSinceBest;
    private final List<IterationRecord> records = new ArrayList<>();
    private final long start = System.nanoTime();

    Run(Objective objective, TrainingConfig config, TrainingListener listener,
        Checkpointer checkpointer) {
      this.objective = objective;
      this.config = config;
      this.listener = listener;
      this.checkpointer = checkpointer;
      this.regularization = new Regularization(objective.network(), config.regParam(),
          config.elasticNetParam());
      this.schedule = LearningRateSchedules.create(config.schedule(), Math.max(1, config.maxIter()),
          config.scheduleSettings());
      this.optimizer = newOptimizer();
    }

    private Optimizer newOptimizer() {
      return Optimizers.create(config.solver(), objective.network(), config.optimizerSettings());
    }

    TrainingResult execute(double[] initialWeights, TrainingState resumeFrom) {
      double[] weights = initialWeights.clone();
      int iteration = 1;
      int draw = 0;
      ConvergenceCheck convergence = new ConvergenceCheck(config.tol(),
          (int) Math.ceil(1.0 / config.miniBatchFraction()), config.lossPatience());
      double[] lastGood = null;
      if (resumeFrom != null) {
        iteration = resumeFrom.iterationsDone() + 1;
        draw = resumeFrom.draw();
        stepScale = resumeFrom.stepScale();
        halvings = (int) Math.round(-Math.log(stepScale) / Math.log(2));
        if (resumeFrom.continuesOn(config.data())) {
          bestValidationLoss = resumeFrom.bestValidationLoss();
          validationsSinceBest = resumeFrom.validationsSinceBest();
          smoothedValidationLoss = resumeFrom.smoothedValidationLoss();
          bestSmoothedValidationLoss = resumeFrom.bestSmoothedValidationLoss();
          bestWeights = resumeFrom.bestWeights() == null ? null : resumeFrom.bestWeights().clone();
        }
        firstLoss = resumeFrom.firstLoss();
        convergence.restore(resumeFrom.convergence());
        if (Optimizers.canonicalName(resumeFrom.solver())
            .equals(Optimizers.canonicalName(config.solver()))) {
          optimizer.restoreState(resumeFrom.optimizerState());
          if (resumeFrom.nextWeights() != null) {
            weights = resumeFrom.nextWeights().clone();
          }
          if (resumeFrom.lastGoodWeights() != null) {
            lastGood = resumeFrom.lastGoodWeights().clone();
          }
        }
      }
      boolean validating = objective.hasValidation();
      boolean earlyStopping = validating && config.earlyStoppingPatience() > 0;
      if (config.autoStepSize() && lastGood == null) {
        lastGood = weights.clone();
      }
      TrainingResult.StopReason reason = TrainingResult.StopReason.MAX_ITER;
      int emptyDraws = 0;
      while (iteration <= config.maxIter()) {
        boolean validateNow = validating
            && ((iteration - 1) % config.validationInterval() == 0 || iteration == config.maxIter());
        double lastLoss = records.isEmpty() ? Double.NaN : records.get(records.size() - 1).loss();
        double rate = schedule.rate(config.stepSize(), iteration) * stepScale;
        GradientSum sum = objective.evaluate(weights, draw, validateNow,
            new Objective.Progress(iteration, config.maxIter(), lastLoss, rate));
        if (!(sum.weightSum() > 0)) {
          if (++emptyDraws >= MAX_EMPTY_DRAWS) {
            throw new IllegalStateException("miniBatchFraction " + config.miniBatchFraction()
                + " sampled no rows " + MAX_EMPTY_DRAWS + " times in a row; increase it");
          }
          draw++;
          continue;
        }
        emptyDraws = 0;
        double[] gradient = sum.gradient();
        double scale = 1.0 / sum.weightSum();
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] *= scale;
        }
        double loss = sum.loss() * scale + regularization.apply(weights, gradient);
        if (config.consolidation() != null) {
          loss += config.consolidation().apply(weights, gradient);
        }
        double gradientNorm = norm(gradient);
        if (diverged(loss, gradientNorm) && !(optimizer.rejectsBadTrials() && !Double.isNaN(firstLoss))) {
          if (!config.autoStepSize() || halvings >= MAX_STEP_HALVINGS) {
            throw divergence(iteration, loss);
          }
          // Retry from the last accepted weights with half the step and a fresh optimizer: its
          // moments were computed from the exploding gradients.
          halvings++;
          stepScale /= 2;
          weights = lastGood.clone();
          optimizer = newOptimizer();
          draw++;
          continue;
        }
        clip(gradient, gradientNorm);
        // The evaluated point is what convergence and early stopping keep; copying it is cheap
        // next to a Spark job.
        double[] evaluated = weights.clone();
        if (!optimizer.step(weights, loss, gradient, rate, iteration)) {
          continue; // a rejected line-search trial: same iteration, same sample
        }
        draw++;
        if (config.autoStepSize()) {
          lastGood = evaluated;
        }
        if (Double.isNaN(firstLoss)) {
          firstLoss = loss;
        }
        IterationRecord record = record(iteration, loss, sum, validateNow, rate, gradientNorm);
        listener.onIteration(record);
        if (validateNow && earlyStopping && observeValidation(record.validationLoss(), evaluated)) {
          reason = TrainingResult.StopReason.EARLY_STOPPED;
          break;
        }
        if (convergence.isConverged(loss)) {
          weights = evaluated;
          reason = TrainingResult.StopReason.CONVERGED;
          break;
        }
        if (config.checkpointInterval() > 0 && iteration % config.checkpointInterval() == 0) {
          double[] model = optimizer.finalWeights(weights);
          checkpointer.checkpoint(model, state(iteration, draw, weights, model, lastGood,
              convergence));
        }
        iteration++;
      }
      int done = Math.min(iteration, config.maxIter());
      double[] kept = reason == TrainingResult.StopReason.CONVERGED
          ? weights : optimizer.finalWeights(weights);
      if (earlyStopping && bestWeights != null) {
        kept = bestWeights;
      }
      TrainingState finalState = state(done, draw, weights, kept, lastGood, convergence);
      for (double w : kept) {
        if (!Double.isFinite(w) || Math.abs(w) > Float.MAX_VALUE) {
          throw divergence(done, w);
        }
      }
      return new TrainingResult(kept.clone(), records, reason, finalState);
    }

    private boolean diverged(double loss, double gradientNorm) {
      return !Double.isFinite(loss) || !Double.isFinite(gradientNorm)
          || (!Double.isNaN(firstLoss) && loss > EXPLOSION_FACTOR * Math.max(firstLoss, 1e-3));
    }

    private IllegalStateException divergence(int iteration, double value) {
      return new IllegalStateException(String.format(Locale.ROOT,
          "Training diverged at iteration %d (loss or weights reached %s). Use a smaller stepSize "
              + "(currently %s), gradient clipping (maxGradNorm) or set autoStepSize to halve the "
              + "step automatically.", iteration, value, config.stepSize() * stepScale));
    }

    private void clip(double[] gradient, double norm) {
      if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
        double factor = config.maxGradNorm() / norm;
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] *= factor;
        }
      }
      double limit = config.clipValue();
      if (limit > 0) {
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] = Math.max(-limit, Math.min(limit, gradient[i]));
        }
      }
    }

    private IterationRecord record(int iteration, double loss, GradientSum sum, boolean validated,
        double rate, double gradientNorm) {
      double validationLoss = Double.NaN;
      double validationAccuracy = Double.NaN;
      if (validated && sum.validationWeight() > 0) {
        validationLoss = sum.validationLoss() / sum.validationWeight();
        validationAccuracy = sum.validationCorrect() / sum.validationWeight();
      }
      IterationRecord record = new IterationRecord(iteration, loss, validationLoss,
          validationAccuracy, rate, gradientNorm, (System.nanoTime() - start) / 1_000_000);
      records.add(record);
      return record;
    }

    /**
     * Keeps the weights of the best validation loss and counts patience on the (smoothed)
     * validation loss; true when patience is exhausted.
     */
    private boolean observeValidation(double validationLoss, double[] evaluated) {
      if (Double.isNaN(validationLoss)) {
        return false;
      }
      if (validationLoss < bestValidationLoss) {
        bestValidationLoss = validationLoss;
        bestWeights = evaluated;
      }
      double weight = config.validationSmoothing();
      smoothedValidationLoss = Double.isNaN(smoothedValidationLoss) ? validationLoss
          : weight * smoothedValidationLoss + (1 - weight) * validationLoss;
      if (smoothedValidationLoss < bestSmoothedValidationLoss) {
        bestSmoothedValidationLoss = smoothedValidationLoss;
        validationsSinceBest = 0;
        return false;
      }
      return ++validationsSinceBest >= config.earlyStoppingPatience();
    }

    /**
     * @param current the point to evaluate next
     * @param model the weights the model saved with this state holds; the state carries
     *     {@code current} as its next weights when they differ
     */
    private TrainingState state(int iterationsDone, int draw, double[] current, double[] model,
        double[] lastGood, ConvergenceCheck convergence) {
      double[] next = java.util.Arrays.equals(model, current) ? null : current;
      return new TrainingState(config.solver(), iterationsDone, draw, optimizer.state(), next,
          stepScale, bestValidationLoss, validationsSinceBest, bestWeights, lastGood, firstLoss,
          convergence.state(), smoothedValidationLoss, bestSmoothedValidationLoss, config.data());
    }
  }

  private static double norm(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }
}
