package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.training.FisherSum;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One distributed pass that estimates the diagonal Fisher information of a network's weights on
 * cached training blocks (see {@link FisherSum}): broadcast the weights, let every task sum the
 * squared per-example gradients of its blocks, add the tasks' sums with {@code treeAggregate}.
 */
public final class FisherEstimation {
  private FisherEstimation() {}

  /** The result of a pass: the estimate and how many examples (of what total weight) it used. */
  public record Estimate(double[] fisher, long examples, double weight) {}

  /**
   * @param fraction share of the training examples used, in (0, 1]
   * @param seed picks the sample
   */
  public static Estimate estimate(StackedData data, Network network, double[] weights,
      double fraction, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fisherSampleFraction must be in (0, 1], got " + fraction);
    }
    JavaRDD<DataBlock> blocks = data.blocks();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
    String previous = jsc.getLocalProperty("spark.job.description");
    jsc.setJobDescription("spark-backprop Fisher information estimate");
    Broadcast<float[]> broadcast = jsc.broadcast(FloatArrays.fromDoubles(weights));
    try {
      FisherSum sum = SparkErrors.rethrowingInputErrors(() -> blocks.treeAggregate(new FisherSum(),
          (partial, block) -> partial.add(network, broadcast.value(), block, fraction, seed),
          FisherSum::merge, 2));
      double[] mean = sum.mean();
      if (mean == null) {
        throw new IllegalArgumentException("The Fisher information estimate found no training row"
            + " with a positive weight" + (fraction < 1 ? " in its sample (fisherSampleFraction "
            + fraction + ")" : ""));
      }
      return new Estimate(mean, sum.examples(), sum.weight());
    } finally {
      broadcast.destroy();
      jsc.setJobDescription(previous);
    }
  }
}
