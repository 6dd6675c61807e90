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
 * <p>With {@code threads} > 1 the blocks are dealt round-robin into that many stripes, each summed by
 * its own thread, and the stripes' sums are added in stripe order, so a run is reproducible for a
 * given thread count (like partitions, the count changes only the summation order). Close the
 * objective to stop its threads.
 */
public final class LocalObjective implements Objective, AutoCloseable {
  private final Network network;
  private final List<List<DataBlock>> stripes;
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
    List<List<DataBlock>> dealt = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      dealt.add(new ArrayList<>());
    }
    for (int i = 0; i < blocks.size(); i++) {
      dealt.get(i % count).add(blocks.get(i));
    }
    this.stripes = dealt.stream().map(List::copyOf).toList();
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
    if (pool == null) {
      return sum(0, params, draw, validate);
    }
    List<Future<GradientSum>> parts = new ArrayList<>();
    for (int s = 0; s < stripes.size(); s++) {
      int stripe = s;
      parts.add(pool.submit(() -> sum(stripe, params, draw, validate)));
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

  /** Sums one stripe; each stripe runs on one thread at a time, so its scratch is its own. */
  private GradientSum sum(int stripe, float[] params, int draw, boolean validate) {
    GradientSum previous = latest[stripe];
    GradientSum sum = previous == null ? new GradientSum() : previous.emptyWithSameScratch();
    for (DataBlock block : stripes.get(stripe)) {
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
