package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.linalg.Blas;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.training.BlockEvaluation;
import io.sparkbackprop.nn.training.Checkpointer;
import io.sparkbackprop.nn.training.GradientSum;
import io.sparkbackprop.nn.training.LocalObjective;
import io.sparkbackprop.nn.training.LocalSteps;
import io.sparkbackprop.nn.training.Objective;
import io.sparkbackprop.nn.training.PrescaledInput;
import io.sparkbackprop.nn.training.TrainingConfig;
import io.sparkbackprop.nn.training.TrainingListener;
import io.sparkbackprop.nn.training.TrainingLoop;
import io.sparkbackprop.nn.training.TrainingResult;
import io.sparkbackprop.nn.training.TrainingState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training. Each evaluation of the objective is exactly one Spark job:
 * broadcast the current weights (as float32), let every partition sum the gradient, loss and weight of
 * its (sampled) cached blocks, and combine the partial sums with {@code treeAggregate}. The driver-side
 * loop ({@link TrainingLoop}) is the same one the single-JVM reference runs, so full-batch results
 * without dropout or a random hold-out do not depend on the number of partitions beyond
 * floating-point summation order (sampled blocks, dropout masks and the hold-out are seeded by
 * partition and position, so those depend on the partitioning too).
 */
public final class DistributedTrainer {
  private static final Logger LOG = LogManager.getLogger(DistributedTrainer.class);

  private DistributedTrainer() {}

  /**
   * Threads that sum the gradient when training on the driver: the driver's cores (in a container,
   * its CPU limit), at most 8 (small data gains nothing from more).
   */
  private static final int DRIVER_THREADS = Math.min(8, Runtime.getRuntime().availableProcessors());

  /** Iterations between two progress lines in the log. */
  private static final int LOG_EVERY = 10;

  public static TrainingResult train(StackedData data, Network network, double[] initialWeights,
      TrainingConfig config) {
    return train(data, network, initialWeights, config, null, TrainingListener.NONE,
        Checkpointer.NONE);
  }

  /**
   * @param resumeFrom state of an earlier run to continue, or null
   * @param listener called on the driver after every iteration
   * @param checkpointer called every {@code checkpointInterval} iterations
   */
  public static TrainingResult train(StackedData data, Network network, double[] initialWeights,
      TrainingConfig config, TrainingState resumeFrom, TrainingListener listener,
      Checkpointer checkpointer) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.blocks().context());
    LOG.info("Training {} parameters on {} rows ({} validation rows) in {} blocks with solver {}; "
            + "driver BLAS: {}; executor BLAS: {}", network.paramCount(), data.summary().rows(),
        data.summary().validationRows(), data.summary().blocks(), config.solver(),
        Blas.implementationName(), data.summary().executorBlas());
    if (data.summary().executorBlasIsSlow()) {
      LOG.warn("Executors run a slow BLAS path, training will be many times slower: {}",
          data.summary().executorBlas());
    }
    String previousDescription = jsc.getLocalProperty("spark.job.description");
    TrainingListener logging = record -> {
      if (record.iteration() % LOG_EVERY == 0 || record.iteration() == config.maxIter()) {
        LOG.info("iteration {}/{}: loss {}{}, step {}, |gradient| {}", record.iteration(),
            config.maxIter(), String.format(Locale.ROOT, "%.6g", record.loss()),
            Double.isNaN(record.validationLoss()) ? ""
                : String.format(Locale.ROOT, ", validation loss %.6g", record.validationLoss()),
            String.format(Locale.ROOT, "%.3g", record.stepSize()),
            String.format(Locale.ROOT, "%.3g", record.gradientNorm()));
      }
      listener.onIteration(record);
    };
    try {
      boolean onDriver = trainsOnDriver(data, config);
      if (!onDriver) {
        jsc.setJobDescription("spark-backprop: spread the training blocks over the task slots");
        data.spreadOverTaskSlots();
      }
      JavaRDD<DataBlock> blocks = data.blocks();
      BlockSampler sampler = new BlockSampler(config.miniBatchFraction(), config.seed());
      boolean hasValidation = data.summary().validationRows() > 0;
      Objective objective;
      if (onDriver) {
        LOG.info("Training on the driver: the {} of training blocks are within "
            + "driverTrainingMaxMB ({}), where a Spark job per iteration would cost more than the "
            + "computation", mib(data.summary().bytes()), mib(config.driverTrainingMaxBytes()));
        jsc.setJobDescription("spark-backprop: collect " + data.summary().blocks()
            + " blocks to train on the driver");
        PrescaledInput local = PrescaledInput.of(network, blocks.collect());
        objective = new LocalObjective(local.network(), local.blocks(), sampler, DRIVER_THREADS);
      } else if (config.localSteps() > 1) {
        objective = new LocalStepsObjective(jsc, blocks, data.blockSize(), network, sampler,
            config.aggregationDepth(), hasValidation, config.localSteps());
      } else {
        objective = new GradientObjective(jsc, blocks, data.blockSize(), network, sampler,
            config.aggregationDepth(), hasValidation);
      }
      TrainingResult result;
      try {
        result = TrainingLoop.run(objective, initialWeights, config, resumeFrom, logging,
            checkpointer);
      } finally {
        if (objective instanceof LocalObjective local) {
          local.close();
        }
      }
      LOG.info("Training stopped after {} iterations ({})", result.totalIterations(),
          result.stopReason());
      double[] history = result.objectiveHistory();
      if (history.length > 1 && !(history[history.length - 1] < history[0])) {
        LOG.warn("Training did not reduce the loss ({} at the first iteration, {} at the last); "
            + "the step size ({}) may be too large or too small", history[0],
            history[history.length - 1], config.stepSize());
      }
      return result;
    } finally {
      jsc.setJobDescription(previousDescription);
    }
  }

  /**
   * Small data trains on the driver: the same loop and the same sums (only the summation order
   * differs), without the tens of milliseconds a Spark job costs per iteration. Local steps are a
   * per-partition algorithm, so they always run distributed.
   */
  static boolean trainsOnDriver(StackedData data, TrainingConfig config) {
    return config.localSteps() == 1 && config.driverTrainingMaxBytes() > 0
        && data.summary().bytes() <= config.driverTrainingMaxBytes();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /**
   * An objective evaluated by one Spark job over the cached blocks: set the job description,
   * broadcast the weights as float32, run the job, destroy the broadcast.
   */
  private abstract static class SparkJobObjective implements Objective {
    final JavaSparkContext jsc;
    final JavaRDD<DataBlock> blocks;
    final int capacity;
    final Network network;
    final BlockSampler sampler;
    final int depth;
    private final boolean hasValidation;

    SparkJobObjective(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int capacity, Network network,
        BlockSampler sampler, int depth, boolean hasValidation) {
      this.jsc = jsc;
      this.blocks = blocks;
      this.capacity = capacity;
      this.network = network;
      this.sampler = sampler;
      this.depth = depth;
      this.hasValidation = hasValidation;
    }

    @Override
    public Network network() {
      return network;
    }

    @Override
    public boolean hasValidation() {
      return hasValidation;
    }

    @Override
    public GradientSum evaluate(double[] weights, int draw, boolean validate, Progress progress) {
      jsc.setJobDescription(String.format(Locale.ROOT, "spark-backprop iteration %d/%d%s",
          progress.iteration(), progress.maxIter(), Double.isNaN(progress.lastLoss()) ? ""
              : String.format(Locale.ROOT, ", loss %.4g", progress.lastLoss())));
      Broadcast<float[]> broadcast = jsc.broadcast(FloatArrays.fromDoubles(weights));
      try {
        return SparkErrors.rethrowingInputErrors(() -> run(broadcast, draw, validate, progress));
      } finally {
        broadcast.destroy();
      }
    }

    /** The job itself. */
    abstract GradientSum run(Broadcast<float[]> weights, int draw, boolean validate,
        Progress progress);
  }

  /** Exact gradients: every task sums its (sampled) blocks, treeAggregate combines the sums. */
  private static final class GradientObjective extends SparkJobObjective {
    GradientObjective(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int capacity,
        Network network, BlockSampler sampler, int depth, boolean hasValidation) {
      super(jsc, blocks, capacity, network, sampler, depth, hasValidation);
    }

    @Override
    GradientSum run(Broadcast<float[]> weights, int draw, boolean validate, Progress progress) {
      return blocks.treeAggregate(new GradientSum(),
          new AddBlock(network, weights, sampler, draw, validate, capacity), GradientSum::merge,
          depth);
    }
  }

  /**
   * Opt-in local steps: every partition takes {@code steps} SGD steps from the broadcast weights
   * (see {@link LocalSteps}) and the weighted pseudo-gradients are summed with treeReduce.
   */
  private static final class LocalStepsObjective extends SparkJobObjective {
    private final int steps;

    LocalStepsObjective(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int capacity,
        Network network, BlockSampler sampler, int depth, boolean hasValidation, int steps) {
      super(jsc, blocks, capacity, network, sampler, depth, hasValidation);
      this.steps = steps;
    }

    @Override
    GradientSum run(Broadcast<float[]> weights, int draw, boolean validate, Progress progress) {
      LocalRound round = new LocalRound(network, weights, sampler, draw, validate, capacity, steps,
          progress.stepSize());
      return blocks.mapPartitionsWithIndex(round, false).treeReduce(GradientSum::merge, depth);
    }
  }

  /** A partition's local-steps round; holds only the network description and a broadcast. */
  private static final class LocalRound
      implements Function2<Integer, Iterator<DataBlock>, Iterator<GradientSum>> {
    private static final long serialVersionUID = 1L;

    private final Network network;
    private final Broadcast<float[]> weights;
    private final BlockSampler sampler;
    private final int draw;
    private final boolean validate;
    private final int capacity;
    private final int steps;
    private final double stepSize;

    LocalRound(Network network, Broadcast<float[]> weights, BlockSampler sampler, int draw,
        boolean validate, int capacity, int steps, double stepSize) {
      this.network = network;
      this.weights = weights;
      this.sampler = sampler;
      this.draw = draw;
      this.validate = validate;
      this.capacity = capacity;
      this.steps = steps;
      this.stepSize = stepSize;
    }

    @Override
    public Iterator<GradientSum> call(Integer partition, Iterator<DataBlock> partitionBlocks) {
      List<DataBlock> list = new ArrayList<>();
      partitionBlocks.forEachRemaining(list::add);
      return List.of(LocalSteps.round(network, list, weights.value(), steps, stepSize, sampler, draw,
          partition, validate, capacity)).iterator();
    }
  }

  /** The per-block step of the aggregation; holds only the network description and a broadcast. */
  private static final class AddBlock implements Function2<GradientSum, DataBlock, GradientSum> {
    private static final long serialVersionUID = 1L;

    private final Network network;
    private final Broadcast<float[]> weights;
    private final BlockSampler sampler;
    private final int draw;
    private final boolean validate;
    private final int capacity;

    AddBlock(Network network, Broadcast<float[]> weights, BlockSampler sampler, int draw,
        boolean validate, int capacity) {
      this.validate = validate;
      this.network = network;
      this.weights = weights;
      this.sampler = sampler;
      this.draw = draw;
      this.capacity = capacity;
    }

    @Override
    public GradientSum call(GradientSum sum, DataBlock block) {
      return BlockEvaluation.add(sum, network, weights.value(), block, capacity, sampler, draw,
          validate);
    }
  }
}
