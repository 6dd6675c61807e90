package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.linalg.FloatArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The objective over blocks held in this JVM: the single-machine reference the distributed trainer is
 * tested against, and how small data trains on the driver without a Spark job per iteration. Blocks
 * marked as validation blocks are evaluated, never trained on.
 *
 * <p>With {@code threads} > 1 each evaluation deals the blocks it uses (the training blocks its
 * draw samples, and the validation blocks when it validates) round-robin into that many stripes,
 * each summed by its own thread, and adds the stripes' sums in stripe order, so a run is
 * reproducible for a given thread count (like partitions, the count changes only the summation
 * order). Dealing the sampled blocks, not all blocks, keeps the threads evenly loaded: a fixed
 * split of sampled mini-batches would leave one thread with more of them in most iterations.
 * Close the objective to stop its threads.
 */
public final class LocalObjective implements Objective, AutoCloseable {
  private final Network network;
  private final List<DataBlock> blocks;
  private final int threads;
  private final BlockSampler sampler;
  private final int capacity;
  private final boolean hasValidation;
  private final ExecutorService pool;
  /** Each stripe's latest sum, whose scratch the next evaluation of that stripe reuses. */
  private final GradientSum[] latest;

  public LocalObjective(Network network, List<DataBlock> blocks, BlockSampler sampler) {
    this(network, blocks, sampler, 1);
  }

  /** @param threads how many threads sum the blocks (at most one per block is used) */
  public LocalObjective(Network network, List<DataBlock> blocks, BlockSampler sampler, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.network = network;
    this.sampler = sampler;
    this.capacity = blocks.stream().mapToInt(DataBlock::rows).max().orElse(1);
    this.hasValidation = blocks.stream().anyMatch(DataBlock::isValidation);
    int count = Math.max(1, Math.min(threads, blocks.size()));
    this.blocks = List.copyOf(blocks);
    this.threads = count;
    this.latest = new GradientSum[count];
    this.pool = count > 1 ? Executors.newFixedThreadPool(count, runnable -> {
      Thread thread = new Thread(runnable, "spark-backprop-driver-training");
      thread.setDaemon(true);
      return thread;
    }) : null;
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
    float[] params = FloatArrays.fromDoubles(weights);
    List<List<DataBlock>> stripes = deal(draw, validate);
    if (pool == null) {
      return sum(0, stripes.get(0), params, draw, validate);
    }
    List<Future<GradientSum>> parts = new ArrayList<>();
    for (int s = 0; s < stripes.size(); s++) {
      int stripe = s;
      parts.add(pool.submit(() -> sum(stripe, stripes.get(stripe), params, draw, validate)));
    }
    GradientSum total = new GradientSum();
    try {
      for (Future<GradientSum> part : parts) {
        total.merge(part.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while summing the gradient", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
    return total;
  }

  /**
   * The blocks this evaluation uses, in their order, dealt round-robin into one stripe per thread:
   * training blocks the draw samples, validation blocks when validating.
   */
  private List<List<DataBlock>> deal(int draw, boolean validate) {
    List<List<DataBlock>> stripes = new ArrayList<>(threads);
    for (int s = 0; s < threads; s++) {
      stripes.add(new ArrayList<>());
    }
    int next = 0;
    for (DataBlock block : blocks) {
      if (BlockEvaluation.uses(block, sampler, draw, validate)) {
        stripes.get(next++ % threads).add(block);
      }
    }
    return stripes;
  }

  /** Sums one stripe; each stripe runs on one thread at a time, so its scratch is its own. */
  private GradientSum sum(int stripe, List<DataBlock> stripeBlocks, float[] params, int draw,
      boolean validate) {
    GradientSum previous = latest[stripe];
    GradientSum sum = previous == null ? new GradientSum() : previous.emptyWithSameScratch();
    for (DataBlock block : stripeBlocks) {
      BlockEvaluation.add(sum, network, params, block, capacity, sampler, draw, validate);
    }
    latest[stripe] = sum;
    return sum;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
