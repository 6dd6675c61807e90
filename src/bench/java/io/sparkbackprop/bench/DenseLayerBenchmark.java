package io.sparkbackprop.bench;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.layer.DenseLayer;
import io.sparkbackprop.nn.layer.LayerWorkspace;
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
 * One {@link DenseLayer} over one block: {@code forward} (GEMM, bias, activation) and {@code backward}
 * (activation derivative, weight-gradient GEMM, bias gradient, input-delta GEMM unless the layer is the
 * first). The {@code ...GemmOnly} twins run just the same GEMM calls, so the difference between a pair
 * is what the layer spends outside BLAS (bias loops and activation).
 *
 * <p>{@code backward} multiplies the incoming delta in place, so every call first restores it from a
 * pristine copy (otherwise a sigmoid layer would shrink it into denormals); the GEMM-only twin does the
 * same copy so the pair stays comparable. Calls cycle through {@link #VARIANTS} different blocks: with
 * a single block the CPU's branch predictor learns the signs of a small block by heart, which hides
 * the cost of branchy activation code that training (new data in every block) pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class DenseLayerBenchmark {
  /** Distinct input blocks the calls cycle through. */
  static final int VARIANTS = 16;

  @Param({"100x128:relu:first", "128x64:relu", "64x10:identity"})
  public String layer;

  @Param({"128", "512"})
  public int blockSize;

  private LayerSpec spec;
  private DenseLayer dense;
  private float[] params;
  private float[][] inputs;
  private LayerWorkspace[] workspaces;
  private float[][] zs;
  private BatchShape shape;
  private float[][] pristineDeltas;
  private float[] delta;
  private int variant;
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
    inputs = new float[VARIANTS][];
    workspaces = new LayerWorkspace[VARIANTS];
    zs = new float[VARIANTS][];
    shape = BatchShape.rows(blockSize);
    pristineDeltas = new float[VARIANTS][];
    for (int v = 0; v < VARIANTS; v++) {
      inputs[v] = GemmBenchmark.randomFloats(spec.in() * blockSize, random);
      workspaces[v] = dense.newWorkspace(blockSize, 1);
      zs[v] = new float[spec.out() * blockSize];
      pristineDeltas[v] = GemmBenchmark.randomFloats(spec.out() * blockSize, random);
      dense.forward(params, 0, inputs[v], shape, workspaces[v], null);
    }
    delta = new float[spec.out() * blockSize];
    gradient = new float[dense.paramCount()];
    inputDelta = spec.first() ? null : new float[spec.in() * blockSize];
  }

  private int nextVariant() {
    variant = (variant + 1) % VARIANTS;
    return variant;
  }

  @Benchmark
  public float[] forward() {
    int v = nextVariant();
    return dense.forward(params, 0, inputs[v], shape, workspaces[v], null);
  }

  @Benchmark
  public float[] forwardGemmOnly() {
    int v = nextVariant();
    Blas.gemm(false, false, spec.out(), blockSize, spec.in(), 1f, params, 0, spec.out(), inputs[v], 0,
        spec.in(), 0f, zs[v], 0, spec.out());
    return zs[v];
  }

  @Benchmark
  public float[] backward() {
    int v = nextVariant();
    System.arraycopy(pristineDeltas[v], 0, delta, 0, delta.length);
    dense.backward(params, 0, inputs[v], shape, workspaces[v], delta, gradient, inputDelta);
    return gradient;
  }

  @Benchmark
  public float[] backwardGemmOnly() {
    int v = nextVariant();
    System.arraycopy(pristineDeltas[v], 0, delta, 0, delta.length);
    Blas.gemm(false, true, spec.out(), spec.in(), blockSize, 1f, delta, 0, spec.out(), inputs[v], 0,
        spec.in(), 0f, gradient, 0, spec.out());
    if (inputDelta != null) {
      Blas.gemm(true, false, spec.in(), blockSize, spec.out(), 1f, params, 0, spec.out(), delta, 0,
          spec.out(), 0f, inputDelta, 0, spec.in());
    }
    return gradient;
  }
}
