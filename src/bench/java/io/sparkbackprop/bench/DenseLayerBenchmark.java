package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.DenseLayer;
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
 * One {@link DenseLayer} over one block: {@code forward} (GEMM, bias, activation) and {@code backward}
 * (activation derivative, weight-gradient GEMM, bias gradient, input-delta GEMM unless the layer is the
 * first). The {@code ...GemmOnly} twins run just the same GEMM calls, so the difference between a pair
 * is what the layer spends outside BLAS (bias loops and activation).
 *
 * <p>{@code backward} multiplies the incoming delta in place, so every call first restores it from a
 * pristine copy (otherwise a sigmoid layer would shrink it into denormals); the GEMM-only twin does the
 * same copy so the pair stays comparable.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class DenseLayerBenchmark {

  @Param({"100x128:relu:first", "128x64:relu", "64x10:identity"})
  public String layer;

  @Param({"128", "512"})
  public int blockSize;

  private LayerSpec spec;
  private DenseLayer dense;
  private float[] params;
  private float[] input;
  private float[] z;
  private float[] a;
  private float[] pristineDelta;
  private float[] delta;
  private float[] gradient;
  private float[] inputDelta;

  @Setup
  public void setUp() {
    spec = LayerSpec.parse(layer);
    dense = new DenseLayer(spec.in(), spec.out(), spec.activation());
    Random random = new Random(7);
    params = GemmBenchmark.randomFloats(dense.paramCount(), random);
    for (int i = 0; i < params.length; i++) {
      params[i] *= (float) Math.sqrt(2.0 / spec.in());
    }
    input = GemmBenchmark.randomFloats(spec.in() * blockSize, random);
    z = new float[spec.out() * blockSize];
    a = new float[spec.out() * blockSize];
    pristineDelta = GemmBenchmark.randomFloats(spec.out() * blockSize, random);
    delta = new float[pristineDelta.length];
    gradient = new float[dense.paramCount()];
    inputDelta = spec.first() ? null : new float[spec.in() * blockSize];
    dense.forward(params, 0, input, blockSize, z, a);
  }

  @Benchmark
  public float[] forward() {
    dense.forward(params, 0, input, blockSize, z, a);
    return a;
  }

  @Benchmark
  public float[] forwardGemmOnly() {
    Blas.gemm(false, false, spec.out(), blockSize, spec.in(), 1f, params, 0, spec.out(), input, 0,
        spec.in(), 0f, z, 0, spec.out());
    return z;
  }

  @Benchmark
  public float[] backward() {
    System.arraycopy(pristineDelta, 0, delta, 0, delta.length);
    dense.backward(params, 0, input, blockSize, z, a, delta, gradient, inputDelta);
    return gradient;
  }

  @Benchmark
  public float[] backwardGemmOnly() {
    System.arraycopy(pristineDelta, 0, delta, 0, delta.length);
    Blas.gemm(false, true, spec.out(), spec.in(), blockSize, 1f, delta, 0, spec.out(), input, 0,
        spec.in(), 0f, gradient, 0, spec.out());
    if (inputDelta != null) {
      Blas.gemm(true, false, spec.in(), blockSize, spec.out(), 1f, params, 0, spec.out(), delta, 0,
          spec.out(), 0f, inputDelta, 0, spec.in());
    }
    return gradient;
  }
}
