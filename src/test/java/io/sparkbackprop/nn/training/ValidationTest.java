package io.sparkbackprop.nn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.FittedNetwork;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.DenseLayer;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong shapes and sizes fail early with an IllegalArgumentException that says what is wrong. */
class ValidationTest {
  private static final FeedForwardNetwork NET =
      new FeedForwardNetwork(new int[] {4, 3, 2}, Activation.TANH, new SquaredError());

  private static void assertRejected(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment),
          "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
  }

  private static DataBlock block(int rows, int features, int targets) {
    return new DataBlock(0, rows, features, new float[rows * features], targets,
        new float[rows * targets], filled(rows, 1f));
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, value);
    return a;
  }

  @Test
  void dataBlockChecksRowsAndArrayLengths() {
    assertRejected(() -> block(0, 4, 2), "at least one row", "0");
    assertRejected(() -> new DataBlock(0, 3, 4, new float[11], 2, new float[6], new float[3]),
        "features", "11", "12");
    assertRejected(() -> new DataBlock(0, 3, 4, new float[12], 2, new float[5], new float[3]),
        "targets", "5", "6");
    assertRejected(() -> new DataBlock(0, 3, 4, new float[12], 2, new float[6], new float[2]),
        "weights", "2", "3");
  }

  @Test
  void dataBlockSumsItsWeightsOverItsRowsOnly() {
    DataBlock b = new DataBlock(9, 2, 1, new float[] {1, 2, 3}, 1, new float[3],
        new float[] {0.5f, 2f, 100f});
    assertEquals(2.5, b.weightSum(), 0.0);
    assertEquals(9, b.id());
    assertEquals(4L * 9, b.sizeInBytes());
  }

  @Test
  void wrongFeatureWidthIsRejected() {
    assertRejected(() -> NET.lossAndGradient(new float[NET.paramCount()], block(2, 3, 2),
        new float[NET.paramCount()], NET.newWorkspace(2)), "3 features", "expects 4");
  }

  @Test
  void wrongTargetWidthIsRejected() {
    assertRejected(() -> NET.lossAndGradient(new float[NET.paramCount()], block(2, 4, 1),
        new float[NET.paramCount()], NET.newWorkspace(2)), "1 targets", "expects 2");
    FeedForwardNetwork classifier = new FeedForwardNetwork(new int[] {4, 3}, Activation.TANH,
        new SoftmaxCrossEntropy());
    assertRejected(() -> classifier.lossAndGradient(new float[classifier.paramCount()],
        block(2, 4, 3), new float[classifier.paramCount()], classifier.newWorkspace(2)),
        "3 targets", "expects 1");
  }

  @Test
  void aWorkspaceOfAnotherNetworkIsRejected() {
    FeedForwardNetwork twin = new FeedForwardNetwork(new int[] {4, 3, 2}, Activation.TANH,
        new SquaredError());
    float[] params = new float[NET.paramCount()];
    assertRejected(() -> NET.lossAndGradient(params, block(2, 4, 2), new float[params.length],
        twin.newWorkspace(2)), "Workspace was not created by this network");
    assertRejected(() -> NET.forward(params, new float[8], 2, null), "Workspace");
    NetworkWorkspace foreign = () -> 100;
    assertRejected(() -> NET.forward(params, new float[8], 2, foreign), "Workspace");
  }

  @Test
  void aBlockLargerThanTheWorkspaceIsRejected() {
    float[] params = new float[NET.paramCount()];
    NetworkWorkspace small = NET.newWorkspace(4);
    assertEquals(4, small.capacity());
    assertRejected(() -> NET.lossAndGradient(params, block(5, 4, 2), new float[params.length],
        small), "5 rows", "capacity 4");
    assertRejected(() -> NET.forward(params, new float[20], 5, small), "5 rows", "capacity 4");
    assertRejected(() -> NET.newWorkspace(0), "capacity", "0");
  }

  @Test
  void networkShapesAreValidated() {
    assertRejected(() -> new FeedForwardNetwork(new int[] {4}, Activation.TANH, new SquaredError()),
        "at least an input and an output", "[4]");
    assertRejected(() -> new FeedForwardNetwork(new int[] {4, 0, 2}, Activation.TANH,
        new SquaredError()), "positive", "4 -> 0");
    assertRejected(() -> new DenseLayer(-1, 3, Activation.RELU), "positive");
  }

  @Test
  void paramCountCoversWeightsAndBiasesOfEveryLayer() {
    int[] sizes = {5, 7, 3, 2};
    long expected = 5 * 7 + 7 + 7 * 3 + 3 + 3 * 2 + 2;
    assertEquals(expected, FeedForwardNetwork.paramCount(sizes));
    assertEquals(expected, new FeedForwardNetwork(sizes, Activation.ELU, new SquaredError())
        .paramCount());
    assertEquals(35 + 7, new DenseLayer(5, 7, Activation.ELU).paramCount());
  }

  @Test
  void fittedNetworkChecksTheNumberOfWeights() {
    assertRejected(() -> new FittedNetwork(NET, new double[NET.paramCount() - 1]),
        String.valueOf(NET.paramCount()), String.valueOf(NET.paramCount() - 1));
  }
}
