package io.sparkbackprop.ml;

import io.sparkbackprop.nn.optim.Optimizers;
import io.sparkbackprop.nn.optim.schedule.LearningRateSchedules;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The training params every spark-backprop estimator shares (feed-forward and recurrent alike),
 * created for one owner once its uid is known. Java classes cannot inherit Scala's shared-param
 * traits, so each stage holds one of these and exposes the params through {@link TrainingParams}.
 * Names and meanings follow Spark's MultilayerPerceptronClassifier where it has the same param.
 */
public final class TrainingParamSet implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Default of driverTrainingMaxMB: below it, a Spark job per iteration (tens of milliseconds of
   * scheduling) costs more than the iteration's arithmetic. Chosen on the tuning suite (README,
   * "Defaults and how they were chosen").
   */
  static final double DEFAULT_DRIVER_TRAINING_MAX_MB = 32;

  final Param<String> solver;
  final DoubleParam stepSize;
  final IntParam maxIter;
  final DoubleParam tol;
  final IntParam lossPatience;
  final LongParam seed;
  final IntParam blockSize;
  final DoubleParam miniBatchFraction;
  final BooleanParam standardization;
  final DoubleParam regParam;
  final DoubleParam elasticNetParam;
  final DoubleParam momentum;
  final DoubleParam beta1;
  final DoubleParam beta2;
  final DoubleParam epsilon;
  final DoubleParam weightDecay;
  final Param<String> learningRateSchedule;
  final DoubleParam decayRate;
  final IntParam decaySteps;
  final DoubleParam minLearningRateFactor;
  final IntParam warmupIters;
  final DoubleParam maxGradNorm;
  final DoubleParam clipValue;
  final BooleanParam autoStepSize;
  final DoubleArrayParam dropout;
  final Param<String> weightCol;
  final Param<String> validationIndicatorCol;
  final DoubleParam validationFraction;
  final IntParam validationInterval;
  final IntParam earlyStoppingPatience;
  final DoubleParam validationSmoothing;
  final Param<String> initialModelPath;
  final Param<String> checkpointDir;
  final IntParam checkpointInterval;
  final IntParam localSteps;
  final DoubleParam driverTrainingMaxMB;
  final BooleanParam computeFisher;
  final DoubleParam fisherSampleFraction;
  final DoubleParam consolidation;

  TrainingParamSet(Params owner) {
    String uid = owner.uid();
    solver = new Param<>(uid, "solver",
        "optimization algorithm: " + String.join(", ", Optimizers.names()),
        Validators.oneOfIgnoringCase(Optimizers.names()), String.class);
    stepSize = new DoubleParam(owner, "stepSize", "learning rate of the solver (> 0); when unset, the solver's own: 1.0 for gd/sgd, 0.1 for "
            + "momentum, nesterov and adagrad, 0.01 for rmsprop, adam and adamw (l-bfgs ignores it; "
            + "with localSteps > 1 the local SGD step, 0.01)",
        Validators.finiteAbove(0, false));
    maxIter = new IntParam(owner, "maxIter", "maximum number of iterations (>= 0)",
        ParamValidators.gtEq(0));
    tol = new DoubleParam(owner, "tol",
        "convergence tolerance (>= 0; 0 never stops early): with lossPatience 0 the relative "
            + "change of the epoch mean training loss, else the least improvement of its best",
        Validators.finiteAbove(0, true));
    lossPatience = new IntParam(owner, "lossPatience",
        "stop after more than this many epochs in a row whose mean training loss does not "
            + "improve on the best by more than tol (>= 0; 0 = stop on tol's relative change "
            + "instead, MLPC's rule)",
        ParamValidators.gtEq(0));
    seed = new LongParam(owner, "seed", "random seed for weight initialisation and sampling");
    blockSize = new IntParam(owner, "blockSize",
        "rows stacked into one block for matrix operations (> 0)", ParamValidators.gt(0));
    miniBatchFraction = new DoubleParam(owner, "miniBatchFraction",
        "fraction of the training blocks sampled for each iteration, in (0, 1]; when unset, 1 "
            + "(full batch), except for BackpropClassifier: about 2048 rows per iteration",
        ParamValidators.inRange(0, 1, false, true));
    standardization = new BooleanParam(owner, "standardization",
        "whether to standardise each feature to mean 0 and variance 1 inside the network (statistics "
            + "from the training data, applied on the fly, stored with the model)");
    regParam = new DoubleParam(owner, "regParam",
        "regularisation strength on the weights (not biases), >= 0; when unset: 1e-3 for "
            + "BackpropClassifier, 12 / training rows for BackpropRegressor, 0 otherwise", Validators.finiteAbove(0, true));
    elasticNetParam = new DoubleParam(owner, "elasticNetParam",
        "mix of L1 in the penalty, in [0, 1]: 0 is L2 (weight decay), 1 is L1",
        ParamValidators.inRange(0, 1));

    momentum = new DoubleParam(owner, "momentum",
        "momentum coefficient of the momentum and nesterov solvers, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    beta1 = new DoubleParam(owner, "beta1",
        "decay of the first-moment average of adam and adamw, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    beta2 = new DoubleParam(owner, "beta2",
        "decay of the second-moment average of adam and adamw, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    epsilon = new DoubleParam(owner, "epsilon",
        "small constant added to denominators of adagrad, rmsprop, adam and adamw (> 0)",
        Validators.finiteAbove(0, false));
    weightDecay = new DoubleParam(owner, "weightDecay",
        "decoupled weight decay of adamw, per unit step size (>= 0)",
        Validators.finiteAbove(0, true));
    learningRateSchedule = new Param<>(uid, "learningRateSchedule",
        "how the step size changes over iterations: constant, step, exponential, cosine",
        Validators.oneOfIgnoringCase(LearningRateSchedules.names()), String.class);
    decayRate = new DoubleParam(owner, "decayRate",
        "factor the step size is multiplied by: every decaySteps iterations (step) or "
            + "every iteration (exponential), in (0, 1]",
        ParamValidators.inRange(0, 1, false, true));
    decaySteps = new IntParam(owner, "decaySteps",
        "iterations between two decays of the step schedule (>= 1)",
        ParamValidators.gtEq(1));
    minLearningRateFactor = new DoubleParam(owner, "minLearningRateFactor",
        "floor of the cosine schedule as a fraction of stepSize, in [0, 1]",
        ParamValidators.inRange(0, 1));
    warmupIters = new IntParam(owner, "warmupIters",
        "iterations of linear warm-up from 0 to the scheduled step size (>= 0)",
        ParamValidators.gtEq(0));
    maxGradNorm = new DoubleParam(owner, "maxGradNorm",
        "largest allowed Euclidean norm of the gradient; larger gradients are scaled down"
            + " (0 = no limit)",
        Validators.finiteAbove(0, true));
    clipValue = new DoubleParam(owner, "clipValue",
        "largest allowed absolute value of each gradient entry (0 = no limit)",
        Validators.finiteAbove(0, true));
    autoStepSize = new BooleanParam(owner, "autoStepSize",
        "when training diverges, halve the step size and retry from the last good weights"
            + " instead of failing");
    dropout = new DoubleArrayParam(owner, "dropout",
        "dropout rate of the hidden layers during training: one value for all hidden "
            + "layers or one per hidden layer, each in [0, 1); empty for none",
        Validators.dropoutRates());
    weightCol = new Param<>(uid, "weightCol",
        "column of non-negative instance weights; unset or empty means weight 1 for every"
            + " row", String.class);
    validationIndicatorCol = new Param<>(uid, "validationIndicatorCol",
        "boolean column marking rows held out for validation (never trained on)", String.class);
    validationFraction = new DoubleParam(owner, "validationFraction",
        "share of the rows held out at random for validation when there is no "
            + "validationIndicatorCol, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    validationInterval = new IntParam(owner, "validationInterval",
        "compute the validation loss every this many iterations (>= 1)",
        ParamValidators.gtEq(1));
    earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience",
        "stop after this many validation evaluations without a new best validation loss "
            + "and keep the best weights (0 = off)",
        ParamValidators.gtEq(0));
    validationSmoothing = new DoubleParam(owner, "validationSmoothing",
        "weight of the previous average when earlyStoppingPatience counts on an exponential "
            + "average of the validation losses, in [0, 1): 0 counts on each loss; 0.9 averages "
            + "over about ten evaluations, so mini-batch noise neither ends training nor resets "
            + "the count (the kept weights are those of the best single loss)",
        ParamValidators.inRange(0, 1, true, false));
    initialModelPath = new Param<>(uid, "initialModelPath",
        "path of a saved model of the same kind to start from (warm start or resume): its"
            + " weights, scaling and, for the same solver, optimizer state", String.class);
    checkpointDir = new Param<>(uid, "checkpointDir",
        "directory where the model and its training state are saved every "
            + "checkpointInterval iterations (at checkpointDir/latest)", String.class);
    checkpointInterval = new IntParam(owner, "checkpointInterval",
        "iterations between two checkpoints when checkpointDir is set (>= 1)",
        ParamValidators.gtEq(1));
    localSteps = new IntParam(owner, "localSteps",
        "SGD steps each partition takes per iteration before the driver averages the weights "
            + "(>= 1; 1 = exact synchronous gradients, the default)", ParamValidators.gtEq(1));
    driverTrainingMaxMB = new DoubleParam(owner, "driverTrainingMaxMB",
        "training data whose cached blocks take at most this many MiB is collected once and "
            + "trained on the driver, without a Spark job per iteration (same algorithm and "
            + "results up to summation order); >= 0, 0 = always one Spark job per iteration",
        Validators.finiteAbove(0, true));
    computeFisher = new BooleanParam(owner, "computeFisher",
        "after training, estimate the diagonal Fisher information of the weights (one more pass "
            + "over the training rows) and store it with the model, so a later fit can consolidate "
            + "towards it");
    fisherSampleFraction = new DoubleParam(owner, "fisherSampleFraction",
        "share of the training rows (seeded sample) the Fisher information estimate uses, in "
            + "(0, 1]", ParamValidators.inRange(0, 1, false, true));
    consolidation = new DoubleParam(owner, "consolidation",
        "elastic weight consolidation strength (>= 0; 0 = off): when warm-starting from "
            + "initialModelPath, add consolidation / 2 * sum_i F_i (w_i - w0_i)^2, pulling each "
            + "weight towards the initial model's as firmly as its Fisher information F says; the "
            + "initial model must carry a Fisher estimate (computeFisher)",
        Validators.finiteAbove(0, true));
    owner.setDefault(solver, Optimizers.ADAM);
    owner.setDefault(stepSize, 0.01);
    owner.setDefault(maxIter, 100);
    owner.setDefault(tol, 1e-6);
    owner.setDefault(lossPatience, 0);
    owner.setDefault(seed, (long) owner.getClass().getName().hashCode());
    owner.setDefault(blockSize, 128);
    owner.setDefault(miniBatchFraction, 1.0);
    owner.setDefault(standardization, true);
    owner.setDefault(regParam, 0.0);
    owner.setDefault(elasticNetParam, 0.0);
    owner.setDefault(momentum, 0.9);
    owner.setDefault(beta1, 0.9);
    owner.setDefault(beta2, 0.999);
    owner.setDefault(epsilon, 1e-8);
    owner.setDefault(weightDecay, 0.01);
    owner.setDefault(learningRateSchedule, "constant");
    owner.setDefault(minLearningRateFactor, 0.0);
    owner.setDefault(warmupIters, 0);
    owner.setDefault(maxGradNorm, 0.0);
    owner.setDefault(clipValue, 0.0);
    owner.setDefault(autoStepSize, false);
    owner.setDefault(dropout, new double[0]);
    owner.setDefault(validationFraction, 0.0);
    owner.setDefault(validationInterval, 1);
    owner.setDefault(earlyStoppingPatience, 0);
    owner.setDefault(validationSmoothing, 0.0);
    owner.setDefault(checkpointInterval, 10);
    owner.setDefault(localSteps, 1);
    owner.setDefault(driverTrainingMaxMB, DEFAULT_DRIVER_TRAINING_MAX_MB);
    owner.setDefault(computeFisher, false);
    owner.setDefault(fisherSampleFraction, 1.0);
    owner.setDefault(consolidation, 0.0);
  }
}
