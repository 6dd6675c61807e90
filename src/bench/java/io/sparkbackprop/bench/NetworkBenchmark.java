package io.sparkbackprop.bench;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.training.GradientSum;
import java.util.Arrays;
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
 * A whole {@link FeedForwardNetwork} on one block of softmax-classified rows, as a training task runs
 * it: {@code lossAndGradient} (forward, loss, backward), {@code taskStep} (the same plus summing the
 * float gradient into the task's double {@link GradientSum}, i.e. all a task does per block) and
 * {@code forward} (inference). One operation is one block; {@link KernelBenchmarks} reports rows/s and
 * GFLOP/s with the usual count of 6 x parameters x rows per training pass (2 forward, 4 backward) and
 * 2 x parameters x rows per forward pass. Calls cycle through {@link DenseLayerBenchmark#VARIANTS}
 * different blocks, so the branch predictor cannot learn one block's activation signs by heart.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class NetworkBenchmark {

  /** Layer sizes joined by dashes, input first. */
  @Param({"100-128-64-10"})
  public String layers;

  @Param({"relu", "sigmoid"})
  public String activation;

  @Param({"128", "512", "1024"})
  public int blockSize;

  /** Whether the network standardises its input on the fly, as the ML API does by default. */
  @Param({"true"})
  public boolean standardize;

  private FeedForwardNetwork network;
  private float[] params;
  private DataBlock[] blocks;
  private int variant;
  private float[] gradient;
  private NetworkWorkspace workspace;
  private GradientSum sum;

  @Setup
  public void setUp() {
    int[] sizes = parseLayers(layers);
    int width = sizes[0];
    int classes = sizes[sizes.length - 1];
    InputScaling scaling = null;
    if (standardize) {
      double[] center = new double[width];
      double[] scale = new double[width];
      Arrays.fill(scale, 1.0);
      scaling = new InputScaling(center, scale);
    }
    network = new FeedForwardNetwork(sizes, Activation.fromParamName(activation),
        new SoftmaxCrossEntropy(), scaling);
    params = FloatArrays.fromDoubles(network.initialParams(3));
    Random random = new Random(5);
    blocks = new DataBlock[DenseLayerBenchmark.VARIANTS];
    for (int v = 0; v < blocks.length; v++) {
      float[] features = GemmBenchmark.randomFloats(width * blockSize, random);
      float[] targets = new float[blockSize];
      float[] weights = new float[blockSize];
      for (int j = 0; j < blockSize; j++) {
        targets[j] = random.nextInt(classes);
        weights[j] = 1f;
      }
      blocks[v] = new DataBlock(v, blockSize, width, features, 1, targets, weights);
    }
    gradient = new float[network.paramCount()];
    workspace = network.newWorkspace(blockSize);
    sum = new GradientSum();
  }

  private DataBlock nextBlock() {
    variant = (variant + 1) % blocks.length;
    return blocks[variant];
  }

  @Benchmark
  public double lossAndGradient() {
    return network.lossAndGradient(params, nextBlock(), gradient, workspace);
  }

  @Benchmark
  public GradientSum taskStep() {
    return sum.add(network, params, nextBlock(), blockSize);
  }

  @Benchmark
  public float[] forward() {
    return network.forward(params, nextBlock().features(), blockSize, workspace);
  }

  static int[] parseLayers(String text) {
    return Arrays.stream(text.split("-")).mapToInt(Integer::parseInt).toArray();
  }

  /** Training FLOPs per block: 6 x parameters x rows. */
  static double trainingFlops(String layers, int rows) {
    return 6.0 * FeedForwardNetwork.paramCount(parseLayers(layers)) * rows;
  }
}
