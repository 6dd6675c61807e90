package io.sparkbackprop.train;

import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.DataBlock;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Optimizer;
import io.sparkbackprop.nn.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training. Each iteration is exactly one Spark job: broadcast the current
 * weights (as float32), let every partition sum the gradient, loss and weight of its (sampled) cached
 * blocks, combine the partial sums with {@code treeAggregate}, and apply the optimizer step on the
 * driver. The result does not depend on the number of partitions beyond floating-point summation order.
 */
public final class DistributedTrainer {
  private static final Logger LOG = LogManager.getLogger(DistributedTrainer.class);

  private DistributedTrainer() {}

  public static TrainingResult train(StackedData data, Network network, double[] initialWeights,
      TrainerConfig config) {
    config.validate();
    if (initialWeights.length != network.paramCount()) {
      throw new IllegalArgumentException("Initial weights have " + initialWeights.length
          + " entries but the network needs " + network.paramCount());
    }
    JavaRDD<DataBlock> blocks = data.blocks();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
    LOG.info("Training {} parameters on {} rows in {} blocks with solver {}; BLAS: {}",
        network.paramCount(), data.summary().rows(), data.summary().blocks(), config.solver(),
        Blas.implementationName());

    double[] weights = initialWeights.clone();
    Optimizer optimizer = Optimizers.create(config.solver(), network.paramCount());
    BlockSampler sampler = new BlockSampler(config.miniBatchFraction(), config.seed());
    ConvergenceCheck convergence = new ConvergenceCheck(config.tol(),
        (int) Math.ceil(1.0 / config.miniBatchFraction()));
    List<Double> history = new ArrayList<>();
    TrainingResult.StopReason reason = TrainingResult.StopReason.MAX_ITER;
    String previousDescription = jsc.getLocalProperty("spark.job.description");
    try {
      for (int iteration = 1; iteration <= config.maxIter(); iteration++) {
        jsc.setJobDescription(String.format(Locale.ROOT, "spark-backprop iteration %d/%d%s",
            iteration, config.maxIter(), history.isEmpty() ? ""
                : String.format(Locale.ROOT, ", loss %.4g", history.get(history.size() - 1))));
        GradientAccumulator sum = aggregate(jsc, blocks, data.blockSize(), network, weights, sampler,
            iteration, config);
        if (sum.weightSum() <= 0) {
          // A sampled iteration can draw no block at all; it simply takes no step.
          continue;
        }
        double loss = sum.loss() / sum.weightSum();
        if (!Double.isFinite(loss)) {
          throw new IllegalStateException(String.format(Locale.ROOT,
              "Training diverged at iteration %d: the loss became %s. Use a smaller stepSize "
                  + "(currently %s) or a different solver.", iteration, loss, config.stepSize()));
        }
        double[] gradient = sum.gradient();
        double scale = 1.0 / sum.weightSum();
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] *= scale;
        }
        history.add(loss);
        if (convergence.isConverged(loss)) {
          reason = TrainingResult.StopReason.CONVERGED;
          break;
        }
        optimizer.step(weights, gradient, config.stepSize(), iteration);
      }
    } finally {
      jsc.setJobDescription(previousDescription);
    }
    double[] objective = history.stream().mapToDouble(Double::doubleValue).toArray();
    LOG.info("Training stopped after {} iterations ({}), final loss {}", objective.length, reason,
        objective.length == 0 ? Double.NaN : objective[objective.length - 1]);
    return new TrainingResult(weights, objective, reason);
  }

  private static GradientAccumulator aggregate(JavaSparkContext jsc, JavaRDD<DataBlock> blocks,
      int capacity, Network network, double[] weights, BlockSampler sampler, int iteration,
      TrainerConfig config) {
    Broadcast<float[]> broadcast = jsc.broadcast(toFloats(weights));
    try {
      return SparkErrors.rethrowingInputErrors(() -> blocks.treeAggregate(new GradientAccumulator(),
          new AddBlock(network, broadcast, sampler, iteration, capacity),
          GradientAccumulator::merge, config.aggregationDepth()));
    } finally {
      broadcast.destroy();
    }
  }

  static float[] toFloats(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }

  /** The per-block step of the aggregation; holds only the network description and a broadcast. */
  private static final class AddBlock
      implements Function2<GradientAccumulator, DataBlock, GradientAccumulator> {
    private static final long serialVersionUID = 1L;

    private final Network network;
    private final Broadcast<float[]> weights;
    private final BlockSampler sampler;
    private final int iteration;
    private final int capacity;

    AddBlock(Network network, Broadcast<float[]> weights, BlockSampler sampler, int iteration,
        int capacity) {
      this.network = network;
      this.weights = weights;
      this.sampler = sampler;
      this.iteration = iteration;
      this.capacity = capacity;
    }

    @Override
    public GradientAccumulator call(GradientAccumulator sum, DataBlock block) {
      if (!sampler.includes(iteration, block.id())) {
        return sum;
      }
      return sum.add(network, weights.value(), block, capacity);
    }
  }
}
