package io.sparkbackprop.testing;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.SequentialNetwork;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.DenseLayer;
import io.sparkbackprop.nn.layer.Layer;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.HuberLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Compares a network's backpropagated gradient with central finite differences of its loss, for the
 * parameters ({@link #checkParams}) or the input features
 * ({@link #checkInputs}); every entry, or a seeded sample for large networks. Reports the worst.
 *
 * <p>Why these numbers. The network computes in float32, so its loss carries rounding noise of about
 * {@code 1e-7} of the values it is computed from. A central difference then errs by about
 * {@code noise / h} (rounding) plus {@code h^2 L''' / 6} (truncation); {@code h = 3e-3 * max(1, |p|)}
 * keeps both near {@code 1e-4} of the gradient on small nets (measured below {@code 1e-3} over every
 * activation, loss and shape of the engine tests), and the step used is the float32 difference
 * actually evaluated. An entry's error is {@code max(0, |a - n| - allowance) / max(|a|, |n|, floor)}:
 * the allowance forgives {@value #NOISE_ALLOWANCE} times the loss's rounding noise (estimated from
 * the outputs and measured by moving every entry a few ulps) per unit of step, so entries too small
 * for float32 to resolve cannot fail; the floor ({@value #FLOOR_FRACTION} of the largest entry) judges
 * near-zero entries against the gradient's size. Correct code stays below {@code 1e-3}; the usual bugs
 * (a missing factor, a transpose, a wrong derivative, an ignored weight) reach 0.05 to 1 on large
 * entries, hence {@link #DEFAULT_TOLERANCE} = {@value #DEFAULT_TOLERANCE}.
 *
 * <p>Kinks: a perturbation that moves a ReLU / leaky ReLU pre-activation across zero, or a Huber
 * residual across the threshold, mixes two slopes. For a {@link SequentialNetwork} (feed-forward
 * and recurrent alike) those quantities are recomputed at {@code p - h}, {@code p}, {@code p + h}
 * and such entries are skipped (counted in {@link Result#skipped()}). ELU, GELU and the recurrent
 * cells are smooth. Kinks of other {@link Network} implementations are invisible here: keep their
 * inputs away from them.
 */
public final class GradientCheck {
  /** Default step, relative to {@code max(1, |value|)}. */
  public static final double DEFAULT_STEP = 3e-3;
  /** A worst relative error above this means the gradient is wrong. */
  public static final double DEFAULT_TOLERANCE = 1e-2;
  /** Fraction of the largest analytic entry below which entries are compared absolutely. */
  public static final double FLOOR_FRACTION = 1e-2;
  /** Multiple of the measured rounding noise of the loss, per unit of step, that is forgiven. */
  static final double NOISE_ALLOWANCE = 4;

  private final double step;
  private final int maxChecked;
  private final long sampleSeed;

  private GradientCheck(double step, int maxChecked, long sampleSeed) {
    if (!(step > 0) || Double.isInfinite(step)) {
      throw new IllegalArgumentException("Step must be positive and finite, got " + step);
    }
    if (maxChecked <= 0) {
      throw new IllegalArgumentException("Must check at least one entry, got " + maxChecked);
    }
    this.step = step;
    this.maxChecked = maxChecked;
    this.sampleSeed = sampleSeed;
  }

  /** Checks every entry with the default step. */
  public static GradientCheck create() {
    return new GradientCheck(DEFAULT_STEP, Integer.MAX_VALUE, 0L);
  }

  /** The same check with another step (relative to {@code max(1, |value|)}). */
  public GradientCheck withStep(double relativeStep) {
    return new GradientCheck(relativeStep, maxChecked, sampleSeed);
  }

  /** The same check limited to a seeded random sample of at most {@code count} entries. */
  public GradientCheck sampling(int count, long seed) {
    return new GradientCheck(step, count, seed);
  }

  /** Checks the gradient with respect to the parameters. */
  public Result checkParams(Network network, double[] params, DataBlock block) {
    return checkParams(network, FloatArrays.fromDoubles(params), block);
  }

  /** Checks the gradient with respect to the parameters; {@code params} is not modified. */
  public Result checkParams(Network network, float[] params, DataBlock block) {
    if (params.length != network.paramCount()) {
      throw new IllegalArgumentException("The network needs " + network.paramCount()
          + " parameters, got " + params.length);
    }
    float[] p = params.clone();
    NetworkWorkspace workspace = network.newWorkspace(block.rows());
    float[] analytic = new float[p.length];
    double base = network.lossAndGradient(p, block, analytic, workspace);
    float[] scratch = new float[p.length];
    LossAt loss = () -> network.lossAndGradient(p, block, scratch, workspace);
    RegimeProbe probe = RegimeProbe.of(network, block.rows());
    double noise = Math.max(outputRounding(network, p, block), noiseLevel(p, analytic, loss, base));
    Tracker tracker = new Tracker(maxAbs(analytic));
    for (int k : sample(p.length)) {
      compare(p, k, analytic[k], loss, noise, probe, p, block, tracker,
          () -> describeParam(network, k));
    }
    return tracker.result();
  }

  /** Checks the gradient with respect to the input features. */
  public Result checkInputs(Network network, double[] params, DataBlock block) {
    return checkInputs(network, FloatArrays.fromDoubles(params), block);
  }

  /**
   * Checks the gradient with respect to the input features, as the network backpropagates it
   * ({@link Network#lossAndInputGradient}, without training noise). Each row (or sequence, with all
   * its steps) is checked on its own one-row block, so the noise allowance is that of one row's loss.
   */
  public Result checkInputs(Network network, float[] params, DataBlock block) {
    if (params.length != network.paramCount()) {
      throw new IllegalArgumentException("The network needs " + network.paramCount()
          + " parameters, got " + params.length);
    }
    int width = network.inputWidth();
    if (block.featureWidth() != width) {
      throw new IllegalArgumentException("Block has " + block.featureWidth()
          + " features per row but the network expects " + width);
    }
    int steps = block.shape().steps();
    int rowWidth = width * steps;
    NetworkWorkspace workspace = network.newWorkspace(1);
    RegimeProbe probe = RegimeProbe.of(network, 1);
    float[] scratch = new float[rowWidth];
    float[] analytic = new float[rowWidth * block.rows()];
    double[] bases = new double[block.rows()];
    for (int r = 0; r < block.rows(); r++) {
      bases[r] = network.lossAndInputGradient(params, oneRow(block, r, rowFeatures(block, r)),
          scratch, workspace);
      System.arraycopy(scratch, 0, analytic, r * rowWidth, rowWidth);
    }
    Tracker tracker = new Tracker(maxAbs(analytic));
    int row = -1;
    float[] x = null;
    DataBlock one = null;
    LossAt loss = null;
    double noise = 0;
    for (int k : sample(analytic.length)) {
      int r = k / rowWidth;
      int j = k % rowWidth;
      if (r != row) {
        // A new row: its own one-row block and the rounding noise of its loss.
        row = r;
        x = rowFeatures(block, r);
        DataBlock rowBlock = oneRow(block, r, x);
        one = rowBlock;
        loss = () -> network.lossAndInputGradient(params, rowBlock, scratch, workspace);
        float[] rowSlope = Arrays.copyOfRange(analytic, r * rowWidth, (r + 1) * rowWidth);
        noise = Math.max(outputRounding(network, params, one),
            noiseLevel(x, rowSlope, loss, bases[r]));
      }
      compare(x, j, analytic[k], loss, noise, probe, params, one, tracker,
          () -> "input row " + r + (steps > 1 ? ", step " + j / width : "") + ", feature "
              + j % width + " (of " + width + ")");
    }
    return tracker.result();
  }

  /**
   * Perturbs {@code values[k]} by +-h, evaluates the loss at both points and records the comparison,
   * or the skip if a perturbation changed the network's regime (see {@link RegimeProbe}).
   */
  private void compare(float[] values, int k, double analytic, LossAt loss, double noise,
      RegimeProbe probe, float[] params, DataBlock block, Tracker tracker, Supplier<String> name) {
    boolean[] before = probe == null ? null : probe.signature(params, block);
    float original = values[k];
    double h = step * Math.max(1.0, Math.abs(original));
    float plus = (float) (original + h);
    float minus = (float) (original - h);
    values[k] = plus;
    double lossPlus = loss.evaluate();
    boolean crossed = probe != null && probe.differs(before, params, block);
    values[k] = minus;
    double lossMinus = loss.evaluate();
    crossed = crossed || probe != null && probe.differs(before, params, block);
    values[k] = original;
    if (crossed) {
      tracker.skipped++;
      return;
    }
    double actualStep = (double) plus - minus;
    double allowance = NOISE_ALLOWANCE * noise / actualStep;
    tracker.record(analytic, (lossPlus - lossMinus) / actualStep, allowance, name);
  }

  /**
   * Float32 rounding noise of the loss near the current point: the loss is evaluated after moving
   * every entry of {@code values} by one to three ulps in random directions, and the change the
   * analytic slope predicts for that tiny move is subtracted; what remains is rounding. The largest of
   * four such probes is returned ({@code values} is restored).
   */
  private double noiseLevel(float[] values, float[] slope, LossAt loss, double base) {
    float[] saved = values.clone();
    Random rng = new Random(sampleSeed * 31 + 17);
    double worst = 0;
    for (int probe = 0; probe < 4; probe++) {
      double predicted = 0;
      for (int i = 0; i < values.length; i++) {
        int ulps = (rng.nextBoolean() ? 1 : -1) * (1 + rng.nextInt(3));
        float moved = saved[i] + ulps * Math.ulp(saved[i]);
        values[i] = moved;
        if (Float.isFinite(slope[i])) {
          predicted += slope[i] * ((double) moved - saved[i]);
        }
      }
      double rounding = Math.abs(loss.evaluate() - base - predicted);
      if (Double.isFinite(rounding)) {
        worst = Math.max(worst, rounding);
      }
      System.arraycopy(saved, 0, values, 0, values.length);
    }
    return worst;
  }

  /**
   * How much the loss moves when the float32 quantities it is computed from are rounded: for each
   * output, |dLoss/dOutput| times the ulp of the largest of the output, the residual and 1. The
   * residual is the loss gradient divided by the row weight (exact for squared error, an upper bound
   * for softmax) or, for Huber, recomputed, since its gradient is clipped. Perturbations too weak to
   * change those by a few ulps cannot be measured, whatever the step.
   */
  private static double outputRounding(Network network, float[] params, DataBlock block) {
    int columns = block.targetColumns();
    int width = network.outputWidth();
    float[] out = network.forward(params, block.features(), block.shape(),
        network.newWorkspace(block.rows()));
    float[] delta = new float[width * columns];
    network.loss().lossAndDelta(out, width, block.targets(), block.weights(), columns, delta);
    double sum = 0;
    for (int j = 0; j < columns; j++) {
      double weight = Math.abs(block.weights()[j]);
      for (int i = j * width; i < (j + 1) * width; i++) {
        double residual = network.loss() instanceof HuberLoss huber
            ? Math.abs(huberResidual(huber, out[i], block.targets()[i]))
            : weight > 0 ? Math.abs(delta[i]) / weight : 0;
        float magnitude = (float) Math.max(Math.max(Math.abs(out[i]), residual), 1.0);
        sum += Math.abs((double) delta[i]) * Math.ulp(magnitude);
      }
    }
    return sum;
  }

  /** The residual exactly as {@link HuberLoss} computes it, in float32. */
  private static float huberResidual(HuberLoss huber, float output, float target) {
    float center = (float) huber.scaling().center();
    float inverseScale = (float) (1.0 / huber.scaling().scale());
    return output - (target - center) * inverseScale;
  }

  /** The loss at the current contents of whatever array is being perturbed. */
  @FunctionalInterface
  private interface LossAt {
    double evaluate();
  }

  /** Row {@code r}'s features: one column, or every step of its sequence in time order. */
  private static float[] rowFeatures(DataBlock block, int r) {
    return columnsOf(block.features(), block.featureWidth(), block.shape().steps(), block.rows(), r);
  }

  /** The {@code steps} columns of row {@code r} in a time-major block of {@code rows} rows. */
  private static float[] columnsOf(float[] values, int width, int steps, int rows, int r) {
    float[] out = new float[width * steps];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(values, (t * rows + r) * width, out, t * width, width);
    }
    return out;
  }

  /** A one-row block over {@code features} (kept by reference, so later changes show through). */
  private static DataBlock oneRow(DataBlock block, int r, float[] features) {
    BatchShape shape = block.shape();
    int tw = block.targetWidth();
    boolean perStep = block.targetColumns() != block.rows();
    int targetSteps = perStep ? shape.steps() : 1;
    float[] targets = columnsOf(block.targets(), tw, targetSteps, block.rows(), r);
    float[] weights = columnsOf(block.weights(), 1, targetSteps, block.rows(), r);
    if (shape.steps() == 1) {
      return new DataBlock(block.id(), 1, block.featureWidth(), features, tw, targets, weights);
    }
    BatchShape one = BatchShape.sequences(1, shape.steps(), new int[] {shape.length(r)});
    return DataBlock.sequences(block.id(), one, block.featureWidth(), features, tw, perStep,
        targets, weights, false);
  }

  /** All indices in order, or a seeded sample of {@code maxChecked} of them in increasing order. */
  private int[] sample(int count) {
    int[] all = new int[count];
    for (int i = 0; i < count; i++) {
      all[i] = i;
    }
    if (count <= maxChecked) {
      return all;
    }
    Random rng = new Random(sampleSeed);
    for (int i = 0; i < maxChecked; i++) {
      int pick = i + rng.nextInt(count - i);
      int tmp = all[i];
      all[i] = all[pick];
      all[pick] = tmp;
    }
    int[] chosen = Arrays.copyOf(all, maxChecked);
    Arrays.sort(chosen);
    return chosen;
  }

  /** The largest finite magnitude (a NaN entry must not spoil the floor of the others). */
  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      if (Float.isFinite(v)) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  /** Names parameter {@code k}: its layer, and its place in that layer's slice. */
  static String describeParam(Network network, int k) {
    if (network instanceof SequentialNetwork sequential) {
      List<Layer> layers = sequential.layers();
      for (int l = layers.size() - 1; l >= 0; l--) {
        Layer layer = layers.get(l);
        int local = k - sequential.offset(l);
        if (layer.paramCount() > 0 && local >= 0) {
          return local < layer.paramCount()
              ? "parameter " + k + ": layer " + l + " (" + layer + ") " + layer.describeParam(local)
              : "parameter " + k + " (beyond the network's " + network.paramCount() + " parameters)";
        }
      }
    }
    return "parameter " + k + " of " + network.paramCount();
  }

  /**
   * The outcome of a check.
   *
   * @param worstRelativeError the largest error of any checked entry (see the class comment)
   * @param where which entry had it
   * @param analytic the backpropagated value of that entry
   * @param numeric its finite-difference estimate
   * @param checked number of entries compared
   * @param skipped number of entries skipped because a perturbation crossed a kink
   */
  public record Result(double worstRelativeError, String where, double analytic, double numeric,
      int checked, int skipped) {

    /** True if at least one entry was compared and none erred by more than {@code tolerance}. */
    public boolean passes(double tolerance) {
      return checked > 0 && worstRelativeError <= tolerance;
    }

    /** {@link #passes(double)} with {@link GradientCheck#DEFAULT_TOLERANCE}. */
    public boolean passes() {
      return passes(DEFAULT_TOLERANCE);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "worst relative error %.3g at %s (analytic %.6g, numeric %.6g); %d checked, %d skipped"
              + " at kinks",
          worstRelativeError, where, analytic, numeric, checked, skipped);
    }
  }

  /** Keeps the worst entry seen. */
  private static final class Tracker {
    final double floor;
    double worst = -1;
    String where = "nothing checked";
    double worstAnalytic = Double.NaN;
    double worstNumeric = Double.NaN;
    int checked;
    int skipped;

    Tracker(double maxAbsAnalytic) {
      this.floor = Math.max(FLOOR_FRACTION * maxAbsAnalytic, Double.MIN_NORMAL);
    }

    void record(double analytic, double numeric, double allowance, Supplier<String> name) {
      checked++;
      double excess = Math.max(0, Math.abs(analytic - numeric) - allowance);
      double error = excess / Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), floor);
      if (Double.isNaN(analytic) || Double.isNaN(numeric) || Double.isNaN(error)) {
        error = Double.POSITIVE_INFINITY;
      }
      if (error > worst) {
        worst = error;
        where = name.get();
        worstAnalytic = analytic;
        worstNumeric = numeric;
      }
    }

    Result result() {
      return new Result(Math.max(worst, 0), where, worstAnalytic, worstNumeric, checked, skipped);
    }
  }

  /**
   * Detects perturbations that cross a kink: a pre-activation of a ReLU or leaky ReLU dense layer
   * changing sign, or a Huber residual moving between the quadratic and the linear part. Hidden
   * activations come from prefix networks (a prefix of the layers uses the same prefix of the flat
   * parameter vector); a ReLU output is positive exactly when its pre-activation is. Smooth layers
   * (sigmoid, tanh, recurrent cells) have no kinks to watch.
   */
  private static final class RegimeProbe {
    final Network network;
    final SequentialNetwork[] prefixes;
    final NetworkWorkspace[] workspaces;
    final NetworkWorkspace outputWorkspace;
    final HuberLoss huber;

    private RegimeProbe(Network network, List<SequentialNetwork> prefixes, HuberLoss huber,
        int rows) {
      this.network = network;
      this.prefixes = prefixes.toArray(new SequentialNetwork[0]);
      this.workspaces = new NetworkWorkspace[this.prefixes.length];
      for (int l = 0; l < this.prefixes.length; l++) {
        workspaces[l] = this.prefixes[l].newWorkspace(rows);
      }
      this.huber = huber;
      this.outputWorkspace = huber == null ? null : network.newWorkspace(rows);
    }

    static RegimeProbe of(Network network, int rows) {
      List<SequentialNetwork> prefixes = new ArrayList<>();
      if (network instanceof SequentialNetwork sequential) {
        List<Layer> layers = sequential.layers();
        for (int l = 0; l < layers.size(); l++) {
          if (layers.get(l) instanceof DenseLayer dense
              && (dense.activation() == Activation.RELU
                  || dense.activation() == Activation.LEAKY_RELU)) {
            prefixes.add(sequential.prefix(l + 1));
          }
        }
      }
      HuberLoss huber = network.loss() instanceof HuberLoss h ? h : null;
      return !prefixes.isEmpty() || huber != null
          ? new RegimeProbe(network, prefixes, huber, rows) : null;
    }

    /** Which side of its kink every watched quantity is on. */
    boolean[] signature(float[] params, DataBlock block) {
      BatchShape shape = block.shape();
      int total = huber == null ? 0 : network.outputWidth() * block.targetColumns();
      for (SequentialNetwork prefix : prefixes) {
        total += prefix.outputWidth() * prefix.outputShape(shape).columns();
      }
      boolean[] signature = new boolean[total];
      int at = 0;
      for (int l = 0; l < prefixes.length; l++) {
        float[] z = prefixes[l].forward(params, block.features(), shape, workspaces[l]);
        int n = prefixes[l].outputWidth() * prefixes[l].outputShape(shape).columns();
        for (int i = 0; i < n; i++) {
          signature[at++] = z[i] > 0f;
        }
      }
      if (huber != null) {
        // The residual exactly as HuberLoss computes it.
        float[] out = network.forward(params, block.features(), shape, outputWorkspace);
        float threshold = (float) huber.threshold();
        float[] targets = block.targets();
        int n = network.outputWidth() * block.targetColumns();
        for (int i = 0; i < n; i++) {
          signature[at++] = Math.abs(huberResidual(huber, out[i], targets[i])) <= threshold;
        }
      }
      return signature;
    }

    boolean differs(boolean[] before, float[] params, DataBlock block) {
      return !Arrays.equals(before, signature(params, block));
    }
  }
}
