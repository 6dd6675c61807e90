package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.linalg.Blas;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GEMM throughput in this JVM with several threads calling BLAS at once (as Spark's task threads do):
 * the denominator of "% of peak". Each thread owns its matrices and repeats one shape for a warm-up
 * and then a measured period.
 */
final class GemmPeak {
  private GemmPeak() {}

  /** GFLOP/s of {@code threads} threads repeating {@code shape} in float32 or float64. */
  static double measure(GemmShape shape, boolean single, int threads, double seconds) {
    AtomicLong calls = new AtomicLong();
    long[] window = new long[2];
    CyclicBarrier start = new CyclicBarrier(threads);
    CyclicBarrier measureStart = new CyclicBarrier(threads, () -> {
      calls.set(0);
      window[0] = System.nanoTime();
    });
    CyclicBarrier measureEnd = new CyclicBarrier(threads, () -> window[1] = System.nanoTime());
    List<Thread> workers = new ArrayList<>();
    long warmNanos = (long) (Math.max(0.2, seconds / 2) * 1e9);
    long measureNanos = (long) (seconds * 1e9);
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread worker = new Thread(() -> {
        try {
          Runnable call = single ? floatCall(shape, seed) : doubleCall(shape, seed);
          start.await();
          repeat(call, warmNanos, null);
          measureStart.await();
          repeat(call, measureNanos, calls);
          measureEnd.await();
        } catch (Exception e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "gemm-peak-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("GEMM peak measurement failed", failures.get(0));
    }
    return calls.get() * shape.flops() / ((window[1] - window[0]) / 1e9) / 1e9;
  }

  private static void repeat(Runnable call, long nanos, AtomicLong counter) {
    long end = System.nanoTime() + nanos;
    long done = 0;
    while (System.nanoTime() < end) {
      call.run();
      done++;
    }
    if (counter != null) {
      counter.addAndGet(done);
    }
  }

  private static Runnable floatCall(GemmShape s, int seed) {
    Random random = new Random(seed);
    float[] a = GemmBenchmark.randomFloats(s.aLength(), random);
    float[] b = GemmBenchmark.randomFloats(s.bLength(), random);
    float[] c = new float[s.cLength()];
    return () -> Blas.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0,
        s.ldb(), 0f, c, 0, s.m());
  }

  private static Runnable doubleCall(GemmShape s, int seed) {
    Random random = new Random(seed);
    double[] a = random.doubles(s.aLength()).toArray();
    double[] b = random.doubles(s.bLength()).toArray();
    double[] c = new double[s.cLength()];
    BLAS blas = BLAS.getInstance();
    String ta = s.transA() ? "T" : "N";
    String tb = s.transB() ? "T" : "N";
    return () -> blas.dgemm(ta, tb, s.m(), s.n(), s.k(), 1.0, a, 0, s.lda(), b, 0, s.ldb(), 0.0, c, 0,
        s.m());
  }
}
