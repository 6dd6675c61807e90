package io.sparkbackprop.bench;

import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.RecurrentCell;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SquaredError;
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
 * One recurrent layer (plus the linear head and a squared-error loss, as a many-to-one regressor
 * trains) on a block of sequences: {@code trainingPass} (forward through every step, loss, backward
 * through time with all weight gradients) and {@code forward} (inference). One operation is one
 * block of {@code batch} sequences of {@code steps} steps; {@link KernelBenchmarks} turns it into
 * sequences per second and GFLOP/s (the GEMM work: per step and sequence, {@code 2 G H (D + H)}
 * FLOPs forward and twice that backward, {@code G} the gates).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class RecurrentBenchmark {
  @Param({"lstm", "gru"})
  public String cell;

  @Param({"128"})
  public int batch;

  @Param({"50"})
  public int steps;

  @Param({"32"})
  public int inputs;

  @Param({"128"})
  public int hidden;

  private RecurrentNetwork network;
  private float[] params;
  private DataBlock block;
  private float[] gradient;
  private NetworkWorkspace workspace;

  @Setup
  public void setUp() {
    RecurrentNetwork.Architecture a = new RecurrentNetwork.Architecture(inputs, false, 0,
        RecurrentCell.fromParamName(cell), hidden, 1, false, 0, 0, false, 1, steps);
    network = new RecurrentNetwork(a, new SquaredError(), null);
    params = FloatArrays.fromDoubles(network.initialParams(3));
    Random random = new Random(5);
    float[] features = GemmBenchmark.randomFloats(inputs * batch * steps, random);
    float[] targets = GemmBenchmark.randomFloats(batch, random);
    float[] weights = new float[batch];
    java.util.Arrays.fill(weights, 1f);
    block = DataBlock.sequences(1, BatchShape.sequences(batch, steps, null), inputs, features, 1,
        false, targets, weights, false);
    gradient = new float[network.paramCount()];
    workspace = network.newWorkspace(batch);
  }

  @Benchmark
  public double trainingPass() {
    return network.lossAndGradient(params, block, gradient, workspace);
  }

  @Benchmark
  public float[] forward() {
    return network.forward(params, block.features(), block.shape(), workspace);
  }

  /** Gates of a cell by name. */
  static int gates(String cell) {
    switch (cell) {
      case "lstm":
        return 4;
      case "gru":
        return 3;
      default:
        return 1;
    }
  }
}
