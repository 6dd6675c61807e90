package io.sparkbackprop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.Loss;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.testing.EngineFixtures;
import io.sparkbackprop.testing.GradientCheck;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker itself: it must pass correct gradients and clearly fail the usual bugs. */
class GradientCheckTest {
  private static final GradientCheck CHECK = GradientCheck.create();

  /** Delegates to a real network, then damages the gradient the way a bug would. */
  private static final class Damaged implements Network {
    private static final long serialVersionUID = 1L;

    interface Damage {
      void apply(float[] params, DataBlock block, float[] gradient, NetworkWorkspace workspace);
    }

    final Network inner;
    final Damage damage;

    Damaged(Network inner, Damage damage) {
      this.inner = inner;
      this.damage = damage;
    }

    @Override public boolean isRegularized(int index) {
      return true;
    }

    @Override public int paramCount() {
      return inner.paramCount();
    }

    @Override public int inputWidth() {
      return inner.inputWidth();
    }

    @Override public int outputWidth() {
      return inner.outputWidth();
    }

    @Override public Loss loss() {
      return inner.loss();
    }

    @Override public double[] initialParams(long seed) {
      return inner.initialParams(seed);
    }

    @Override public NetworkWorkspace newWorkspace(int maxRows) {
      return inner.newWorkspace(maxRows);
    }

    @Override public float[] forward(float[] params, float[] features, BatchShape shape,
        NetworkWorkspace workspace) {
      return inner.forward(params, features, shape, workspace);
    }

    @Override public double lossAndGradient(float[] params, DataBlock block, float[] gradient,
        NetworkWorkspace workspace) {
      double loss = inner.lossAndGradient(params, block, gradient, workspace);
      damage.apply(params, block, gradient, workspace);
      return loss;
    }
  }

  private static final int[] SHAPE = {3, 4, 2};
  private static final FeedForwardNetwork NET =
      new FeedForwardNetwork(SHAPE, Activation.TANH, new SquaredError());
  private static final DataBlock BLOCK = EngineFixtures.regressionBlock(11, 6, 3, 2, 0, 1);
  private static final float[] PARAMS = EngineFixtures.params(NET, 11);

  private static GradientCheck.Result checkDamaged(Damaged.Damage damage) {
    return CHECK.checkParams(new Damaged(NET, damage), PARAMS, BLOCK);
  }

  /** The index of the worst entry, from "parameter K of N" (how a wrapped network is described). */
  private static int index(GradientCheck.Result result) {
    String where = result.where();
    assertTrue(where.startsWith("parameter "), where);
    return Integer.parseInt(where.substring("parameter ".length()).split("[ :]")[0]);
  }

  @Test
  void correctGradientPassesWithEveryEntryChecked() {
    GradientCheck.Result result = CHECK.checkParams(NET, PARAMS, BLOCK);
    assertTrue(result.passes(), result.toString());
    assertEquals(NET.paramCount(), result.checked());
    assertEquals(0, result.skipped());
    // Not just under the tolerance: far under it, so the tolerance has room for other shapes.
    assertTrue(result.worstRelativeError() < 1e-3, result.toString());
  }

  @Test
  void missingFactorOfTwoFails() {
    GradientCheck.Result result = checkDamaged((p, b, g, ws) -> {
      for (int i = 0; i < g.length; i++) {
        g[i] *= 0.5f;
      }
    });
    assertTrue(result.worstRelativeError() > 0.4, result.toString());
    assertFalse(result.passes());
  }

  @Test
  void fivePercentErrorInOneLayerFails() {
    // Layer 1 starts after layer 0's 3 * 4 weights and 4 biases.
    GradientCheck.Result result = checkDamaged((p, b, g, ws) -> {
      for (int i = 16; i < g.length; i++) {
        g[i] *= 1.05f;
      }
    });
    assertFalse(result.passes(), result.toString());
    assertTrue(result.worstRelativeError() > 0.03, result.toString());
    assertTrue(index(result) >= 16, result.toString());
  }

  @Test
  void rowMajorMixUpOfAWeightGradientFails() {
    // Reads layer 0's 4 x 3 weight gradient as if it were stored row by row.
    GradientCheck.Result result = checkDamaged((p, b, g, ws) -> {
      float[] copy = g.clone();
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 3; j++) {
          g[i + j * 4] = copy[i * 3 + j];
        }
      }
    });
    assertTrue(result.worstRelativeError() > 0.3, result.toString());
    assertTrue(index(result) < 12, result.toString());
  }

  @Test
  void ignoredInstanceWeightsFail() {
    // The gradient of the same rows with unit weights: loss and gradient no longer match.
    GradientCheck.Result result = checkDamaged((p, b, g, ws) -> {
      float[] ones = new float[b.rows()];
      java.util.Arrays.fill(ones, 1f);
      DataBlock unweighted = new DataBlock(b.id(), b.rows(), b.featureWidth(), b.features(),
          b.targetWidth(), b.targets(), ones);
      NET.lossAndGradient(p, unweighted, g, ws);
    });
    assertTrue(result.worstRelativeError() > 0.2, result.toString());
  }

  @Test
  void wrongActivationDerivativeFailsWhileTheRightOnePasses() {
    DataBlock block = EngineFixtures.regressionBlock(5, 5, 3, 1, 0, 1);
    float[] params = EngineFixtures.gaussian(new java.util.Random(5), 3 * 4 + 4 + 4 + 1, 0.7);
    GradientCheck.Result right = CHECK.checkParams(new TinyTanhNetwork(3, 4, false), params, block);
    GradientCheck.Result wrong = CHECK.checkParams(new TinyTanhNetwork(3, 4, true), params, block);
    assertTrue(right.passes(), right.toString());
    assertTrue(wrong.worstRelativeError() > 0.1, wrong.toString());
    // Not a feed-forward network, so entries are named by index only.
    assertTrue(wrong.where().startsWith("parameter "), wrong.where());
  }

  @Test
  void nanGradientFails() {
    GradientCheck.Result result = checkDamaged((p, b, g, ws) -> g[3] = Float.NaN);
    assertEquals(Double.POSITIVE_INFINITY, result.worstRelativeError());
    assertEquals(3, index(result), result.where());
  }

  @Test
  void reportsTheDamagedEntry() {
    assertEquals(21, index(checkDamaged((p, b, g, ws) -> g[21] += 1f)));
    assertEquals(13, index(checkDamaged((p, b, g, ws) -> g[13] -= 1f)));
  }

  @Test
  void namesFeedForwardParametersByLayerRowAndColumn() {
    // Layer 1 (4 -> 2) starts at 3 * 4 + 4 = 16; W[1][2] is at 16 + 1 + 2 * 2 = 21.
    assertEquals("parameter 21: layer 1 (dense 4 -> 2 identity) weight W[1][2]", GradientCheck.describeParam(NET, 21));
    // Layer 0's bias starts at 12.
    assertEquals("parameter 13: layer 0 (dense 3 -> 4 tanh) bias b[1]", GradientCheck.describeParam(NET, 13));
    assertEquals("parameter 25: layer 1 (dense 4 -> 2 identity) bias b[1]", GradientCheck.describeParam(NET, 25));
    assertEquals("parameter 0: layer 0 (dense 3 -> 4 tanh) weight W[0][0]", GradientCheck.describeParam(NET, 0));
  }

  @Test
  void samplingIsSeededAndChecksOnlyTheSample() {
    Damaged damaged = new Damaged(NET, (p, b, g, ws) -> g[7] += 1f);
    Set<Boolean> found = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      GradientCheck sampled = CHECK.sampling(5, seed);
      GradientCheck.Result first = sampled.checkParams(damaged, PARAMS, BLOCK);
      GradientCheck.Result again = sampled.checkParams(damaged, PARAMS, BLOCK);
      assertEquals(first, again, "same seed, same sample");
      assertEquals(5, first.checked() + first.skipped());
      found.add(first.passes());
    }
    // Some samples contain the damaged entry and some do not.
    assertEquals(Set.of(true, false), found);
  }

  @Test
  void skipsEntriesWhosePerturbationCrossesAReluKink() {
    FeedForwardNetwork relu = new FeedForwardNetwork(new int[] {2, 3, 1}, Activation.RELU,
        new SquaredError());
    DataBlock block = new DataBlock(0, 1, 2, new float[] {0.8f, -1.1f}, 1, new float[] {0.3f},
        new float[] {1.5f});
    float[] params = EngineFixtures.params(relu, 3);
    // Put hidden unit 0 just above its kink: z0 = W[0][0] x0 + W[0][1] x1 + b0 = 1e-4.
    params[6] = 1e-4f - (params[0] * 0.8f + params[3] * -1.1f);
    params[7] = 0.5f - (params[1] * 0.8f + params[4] * -1.1f);
    params[8] = 0.7f - (params[2] * 0.8f + params[5] * -1.1f);
    params[9] = 1.2f; // v0: give unit 0 a clear influence on the output
    GradientCheck.Result result = CHECK.checkParams(relu, params, block);
    assertTrue(result.passes(), result.toString());
    assertTrue(result.skipped() >= 3, "W[0][0], W[0][1], b0 and v0 cross the kink: " + result);
    // Hiding the network's type hides the kink: the same entries then fail.
    GradientCheck.Result blind = CHECK.checkParams(new Damaged(relu, (p, b, g, ws) -> {}), params,
        block);
    assertEquals(0, blind.skipped());
    assertTrue(blind.worstRelativeError() > 0.2, blind.toString());
  }

  @Test
  void inputGradientOfACorrectNetworkPasses() {
    DataBlock block = EngineFixtures.classificationBlock(4, 5, 3, 4);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {3, 5, 4}, Activation.SIGMOID,
        new SoftmaxCrossEntropy());
    GradientCheck.Result result = CHECK.checkInputs(net, EngineFixtures.params(net, 4), block);
    assertTrue(result.passes(), result.toString());
    assertEquals(15, result.checked());
    assertTrue(result.where().startsWith("input row "), result.where());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> CHECK.withStep(0));
    assertThrows(IllegalArgumentException.class, () -> CHECK.withStep(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> CHECK.sampling(0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CHECK.checkParams(NET, new float[3], BLOCK));
    assertTrue(e.getMessage().contains(String.valueOf(NET.paramCount())), e.getMessage());
  }

  @Test
  void aResultWithNothingCheckedDoesNotPass() {
    GradientCheck.Result empty = new GradientCheck.Result(0, "nothing checked", Double.NaN,
        Double.NaN, 0, 4);
    assertFalse(empty.passes());
  }
}
