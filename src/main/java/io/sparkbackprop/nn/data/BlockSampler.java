package io.sparkbackprop.nn.data;

import java.io.Serializable;

/**
 * Decides which blocks an iteration uses when {@code miniBatchFraction < 1}. Sampling whole blocks
 * (rather than rows) means an iteration touches only the memory it uses. The decision is a pure
 * function of (seed, iteration, block id), so it does not depend on task scheduling or retries.
 */
public final class BlockSampler implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double fraction;
  private final long seed;

  public BlockSampler(double fraction, long seed) {
    this.fraction = fraction;
    this.seed = seed;
  }

  public boolean samplesAll() {
    return fraction >= 1.0;
  }

  public boolean includes(int iteration, long blockId) {
    if (fraction >= 1.0) {
      return true;
    }
    long h = mix(seed ^ mix(iteration * 0x9E3779B97F4A7C15L + blockId));
    double u = (h >>> 11) * 0x1.0p-53;
    return u < fraction;
  }

  /** The block a local step uses: uniform over {@code count} blocks, fixed by its arguments. */
  public int pick(int draw, int partition, int step, int count) {
    long h = mix(seed ^ mix(((long) draw << 32) ^ ((long) partition << 16) ^ step ^ 0x2545F4914F6CDD1DL));
    return (int) Math.floorMod(h, (long) count);
  }

  /** A seed for the training noise (dropout) of one block in one draw. */
  public long noiseSeed(int draw, long blockId) {
    return mix(~seed ^ mix(draw * 0xC2B2AE3D27D4EB4FL + blockId));
  }

  /** A uniform number in [0, 1) that depends only on its three arguments (seeded hold-outs). */
  public static double unitInterval(long seed, int partition, long row) {
    long h = mix(seed ^ mix(((long) partition << 40) ^ row ^ 0x632BE59BD9B4E019L));
    return (h >>> 11) * 0x1.0p-53;
  }

  /** The 64-bit finaliser of MurmurHash3: a cheap, well-mixed hash. */
  public static long mix64(long z) {
    return mix(z);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
