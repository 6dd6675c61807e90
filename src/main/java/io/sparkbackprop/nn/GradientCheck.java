package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Compares a network's backpropagated gradient with central finite differences of its loss, for the
 * parameters ({@link #checkParams}) or, for a {@link FeedForwardNetwork}, the input features
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
 * residual across the threshold, mixes two slopes. For feed-forward networks those quantities are
 * recomputed at {@code p - h}, {@code p}, {@code p + h} and such entries are skipped (counted in
 * {@link Result#skipped()}). ELU and GELU are smooth enough. Other networks' kinks are invisible
 * here: keep their inputs away from them.
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
  public Result checkInputs(FeedForwardNetwork network, double[] params, DataBlock block) {
    return checkInputs(network, FloatArrays.fromDoubles(params), block);
  }

  /**
   * Checks the gradient with respect to the input features. The network does not expose it, so it is
   * derived per row from the first layer: on a one-row block the first layer's bias gradient is
   * {@code dLoss/dz1}, and {@code dLoss/dx = W1^T dLoss/dz1}. Each row is checked on its own one-row
   * block, so the noise allowance is that of one row's loss.
   */
  public Result checkInputs(FeedForwardNetwork network, float[] params, DataBlock block) {
    if (params.length != network.paramCount()) {
      throw new IllegalArgumentException("The network needs " + network.paramCount()
          + " parameters, got " + params.length);
    }
    int width = network.inputWidth();
    if (block.featureWidth() != width) {
      throw new IllegalArgumentException("Block has " + block.featureWidth()
          + " features per row but the network expects " + width);
    }
    int firstOut = network.layerSizes()[1];
    int biasOffset = firstOut * width;
    NetworkWorkspace workspace = network.newWorkspace(1);
    RegimeProbe probe = RegimeProbe.of(network, 1);
    float[] gradient = new float[params.length];
    float[] analytic = new float[width * block.rows()];
    double[] bases = new double[block.rows()];
    for (int r = 0; r < block.rows(); r++) {
      bases[r] = network.lossAndGradient(params, oneRow(block, r, rowFeatures(block, r)), gradient,
          workspace);
      for (int j = 0; j < width; j++) {
        double sum = 0;
        for (int i = 0; i < firstOut; i++) {
          sum += (double) params[i + j * firstOut] * gradient[biasOffset + i];
        }
        analytic[r * width + j] = (float) sum;
      }
    }
    Tracker tracker = new Tracker(maxAbs(analytic));
    int row = -1;
    float[] x = null;
    DataBlock one = null;
    LossAt loss = null;
    double noise = 0;
    for (int k : sample(analytic.length)) {
      int r = k / width;
      int j = k % width;
      if (r != row) {
        // A new row: its own one-row block and the rounding noise of its loss.
        row = r;
        x = rowFeatures(block, r);
        DataBlock rowBlock = oneRow(block, r, x);
        one = rowBlock;
        loss = () -> network.lossAndGradient(params, rowBlock, gradient, workspace);
        float[] rowSlope = Arrays.copyOfRange(analytic, r * width, (r + 1) * width);
        noise = Math.max(outputRounding(network, params, one),
            noiseLevel(x, rowSlope, loss, bases[r]));
      }
      compare(x, j, analytic[k], loss, noise, probe, params, one, tracker,
          () -> "input row " + r + ", feature " + j + " (of " + width + ")");
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
    int rows = block.rows();
    int width = network.outputWidth();
    float[] out = network.forward(params, block.features(), rows, network.newWorkspace(rows));
    float[] delta = new float[width * rows];
    network.loss().lossAndDelta(out, width, block.targets(), block.weights(), rows, delta);
    double sum = 0;
    for (int j = 0; j < rows; j++) {
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

  private static float[] rowFeatures(DataBlock block, int r) {
    int width = block.featureWidth();
    float[] x = new float[width];
    System.arraycopy(block.features(), r * width, x, 0, width);
    return x;
  }

  /** A one-row block over {@code features} (kept by reference, so later changes show through). */
  private static DataBlock oneRow(DataBlock block, int r, float[] features) {
    int tw = block.targetWidth();
    float[] targets = new float[tw];
    System.arraycopy(block.targets(), r * tw, targets, 0, tw);
    return new DataBlock(block.id(), 1, block.featureWidth(), features, tw, targets,
        new float[] {block.weights()[r]});
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

  /** Names parameter {@code k}: its layer, and its place in that layer's weight matrix or bias. */
  static String describeParam(Network network, int k) {
    if (!(network instanceof FeedForwardNetwork ffn)) {
      return "parameter " + k + " of " + network.paramCount();
    }
    int[] sizes = ffn.layerSizes();
    int offset = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int weights = in * out;
      if (k < offset + weights + out) {
        int local = k - offset;
        String layer = "layer " + l + " (" + in + " -> " + out + ")";
        return "parameter " + k + ": " + layer + (local < weights
            ? " weight W[" + (local % out) + "][" + (local / out) + "]"
            : " bias b[" + (local - weights) + "]");
      }
      offset += weights + out;
    }
    return "parameter " + k + " (beyond the network's " + ffn.paramCount() + " parameters)";
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
   * Detects perturbations that cross a kink of a feed-forward network: a hidden pre-activation
   * changing sign under ReLU or leaky ReLU, or a Huber residual moving between the quadratic and the
   * linear part. Hidden pre-activations come from prefix networks whose linear output is that layer's
   * {@code z} (a prefix of the layers uses the same prefix of the flat parameter vector).
   */
  private static final class RegimeProbe {
    final FeedForwardNetwork network;
    final FeedForwardNetwork[] prefixes;
    final NetworkWorkspace[] workspaces;
    final NetworkWorkspace outputWorkspace;
    final HuberLoss huber;

    private RegimeProbe(FeedForwardNetwork network, boolean hiddenKinks, HuberLoss huber,
        int rows) {
      int[] sizes = network.layerSizes();
      int hidden = hiddenKinks ? sizes.length - 2 : 0;
      this.network = network;
      this.prefixes = new FeedForwardNetwork[hidden];
      this.workspaces = new NetworkWorkspace[hidden];
      for (int l = 0; l < hidden; l++) {
        prefixes[l] = new FeedForwardNetwork(Arrays.copyOf(sizes, l + 2),
            network.hiddenActivation(), new SquaredError());
        workspaces[l] = prefixes[l].newWorkspace(rows);
      }
      this.huber = huber;
      this.outputWorkspace = huber == null ? null : network.newWorkspace(rows);
    }

    static RegimeProbe of(Network network, int rows) {
      if (!(network instanceof FeedForwardNetwork ffn)) {
        return null;
      }
      boolean hiddenKinks = ffn.layerSizes().length > 2
          && (ffn.hiddenActivation() == Activation.RELU
              || ffn.hiddenActivation() == Activation.LEAKY_RELU);
      HuberLoss huber = ffn.loss() instanceof HuberLoss h ? h : null;
      return hiddenKinks || huber != null ? new RegimeProbe(ffn, hiddenKinks, huber, rows) : null;
    }

    /** Which side of its kink every watched quantity is on. */
    boolean[] signature(float[] params, DataBlock block) {
      int rows = block.rows();
      int total = huber == null ? 0 : network.outputWidth() * rows;
      for (FeedForwardNetwork prefix : prefixes) {
        total += prefix.outputWidth() * rows;
      }
      boolean[] signature = new boolean[total];
      int at = 0;
      for (int l = 0; l < prefixes.length; l++) {
        float[] z = prefixes[l].forward(params, block.features(), rows, workspaces[l]);
        int n = prefixes[l].outputWidth() * rows;
        for (int i = 0; i < n; i++) {
          signature[at++] = z[i] > 0f;
        }
      }
      if (huber != null) {
        // The residual exactly as HuberLoss computes it.
        float[] out = network.forward(params, block.features(), rows, outputWorkspace);
        float threshold = (float) huber.threshold();
        float[] targets = block.targets();
        int n = network.outputWidth() * rows;
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
