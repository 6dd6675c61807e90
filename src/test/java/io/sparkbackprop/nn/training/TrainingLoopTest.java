package io.sparkbackprop.nn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.testing.EngineFixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The single-JVM objective and the optimisation loop on small seeded problems. */
class TrainingLoopTest {
  private static final int BLOCK_ROWS = 32;

  /**
   * Four Gaussian blobs at (+-1, +-1); the class is 1 where x and y have the same sign (XOR-like, so
   * no linear model separates it). Blocks of 32 rows, the last one partial, non-unit weights.
   */
  private static List<DataBlock> xorBlocks(int rows, long seed) {
    Random rng = new Random(seed);
    List<DataBlock> blocks = new ArrayList<>();
    for (int start = 0, id = 0; start < rows; start += BLOCK_ROWS, id++) {
      int n = Math.min(BLOCK_ROWS, rows - start);
      float[] features = new float[2 * n];
      float[] labels = new float[n];
      float[] weights = new float[n];
      for (int j = 0; j < n; j++) {
        int sx = rng.nextBoolean() ? 1 : -1;
        int sy = rng.nextBoolean() ? 1 : -1;
        features[2 * j] = (float) (sx + 0.35 * rng.nextGaussian());
        features[2 * j + 1] = (float) (sy + 0.35 * rng.nextGaussian());
        labels[j] = sx == sy ? 1 : 0;
        weights[j] = 0.5f + rng.nextFloat();
      }
      blocks.add(new DataBlock(id, n, 2, features, 1, labels, weights));
    }
    return blocks;
  }

  /** y = 2 x + 1 + noise, one feature: a convex problem a linear network solves exactly. */
  private static List<DataBlock> lineBlocks(int rows, long seed) {
    Random rng = new Random(seed);
    List<DataBlock> blocks = new ArrayList<>();
    for (int start = 0, id = 0; start < rows; start += BLOCK_ROWS, id++) {
      int n = Math.min(BLOCK_ROWS, rows - start);
      float[] x = new float[n];
      float[] y = new float[n];
      float[] w = new float[n];
      for (int j = 0; j < n; j++) {
        x[j] = (float) rng.nextGaussian();
        y[j] = (float) (2 * x[j] + 1 + 0.1 * rng.nextGaussian());
        w[j] = 1f;
      }
      blocks.add(new DataBlock(id, n, 1, x, 1, y, w));
    }
    return blocks;
  }

  /** Weighted fraction of rows whose largest output is their label. */
  private static double accuracy(Network net, double[] weights, List<DataBlock> blocks) {
    float[] params = FloatArrays.fromDoubles(weights);
    NetworkWorkspace ws = net.newWorkspace(BLOCK_ROWS);
    int k = net.outputWidth();
    double right = 0;
    double total = 0;
    for (DataBlock block : blocks) {
      float[] out = net.forward(params, block.features(), block.rows(), ws);
      for (int j = 0; j < block.rows(); j++) {
        int best = 0;
        for (int i = 1; i < k; i++) {
          if (out[j * k + i] > out[j * k + best]) {
            best = i;
          }
        }
        total += block.weights()[j];
        right += best == (int) block.targets()[j] ? block.weights()[j] : 0;
      }
    }
    return right / total;
  }

  private static double meanLoss(Network net, List<DataBlock> blocks, double[] weights) {
    GradientSum sum = new LocalObjective(net, blocks, new BlockSampler(1, 0))
        .evaluate(weights, 0, false, new Objective.Progress(1, 1, Double.NaN, 0.01));
    return sum.loss() / sum.weightSum();
  }

  private static TrainingConfig adam(double stepSize, int maxIter) {
    return new TrainingConfig().solver("adam").stepSize(stepSize).maxIter(maxIter).tol(0);
  }

  /**
   * Driver training sums the blocks on several threads: the same result as one thread up to
   * summation order (also with sampled blocks), and the same bits on every run with the same count.
   */
  @Test
  void severalThreadsSumTheSameGradientReproducibly() {
    List<DataBlock> blocks = xorBlocks(600, 2);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {2, 8, 2}, Activation.TANH,
        new SoftmaxCrossEntropy());
    double[] initial = net.initialParams(4);
    TrainingConfig sampled = adam(0.05, 40).miniBatchFraction(0.5).seed(9);
    TrainingResult one = TrainingLoop.run(new LocalObjective(net, blocks, new BlockSampler(0.5, 9)),
        initial, sampled);
    TrainingResult[] three = new TrainingResult[2];
    for (int run = 0; run < 2; run++) {
      try (LocalObjective objective = new LocalObjective(net, blocks, new BlockSampler(0.5, 9), 3)) {
        three[run] = TrainingLoop.run(objective, initial, sampled);
      }
    }
    assertArrayEquals(three[0].weights(), three[1].weights(), 0.0);
    assertArrayEquals(one.objectiveHistory(), three[0].objectiveHistory(), 1e-9);
    assertArrayEquals(one.weights(), three[0].weights(), 1e-7);
    assertTrue(one.objectiveHistory()[39] < 0.8 * one.objectiveHistory()[0], "it trained");
  }

  @Test
  void learnsXorWithAHiddenLayer() {
    List<DataBlock> blocks = xorBlocks(240, 1);
    assertEquals(8, blocks.size());
    assertEquals(16, blocks.get(7).rows());
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {2, 8, 2}, Activation.TANH,
        new SoftmaxCrossEntropy());
    double[] initial = net.initialParams(3);
    TrainingResult result = TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(1, 0)), initial, adam(0.05, 150));

    assertTrue(accuracy(net, initial, blocks) < 0.8, "an untrained net must not pass the bar");
    double trained = accuracy(net, result.weights(), blocks);
    assertTrue(trained >= 0.95, "training accuracy " + trained);
    assertEquals(TrainingResult.StopReason.MAX_ITER, result.stopReason());
    assertEquals(150, result.totalIterations());

    double[] history = result.objectiveHistory();
    // The first entry is the mean loss at the initial weights; the loss falls a lot overall.
    assertEquals(meanLoss(net, blocks, initial), history[0], 1e-9 * history[0]);
    assertTrue(history[149] < 0.3 * history[0], Arrays.toString(history));
    double early = Arrays.stream(history, 0, 10).average().orElseThrow();
    double late = Arrays.stream(history, 140, 150).average().orElseThrow();
    assertTrue(late < early, early + " -> " + late);
  }

  @Test
  void aLinearNetworkCannotLearnXor() {
    // The quality bar above needs the hidden layer: same data, same budget, no hidden layer.
    List<DataBlock> blocks = xorBlocks(240, 1);
    FeedForwardNetwork linear = new FeedForwardNetwork(new int[] {2, 2}, Activation.TANH,
        new SoftmaxCrossEntropy());
    TrainingResult result = TrainingLoop.run(
        new LocalObjective(linear, blocks, new BlockSampler(1, 0)), linear.initialParams(3),
        adam(0.05, 150));
    assertTrue(accuracy(linear, result.weights(), blocks) < 0.8);
  }

  /** Records how many rows each evaluation used. */
  private static final class CountingObjective implements Objective {
    final Objective inner;
    final List<Long> rows = new ArrayList<>();

    CountingObjective(Objective inner) {
      this.inner = inner;
    }

    @Override
    public Network network() {
      return inner.network();
    }

    @Override
    public boolean hasValidation() {
      return inner.hasValidation();
    }

    @Override
    public GradientSum evaluate(double[] weights, int draw, boolean validate, Progress progress) {
      GradientSum sum = inner.evaluate(weights, draw, validate, progress);
      rows.add(sum.rows());
      return sum;
    }
  }

  @Test
  void miniBatchesAreSampledAfreshEachIterationAndReproducibly() {
    List<DataBlock> blocks = xorBlocks(320, 2);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {2, 6, 2}, Activation.GELU,
        new SoftmaxCrossEntropy());
    double[] initial = net.initialParams(5);
    TrainingConfig config = adam(0.05, 30).miniBatchFraction(0.5);

    CountingObjective first = new CountingObjective(
        new LocalObjective(net, blocks, new BlockSampler(0.5, 7)));
    TrainingResult a = TrainingLoop.run(first, initial, config);
    TrainingResult b = TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(0.5, 7)), initial, config);
    TrainingResult other = TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(0.5, 8)), initial, config);
    TrainingResult full = TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(1, 7)), initial, adam(0.05, 30));

    assertArrayEquals(a.objectiveHistory(), b.objectiveHistory(), 0.0);
    assertArrayEquals(a.weights(), b.weights(), 0.0);
    assertFalse(Arrays.equals(a.objectiveHistory(), other.objectiveHistory()));
    assertFalse(Arrays.equals(a.objectiveHistory(), full.objectiveHistory()));
    // Draws use different, partial subsets of the 320 rows.
    Set<Long> sizes = new HashSet<>(first.rows);
    assertTrue(sizes.size() > 2, "row counts per draw: " + first.rows);
    assertTrue(first.rows.stream().allMatch(n -> n < 320), first.rows.toString());
    // Sampling noise aside, mini-batch training still makes progress.
    double[] h = a.objectiveHistory();
    assertTrue(Arrays.stream(h, 20, 30).average().orElseThrow()
        < Arrays.stream(h, 0, 10).average().orElseThrow(), Arrays.toString(h));
  }

  @Test
  void convergesBeforeMaxIterOnAnEasyProblemAndReturnsTheLastEvaluatedWeights() {
    List<DataBlock> blocks = lineBlocks(200, 4);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    TrainingConfig config = new TrainingConfig().solver("gd").stepSize(0.5).maxIter(500).tol(1e-6);
    TrainingResult result = TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(1, 0)), net.initialParams(1), config);

    assertEquals(TrainingResult.StopReason.CONVERGED, result.stopReason());
    assertTrue(result.totalIterations() < 100, "iterations " + result.totalIterations());
    assertEquals(2.0, result.weights()[0], 0.05);
    assertEquals(1.0, result.weights()[1], 0.05);
    double[] history = result.objectiveHistory();
    assertEquals(meanLoss(net, blocks, result.weights()), history[history.length - 1],
        1e-9 * history[history.length - 1]);

    // With tol 0 training never stops early, not even once the loss no longer changes at all.
    TrainingResult noTol = TrainingLoop.run(new LocalObjective(net, blocks, new BlockSampler(1, 0)),
        net.initialParams(1), config.tol(0).maxIter(300));
    assertEquals(TrainingResult.StopReason.MAX_ITER, noTol.stopReason());
    assertEquals(300, noTol.totalIterations());
    double[] noTolHistory = noTol.objectiveHistory();
    assertEquals(noTolHistory[298], noTolHistory[299], 0.0, "the loss should have stopped changing");
  }

  @Test
  void maxIterZeroReturnsTheInitialWeights() {
    List<DataBlock> blocks = lineBlocks(40, 4);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    double[] initial = net.initialParams(1);
    TrainingResult result = TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(1, 0)), initial, adam(0.1, 0));
    assertArrayEquals(initial, result.weights(), 0.0);
    assertEquals(0, result.totalIterations());
  }

  @Test
  void aHugeStepSizeFailsWithAClearDivergenceError() {
    List<DataBlock> blocks = lineBlocks(100, 5);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 4, 1}, Activation.TANH,
        new SquaredError());
    TrainingConfig config = new TrainingConfig().solver("gd").stepSize(1e6).maxIter(200).tol(0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(1, 0)), net.initialParams(2), config));
    assertTrue(e.getMessage().matches("(?s).*diverged at iteration \\d+.*"), e.getMessage());
    assertTrue(e.getMessage().contains("stepSize") && e.getMessage().contains("1000000.0"),
        e.getMessage());
  }

  @Test
  void theLastStepOfADivergingRunIsCheckedToo() {
    List<DataBlock> blocks = lineBlocks(100, 5);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 4, 1}, Activation.TANH,
        new SquaredError());
    for (int maxIter = 1; maxIter <= 3; maxIter++) {
      TrainingConfig config = new TrainingConfig().solver("gd").stepSize(1e300).maxIter(maxIter)
          .tol(0);
      try {
        TrainingResult result = TrainingLoop.run(
            new LocalObjective(net, blocks, new BlockSampler(1, 0)), net.initialParams(2), config);
        float[] usable = FloatArrays.fromDoubles(result.weights());
        assertTrue(EngineFixtures.allFinite(usable), "maxIter " + maxIter + " returned "
            + Arrays.toString(result.weights()));
      } catch (IllegalStateException expected) {
        assertTrue(expected.getMessage().contains("diverged"), expected.getMessage());
      }
    }
  }

  @Test
  void aFractionThatNeverSamplesARowFailsClearly() {
    List<DataBlock> blocks = lineBlocks(64, 5);
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingLoop.run(
        new LocalObjective(net, blocks, new BlockSampler(1e-12, 3)), net.initialParams(1),
        adam(0.1, 5).miniBatchFraction(1e-12)));
    assertTrue(e.getMessage().contains("miniBatchFraction"), e.getMessage());
  }

  // ---------------------------------------------------------------- resuming

  /**
   * XOR rows with a quarter of the training labels flipped (so a wide net overfits them and the
   * validation loss turns up), plus validation blocks of clean rows from another seed.
   */
  private static List<DataBlock> noisyXorWithValidation() {
    List<DataBlock> blocks = new ArrayList<>();
    Random flips = new Random(13);
    for (DataBlock b : xorBlocks(128, 11)) {
      float[] labels = b.targets().clone();
      for (int j = 0; j < labels.length; j++) {
        if (flips.nextDouble() < 0.25) {
          labels[j] = 1 - labels[j];
        }
      }
      blocks.add(new DataBlock(b.id(), b.rows(), 2, b.features(), 1, labels, b.weights()));
    }
    for (DataBlock v : xorBlocks(64, 12)) {
      blocks.add(new DataBlock(1000 + v.id(), v.rows(), 2, v.features(), 1, v.targets(),
          v.weights(), true));
    }
    return blocks;
  }

  /**
   * Runs {@code config} to its end, then split at every iteration k: k iterations, then a resumed
   * run from the first part's result (its weights and state, as a saved model would hold them)
   * must give the uninterrupted run's weights, losses and stop reason exactly.
   */
  private static void assertEverySplitResumesExactly(Objective objective, double[] initial,
      Supplier<TrainingConfig> config, TrainingResult.StopReason expected) {
    TrainingResult full = TrainingLoop.run(objective, initial, config.get());
    assertEquals(expected, full.stopReason());
    int n = full.totalIterations();
    assertTrue(n > 3 && n < config.get().maxIter(), "the run should stop by itself: " + n);
    for (int k = 1; k < n; k++) {
      TrainingResult first = TrainingLoop.run(objective, initial, config.get().maxIter(k));
      TrainingResult second = TrainingLoop.run(objective, first.weights(), config.get(),
          first.state(), TrainingListener.NONE, Checkpointer.NONE);
      String where = "split after iteration " + k + " of " + n;
      assertEquals(full.stopReason(), second.stopReason(), where);
      assertEquals(n - k, second.totalIterations(), where);
      assertArrayEquals(Arrays.copyOfRange(full.objectiveHistory(), k, n),
          second.objectiveHistory(), 0.0, where);
      assertArrayEquals(full.weights(), second.weights(), 0.0, where);
    }
  }

  /**
   * Early stopping across a resume keeps the best weights seen before the interruption, and the
   * convergence window and the divergence threshold (first loss) carry over, so a resumed run with
   * tol > 0 stops where the uninterrupted one stops. Failed before the fix: the training state held
   * neither the best weights nor the convergence window, and a first part that stopped at maxIter
   * handed its best (not its current) weights to the second.
   */
  @Test
  void aResumedRunWithEarlyStoppingEqualsTheUninterruptedRun() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {2, 32, 2}, Activation.TANH,
        new SoftmaxCrossEntropy());
    Objective objective = new LocalObjective(net, noisyXorWithValidation(),
        new BlockSampler(1, 0));
    assertEverySplitResumesExactly(objective, net.initialParams(4),
        () -> adam(0.01, 300).earlyStoppingPatience(4).tol(1e-9),
        TrainingResult.StopReason.EARLY_STOPPED);
    // Patience on the smoothed validation loss: its average and best carry over too.
    assertEverySplitResumesExactly(objective, net.initialParams(4),
        () -> adam(0.01, 300).earlyStoppingPatience(4).validationSmoothing(0.9).tol(1e-9),
        TrainingResult.StopReason.EARLY_STOPPED);
  }

  /**
   * Training on blocks scaled once, with the network minus its input scaling, gives exactly the
   * weights and losses of scaling in every pass: with sampled mini-batches, dropout and validation
   * blocks, on several threads.
   */
  @Test
  void blocksScaledOnceTrainExactlyLikeScalingInEveryPass() {
    List<DataBlock> blocks = noisyXorWithValidation();
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {2, 16, 2}, Activation.RELU,
        new SoftmaxCrossEntropy(), new io.sparkbackprop.nn.layer.InputScaling(
            new double[] {0.3, -1.5}, new double[] {2.0, 0.25}), new double[] {0.2});
    double[] initial = net.initialParams(6);
    TrainingConfig config = adam(0.01, 40).miniBatchFraction(0.5).tol(0).seed(4);
    TrainingResult everyPass;
    try (LocalObjective objective = new LocalObjective(net, blocks, new BlockSampler(0.5, 4), 2)) {
      everyPass = TrainingLoop.run(objective, initial, config);
    }
    PrescaledInput prescaled = PrescaledInput.of(net, blocks);
    assertFalse(prescaled.network() == net, "the scaling is taken out");
    assertEquals(net.paramCount(), prescaled.network().paramCount());
    TrainingResult once;
    try (LocalObjective objective = new LocalObjective(prescaled.network(), prescaled.blocks(),
        new BlockSampler(0.5, 4), 2)) {
      once = TrainingLoop.run(objective, initial, config);
    }
    assertArrayEquals(everyPass.objectiveHistory(), once.objectiveHistory(), 0.0);
    assertArrayEquals(everyPass.weights(), once.weights(), 0.0);
    double[] validation = everyPass.iterations().stream()
        .mapToDouble(IterationRecord::validationLoss).toArray();
    assertArrayEquals(validation, once.iterations().stream()
        .mapToDouble(IterationRecord::validationLoss).toArray(), 0.0);
    // Without a scaling, nothing changes.
    FeedForwardNetwork plain = new FeedForwardNetwork(new int[] {2, 4, 2}, Activation.RELU,
        new SoftmaxCrossEntropy());
    assertTrue(PrescaledInput.of(plain, blocks).blocks() == blocks);
  }

  /**
   * Validation losses that fall to 0.55 by iteration 10, sit at 0.7 for 12 iterations (mini-batch
   * noise), fall to 0.30 at iteration 60 and then rise. Counted on single losses, a patience of 10
   * ends training at iteration 20; counted on their exponential average (weight 0.9), it rides out
   * the bump and stops 14 iterations after the true minimum. Both keep the weights of the best
   * single loss (the scripted steps make the first weight count the iterations).
   */
  @Test
  void patienceOnTheSmoothedValidationLossRidesOutANoisyBump() {
    double[] script = new double[100];
    for (int i = 1; i <= 100; i++) {
      script[i - 1] = i <= 10 ? 1.0 - 0.05 * (i - 1) : i <= 22 ? 0.7
          : i <= 60 ? 0.54 - 0.24 * (i - 23) / 37 : 0.30 + 0.01 * (i - 60);
    }
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    Objective objective = scriptedValidation(net, script);
    double[] initial = {0, Math.sqrt(script[0])};
    TrainingConfig raw = new TrainingConfig().solver("gd").stepSize(1).maxIter(100).tol(0)
        .earlyStoppingPatience(10);
    TrainingResult onEachLoss = TrainingLoop.run(objective, initial, raw);
    assertEquals(TrainingResult.StopReason.EARLY_STOPPED, onEachLoss.stopReason());
    assertEquals(20, onEachLoss.totalIterations());
    assertEquals(9, onEachLoss.weights()[0], 1e-12, "the weights evaluated at iteration 10");

    TrainingResult smoothed = TrainingLoop.run(objective, initial,
        new TrainingConfig().solver("gd").stepSize(1).maxIter(100).tol(0)
            .earlyStoppingPatience(10).validationSmoothing(0.9));
    assertEquals(TrainingResult.StopReason.EARLY_STOPPED, smoothed.stopReason());
    assertEquals(74, smoothed.totalIterations());
    assertEquals(59, smoothed.weights()[0], 1e-12, "the weights evaluated at iteration 60");
  }

  /**
   * Early stopping's bookkeeping belongs to the data: resumed on the same data (same fingerprint)
   * it continues and stops where the uninterrupted run does, keeping the weights of iteration 10;
   * resumed on other data (a warm start on a new task) it starts afresh, so the old best neither
   * ends the run nor comes back as its result. Failed before the data was recorded: the warm start
   * stopped at 20 and returned the weights of iteration 10.
   */
  @Test
  void earlyStoppingContinuesOnTheSameDataAndStartsAfreshOnOther() {
    double[] script = new double[100];
    for (int i = 1; i <= 100; i++) {
      script[i - 1] = i <= 10 ? 1.0 - 0.09 * (i - 1) : 0.19 + 0.01 * (i - 10);
    }
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    Objective objective = scriptedValidation(net, script);
    Supplier<TrainingConfig> config = () -> new TrainingConfig().solver("gd").stepSize(1)
        .maxIter(100).tol(0).earlyStoppingPatience(10).data("task A");
    TrainingResult first = TrainingLoop.run(objective, new double[] {0, Math.sqrt(script[0])},
        config.get().maxIter(15));
    TrainingResult same = TrainingLoop.run(objective, first.weights(), config.get(),
        first.state(), TrainingListener.NONE, Checkpointer.NONE);
    assertEquals(TrainingResult.StopReason.EARLY_STOPPED, same.stopReason());
    assertEquals(20, same.iterations().get(same.iterations().size() - 1).iteration());
    assertEquals(9, same.weights()[0], 1e-12, "the weights evaluated at iteration 10");

    TrainingResult other = TrainingLoop.run(objective, first.weights(),
        config.get().data("task B"), first.state(), TrainingListener.NONE, Checkpointer.NONE);
    assertEquals(TrainingResult.StopReason.EARLY_STOPPED, other.stopReason());
    assertEquals(26, other.iterations().get(other.iterations().size() - 1).iteration());
    assertEquals(15, other.weights()[0], 1e-12, "the weights evaluated at iteration 16");
  }

  /**
   * An objective with a constant training loss whose gradient makes a gd step of 1 add one to the
   * first weight and set the second (the output of an identity unit on a zero feature) to the root
   * of the scripted validation loss of the next iteration; the validation row targets 0.
   */
  private static Objective scriptedValidation(Network net, double[] validationLosses) {
    DataBlock validation = new DataBlock(1L << 62, 1, 1, new float[] {0}, 1, new float[] {0},
        new float[] {1}, true);
    return new Scripted(net, true) {
      @Override
      public GradientSum evaluate(double[] weights, int draw, boolean validate, Progress progress) {
        int i = progress.iteration();
        double next = Math.sqrt(validationLosses[Math.min(i, validationLosses.length - 1)]);
        GradientSum sum = new GradientSum().addTotals(new double[] {-1, weights[1] - next}, 1, 1, 1);
        return validate ? sum.addValidation(net, FloatArrays.fromDoubles(weights), validation, 1)
            : sum;
      }
    };
  }

  /**
   * The plateau rule ({@code lossPatience}): a loss that falls and then hovers within tol of its
   * best, with one dip smaller than tol, stops after more than lossPatience windows without an
   * improvement by tol; windows of two iterations count windows; tol 0 never stops; a slow
   * descent that beats the best by more than tol every window never stops.
   */
  @Test
  void lossPatienceStopsOnAPlateauButNotOnASlowDescent() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    double[] plateau = plateauLosses();
    plateau[24] = 0.8 - 9e-5;
    Supplier<TrainingConfig> rule = () -> new TrainingConfig().solver("gd").stepSize(1)
        .maxIter(200).tol(1e-4).lossPatience(10);
    TrainingResult stopped = TrainingLoop.run(scriptedLoss(net, plateau), net.initialParams(1),
        rule.get());
    assertEquals(TrainingResult.StopReason.CONVERGED, stopped.stopReason());
    assertEquals(31, stopped.totalIterations(), "11 iterations after the last improvement");

    TrainingResult windows = TrainingLoop.run(scriptedLoss(net, plateau), net.initialParams(1),
        rule.get().miniBatchFraction(0.5));
    // Windows (19, 20) and (21, 22) have means 0.805 and 0.8: the last improvement ends at 22.
    assertEquals(44, windows.totalIterations(), "11 windows of two after the last improvement");

    TrainingResult never = TrainingLoop.run(scriptedLoss(net, plateau), net.initialParams(1),
        rule.get().tol(0));
    assertEquals(TrainingResult.StopReason.MAX_ITER, never.stopReason());

    double[] descent = new double[200];
    for (int i = 1; i <= 200; i++) {
      descent[i - 1] = 1.0 - 2e-4 * i + (i % 2 == 0 ? 5e-5 : 0);
    }
    TrainingResult slow = TrainingLoop.run(scriptedLoss(net, descent), net.initialParams(1),
        rule.get());
    assertEquals(TrainingResult.StopReason.MAX_ITER, slow.stopReason());
    // The relative-change rule stops the same descent at its second iteration: a change of
    // 1.5e-4 is less than 2e-4 of the loss.
    TrainingResult relative = TrainingLoop.run(scriptedLoss(net, descent), net.initialParams(1),
        rule.get().lossPatience(0).tol(2e-4));
    assertEquals(TrainingResult.StopReason.CONVERGED, relative.stopReason());
    assertEquals(2, relative.totalIterations());
  }

  /**
   * The plateau rule counts within one fit, as scikit-learn's warm start does: a fit resumed from
   * a saved state (possibly on other rows, whose losses may all lie above the old best) counts
   * afresh. Here the uninterrupted run stops at 31; resumed after 25 iterations, the first resumed
   * iteration is the new best and the run stops 11 iterations after it.
   */
  @Test
  void lossPatienceCountsAfreshInAResumedFit() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    double[] plateau = plateauLosses();
    Supplier<TrainingConfig> rule = () -> new TrainingConfig().solver("gd").stepSize(1)
        .maxIter(200).tol(1e-4).lossPatience(10);
    TrainingResult first = TrainingLoop.run(scriptedLoss(net, plateau), net.initialParams(1),
        rule.get().maxIter(25));
    TrainingResult resumed = TrainingLoop.run(scriptedLoss(net, plateau), first.weights(),
        rule.get(), first.state(), TrainingListener.NONE, Checkpointer.NONE);
    assertEquals(TrainingResult.StopReason.CONVERGED, resumed.stopReason());
    assertEquals(37, resumed.iterations().get(resumed.iterations().size() - 1).iteration());
  }

  @Test
  void aResumedRunWithTolStopsWhereTheUninterruptedRunStops() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    List<DataBlock> blocks = lineBlocks(200, 4);
    // Full batches: a window of one iteration; half the blocks per draw: a window of two.
    assertEverySplitResumesExactly(new LocalObjective(net, blocks, new BlockSampler(1, 0)),
        net.initialParams(1),
        () -> new TrainingConfig().solver("gd").stepSize(0.5).maxIter(500).tol(1e-4),
        TrainingResult.StopReason.CONVERGED);
    assertEverySplitResumesExactly(new LocalObjective(net, blocks, new BlockSampler(0.5, 3)),
        net.initialParams(1),
        () -> new TrainingConfig().solver("gd").stepSize(0.3).maxIter(500).tol(1e-2)
            .miniBatchFraction(0.5),
        TrainingResult.StopReason.CONVERGED);
  }

  /**
   * autoStepSize retreats to the last good weights on divergence: a resumed run retreats to the
   * same point as the uninterrupted one. Failed before the fix: the resumed run took its starting
   * weights as the last good ones (and its halvings count started at zero).
   */
  @Test
  void aResumedRunWithAutoStepSizeRetreatsWhereTheUninterruptedRunRetreats() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    // Step 2.5 overshoots (each step multiplies the error by about -1.5) until the loss passes
    // 100x the first one; half of it converges.
    Supplier<TrainingConfig> config = () -> new TrainingConfig().solver("gd").stepSize(2.5)
        .maxIter(500).tol(1e-4).autoStepSize(true);
    Objective objective = new LocalObjective(net, lineBlocks(200, 4), new BlockSampler(1, 0));
    TrainingResult full = TrainingLoop.run(objective, net.initialParams(1), config.get());
    double[] steps = full.iterations().stream().mapToDouble(IterationRecord::stepSize).toArray();
    assertEquals(2.5, steps[0]);
    assertEquals(1.25, steps[steps.length - 1], "halved once: " + Arrays.toString(steps));
    assertEverySplitResumesExactly(objective, net.initialParams(1), config,
        TrainingResult.StopReason.CONVERGED);
  }

  /** A test objective over a given network; the subclass scripts its evaluations. */
  private abstract static class Scripted implements Objective {
    private final Network net;
    private final boolean validation;

    Scripted(Network net, boolean validation) {
      this.net = net;
      this.validation = validation;
    }

    @Override
    public Network network() {
      return net;
    }

    @Override
    public boolean hasValidation() {
      return validation;
    }
  }

  /**
   * 200 scripted losses: falling by 0.01 per iteration to 0.8 at iteration 20, then within 3e-5
   * of 0.8 (less than the tests' tol of 1e-4).
   */
  private static double[] plateauLosses() {
    double[] losses = new double[200];
    for (int i = 1; i <= 200; i++) {
      losses[i - 1] = i <= 20 ? 1.0 - 0.01 * i : 0.8 + (i % 2 == 0 ? 3e-5 : -3e-5);
    }
    return losses;
  }

  /** An objective whose loss follows a script by iteration, with a zero gradient. */
  private static Objective scriptedLoss(Network net, double... losses) {
    return new Scripted(net, false) {
      @Override
      public GradientSum evaluate(double[] weights, int draw, boolean validate, Progress progress) {
        return new GradientSum().addTotals(new double[net.paramCount()],
            losses[progress.iteration() - 1], 1, 1);
      }
    };
  }

  @Test
  void aResumedRunKeepsTheFirstLossAsItsDivergenceThreshold() {
    // Losses 1, then 0.001, then 0.5: far below 100 x the first loss, so no divergence. Failed
    // before the fix: the resumed run took its own first loss (0.001) as the reference and called
    // 0.5 a divergence.
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    Objective objective = scriptedLoss(net, 1, 0.001, 0.001, 0.5, 0.5);
    Supplier<TrainingConfig> config = () -> new TrainingConfig().solver("gd").maxIter(5).tol(0);
    double[] initial = net.initialParams(1);
    assertEquals(5, TrainingLoop.run(objective, initial, config.get()).totalIterations());
    TrainingResult first = TrainingLoop.run(objective, initial, config.get().maxIter(2));
    TrainingResult second = TrainingLoop.run(objective, first.weights(), config.get(),
        first.state(), TrainingListener.NONE, Checkpointer.NONE);
    assertEquals(TrainingResult.StopReason.MAX_ITER, second.stopReason());
    assertArrayEquals(new double[] {0.001, 0.5, 0.5}, second.objectiveHistory(), 0.0);
  }

  @Test
  void invalidSettingsAreRejectedByName() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, 1}, Activation.IDENTITY,
        new SquaredError());
    Objective objective = new LocalObjective(net, lineBlocks(10, 1), new BlockSampler(1, 0));
    Object[][] cases = {
        {new TrainingConfig().stepSize(0), "stepSize"},
        {new TrainingConfig().stepSize(Double.POSITIVE_INFINITY), "stepSize"},
        {new TrainingConfig().maxIter(-1), "maxIter"},
        {new TrainingConfig().tol(-1e-3), "tol"},
        {new TrainingConfig().lossPatience(-1), "lossPatience"},
        {new TrainingConfig().validationSmoothing(1), "validationSmoothing"},
        {new TrainingConfig().validationSmoothing(-0.1), "validationSmoothing"},
        {new TrainingConfig().miniBatchFraction(0), "miniBatchFraction"},
        {new TrainingConfig().miniBatchFraction(1.5), "miniBatchFraction"},
        {new TrainingConfig().aggregationDepth(0), "aggregationDepth"},
    };
    for (Object[] c : cases) {
      TrainingConfig config = (TrainingConfig) c[0];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TrainingLoop.run(objective, net.initialParams(1), config));
      assertTrue(e.getMessage().startsWith((String) c[1] + " must be"), e.getMessage());
    }
    IllegalArgumentException solver = assertThrows(IllegalArgumentException.class,
        () -> TrainingLoop.run(objective, net.initialParams(1), new TrainingConfig().solver("lbfgs2")));
    assertTrue(solver.getMessage().contains("lbfgs2"), solver.getMessage());
  }

  /**
   * AdamW's decoupled decay skips the biases, like every other penalty ({@link
   * Network#isRegularized}). With a zero gradient only the decay moves the weights. Failed before
   * the fix: the biases shrank as well.
   */
  @Test
  void adamwDecaysTheWeightsButNotTheBiases() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {2, 3, 2}, Activation.TANH,
        new SoftmaxCrossEntropy());
    double[] initial = new double[net.paramCount()];
    Arrays.fill(initial, 1.0);
    TrainingConfig config = new TrainingConfig().solver("adamw").stepSize(0.1).maxIter(1).tol(0)
        .optimizerSettings(io.sparkbackprop.nn.optim.OptimizerSettings.defaults()
            .withWeightDecay(0.5));
    double[] after = TrainingLoop.run(scriptedLoss(net, 1.0), initial, config).weights();
    int weights = 0;
    for (int i = 0; i < after.length; i++) {
      if (net.isRegularized(i)) {
        weights++;
        assertEquals(0.95, after[i], 1e-12, "weight " + i);
      } else {
        assertEquals(1.0, after[i], 0.0, "bias " + i);
      }
    }
    assertEquals(2 * 3 + 3 * 2, weights);
  }
}
