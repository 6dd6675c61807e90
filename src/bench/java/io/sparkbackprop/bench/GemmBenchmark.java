package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.linalg.Blas;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw GEMM throughput at the shapes training runs (see {@link GemmShape}): {@code sgemm} through our
 * {@link Blas#gemm} wrapper, {@code dgemm} straight through {@code dev.ludovic.netlib} for comparison
 * with Spark's MultilayerPerceptronClassifier, which computes in double. One operation is one call;
 * {@link KernelBenchmarks} turns operations per second into GFLOP/s.
 *
 * <p>The default shapes are those of a 100-128-64-10 network on blocks of 128 and 512 rows, the
 * 784-128-10 MNIST network, and a 512-cube for reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {

  @Param({
      "NN:128x128x100", "NT:128x100x128",
      "NN:64x128x128", "NT:64x128x128", "TN:128x128x64",
      "NN:10x128x64", "NT:10x64x128", "TN:64x128x10",
      "NN:128x512x100", "NT:128x100x512", "TN:128x512x64",
      "NN:128x128x784", "NT:128x784x128",
      "NN:512x512x512"})
  public String shape;

  /**
   * What {@link Blas} uses in this fork: {@code auto}, {@code netlib} or {@code vector} (the values
   * of {@value Blas#PROPERTY}). JMH runs every parameter combination in its own JVM, and the setup
   * sets the property before anything touches {@link Blas}, so {@code -p blas=netlib,vector}
   * compares the two in one run ({@code dgemm} always calls netlib).
   */
  @Param({"auto"})
  public String blas;

  private GemmShape gemm;
  private float[] a;
  private float[] b;
  private float[] c;
  private double[] da;
  private double[] db;
  private double[] dc;
  private BLAS netlib;

  @Setup
  public void setUp() {
    System.setProperty(Blas.PROPERTY, blas);
    gemm = GemmShape.parse(shape);
    Random random = new Random(1);
    a = randomFloats(gemm.aLength(), random);
    b = randomFloats(gemm.bLength(), random);
    c = new float[gemm.cLength()];
    da = toDoubles(a);
    db = toDoubles(b);
    dc = new double[gemm.cLength()];
    netlib = BLAS.getInstance();
  }

  @Benchmark
  public float[] sgemm() {
    Blas.gemm(gemm.transA(), gemm.transB(), gemm.m(), gemm.n(), gemm.k(), 1f, a, 0, gemm.lda(),
        b, 0, gemm.ldb(), 0f, c, 0, gemm.m());
    return c;
  }

  @Benchmark
  public double[] dgemm() {
    netlib.dgemm(gemm.transA() ? "T" : "N", gemm.transB() ? "T" : "N", gemm.m(), gemm.n(), gemm.k(),
        1.0, da, 0, gemm.lda(), db, 0, gemm.ldb(), 0.0, dc, 0, gemm.m());
    return dc;
  }

  static float[] randomFloats(int length, Random random) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static double[] toDoubles(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
