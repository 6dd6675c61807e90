package io.sparkbackprop.nn.optim;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed. 2006, Algorithm 7.5) with a
 * line search for the weak Wolfe conditions, driven by reverse communication: every call of
 * {@link #step} receives the loss and gradient at the point it asked for last and moves the weights to
 * the next point it wants evaluated.
 *
 * <p><b>Direction.</b> The two-loop recursion (Algorithm 7.4) over the last {@code history} pairs
 * {@code s = x' - x}, {@code y = g' - g}, with initial matrix {@code gamma * I},
 * {@code gamma = s'y / y'y} of the newest pair (eq. 7.20). A pair is stored only if
 * {@code s'y > 1e-10 |s| |y|}, which keeps the implicit matrix positive definite. If the direction is
 * not a descent direction ({@code g'd >= 0}, or not finite) the history is cleared and the search
 * follows {@code -g}.
 *
 * <p><b>Line search.</b> Trial steps {@code x + alpha d} are accepted when they satisfy the weak Wolfe
 * conditions (sufficient decrease with {@code c1 = 1e-4}, curvature {@code g'd >= c2 g0'd} with
 * {@code c2 = 0.9}). The search keeps a bracket as in Lewis and Overton 2013 ("Nonsmooth optimization
 * via quasi-Newton methods", sec. 4.2): a trial failing sufficient decrease (or with a non-finite loss)
 * becomes the upper end, one failing only the curvature condition the lower end. Without an upper end
 * the step grows by 4; inside a bracket the next trial minimises the cubic through both ends (Nocedal
 * and Wright eq. 3.59), kept at least a tenth of the bracket away from either end, or bisects when the
 * cubic is unusable. The first trial is {@code alpha = 1}; when there is no curvature history yet
 * (first iteration, or after a reset) it is shortened so the trial moves at most a distance of 1.
 *
 * <p><b>Reverse communication.</b> {@link #step} returns true when the point just evaluated is accepted
 * as an iterate (the first point, and every trial that passes the line search) and false for rejected
 * trials, which do not count as iterations. {@link #finalWeights} returns the last accepted iterate,
 * never an unevaluated or rejected trial. The {@code stepSize} and {@code iteration} arguments are
 * ignored: the line search chooses the step length, as in Spark MLP's l-bfgs solver.
 *
 * <p><b>Failure handling.</b> A line search gets {@value #MAX_TRIALS} evaluations. If it runs out, the
 * weights go back to the best trial seen that satisfied sufficient decrease, which is accepted when
 * re-evaluated (and still decreasing). If no trial decreased the loss, the history is cleared and the
 * search restarts along {@code -g}; if that fails too, the weights go back to the last iterate, whose
 * re-evaluation is accepted whatever its loss, and the search starts afresh from it. On a
 * deterministic objective that repeats the previous loss, which the training loop's convergence check
 * treats as converged. So at most {@code 2 * MAX_TRIALS + 3} evaluations separate two accepted points
 * (typically one or two).
 *
 * <p>Memory: {@code (2 * history + 3) * size} doubles. Each step costs O(history * size) and allocates
 * nothing.
 */
public final class Lbfgs implements Optimizer {
  private static final String NAME = "l-bfgs";
  /** Sufficient-decrease constant of the Armijo condition. */
  static final double C1 = 1e-4;
  /** Curvature constant of the weak Wolfe condition. */
  static final double C2 = 0.9;
  /** Evaluations one line search may use before falling back. */
  static final int MAX_TRIALS = 20;
  /** Longest distance the first trial moves when there is no curvature history. */
  static final double FIRST_STEP_LENGTH = 1.0;
  private static final double EXTRAPOLATION = 4.0;
  private static final double SAFEGUARD = 0.1;
  private static final double CURVATURE_EPS = 1e-10;

  /** No point evaluated yet; the next evaluation is accepted as the first iterate. */
  private static final int START = 0;
  /** The weights are the trial {@code x + alpha d}. */
  private static final int SEARCH = 1;
  /** The weights are {@code x + lo d} after a search ran out of trials; accepted if still decreasing. */
  private static final int RETREAT = 2;
  /** The weights are {@code x} itself after every search failed; its evaluation is accepted as is. */
  private static final int REEVALUATE = 3;

  private final int size;
  private final int history;
  private final double[] x;
  private final double[] gx;
  private final double[] d;
  private final double[][] s;
  private final double[][] y;
  private final double[] rho;
  private final double[] twoLoopAlpha;
  private int count;
  private int newest;

  private int phase = START;
  private double fx;
  private double dg0;
  private double alpha;
  private double lo;
  private double fLo;
  private double dgLo;
  private double hi;
  private double fHi;
  private double dgHi;
  private int trials;

  public Lbfgs(int size, int history) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    if (history < 1) {
      throw new IllegalArgumentException("lbfgsHistory must be >= 1, got " + history);
    }
    this.size = size;
    this.history = history;
    this.x = new double[size];
    this.gx = new double[size];
    this.d = new double[size];
    this.s = new double[history][size];
    this.y = new double[history][size];
    this.rho = new double[history];
    this.twoLoopAlpha = new double[history];
    this.newest = history - 1;
  }

  @Override
  public boolean rejectsBadTrials() {
    return true;
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    switch (phase) {
      case START:
      case REEVALUATE:
        accept(weights, loss, gradient, false);
        return true;
      case RETREAT:
        if (sufficientDecrease(loss, alpha)) {
          accept(weights, loss, gradient, true);
          return true;
        }
        restartOrStall(weights);
        return false;
      case SEARCH:
        return search(weights, loss, gradient);
      default:
        throw new IllegalStateException("Unknown L-BFGS phase " + phase);
    }
  }

  private boolean search(double[] weights, double loss, double[] gradient) {
    trials++;
    double dg = dot(gradient, d);
    boolean decrease = sufficientDecrease(loss, alpha);
    if (decrease && dg >= C2 * dg0) {
      accept(weights, loss, gradient, true);
      return true;
    }
    if (decrease) {
      lo = alpha;
      fLo = loss;
      dgLo = dg;
    } else {
      hi = alpha;
      fHi = loss;
      dgHi = dg;
    }
    if (trials >= MAX_TRIALS) {
      if (lo > 0) {
        phase = RETREAT;
        alpha = lo;
        moveFromIterate(weights, alpha);
      } else {
        restartOrStall(weights);
      }
      return false;
    }
    alpha = Double.isInfinite(hi) ? EXTRAPOLATION * lo : nextInBracket();
    moveFromIterate(weights, alpha);
    return false;
  }

  private boolean sufficientDecrease(double loss, double step) {
    return Double.isFinite(loss) && loss <= fx + C1 * step * dg0;
  }

  /**
   * Minimiser of the cubic through (lo, fLo, dgLo) and (hi, fHi, dgHi) (Nocedal and Wright eq. 3.59),
   * clamped to the middle 80% of the bracket; the midpoint if the cubic is unusable.
   */
  private double nextInBracket() {
    double width = hi - lo;
    double low = lo + SAFEGUARD * width;
    double high = hi - SAFEGUARD * width;
    double d1 = dgLo + dgHi - 3 * (fLo - fHi) / (lo - hi);
    double discriminant = d1 * d1 - dgLo * dgHi;
    if (!(discriminant >= 0) || !Double.isFinite(fHi) || !Double.isFinite(dgHi)) {
      return lo + 0.5 * width;
    }
    double d2 = Math.sqrt(discriminant);
    double next = hi - width * (dgHi + d2 - d1) / (dgHi - dgLo + 2 * d2);
    if (!Double.isFinite(next)) {
      return lo + 0.5 * width;
    }
    return Math.min(high, Math.max(low, next));
  }

  /** No trial decreased the loss: retry along -g if the direction used history, else give up. */
  private void restartOrStall(double[] weights) {
    if (count > 0) {
      count = 0;
      steepestDescent();
      beginSearch(weights);
    } else {
      phase = REEVALUATE;
      System.arraycopy(x, 0, weights, 0, size);
    }
  }

  /** Makes the evaluated point the new iterate and starts the next line search from it. */
  private void accept(double[] weights, double loss, double[] gradient, boolean updateHistory) {
    if (updateHistory) {
      storePair(weights, gradient);
    }
    System.arraycopy(weights, 0, x, 0, size);
    System.arraycopy(gradient, 0, gx, 0, size);
    fx = loss;
    direction();
    beginSearch(weights);
  }

  /** Stores s = weights - x, y = gradient - gx if the curvature s'y is safely positive. */
  private void storePair(double[] weights, double[] gradient) {
    double sy = 0;
    double ss = 0;
    double yy = 0;
    for (int i = 0; i < size; i++) {
      double si = weights[i] - x[i];
      double yi = gradient[i] - gx[i];
      sy += si * yi;
      ss += si * si;
      yy += yi * yi;
    }
    if (!(sy > CURVATURE_EPS * Math.sqrt(ss) * Math.sqrt(yy)) || !Double.isFinite(yy)) {
      return;
    }
    newest = (newest + 1) % history;
    double[] sNew = s[newest];
    double[] yNew = y[newest];
    for (int i = 0; i < size; i++) {
      sNew[i] = weights[i] - x[i];
      yNew[i] = gradient[i] - gx[i];
    }
    rho[newest] = 1 / sy;
    count = Math.min(count + 1, history);
  }

  /** d = -H g by the two-loop recursion; falls back to -g if that is not a descent direction. */
  private void direction() {
    for (int i = 0; i < size; i++) {
      d[i] = -gx[i];
    }
    if (count > 0) {
      for (int k = 0; k < count; k++) {
        int j = Math.floorMod(newest - k, history);
        double a = rho[j] * dot(s[j], d);
        twoLoopAlpha[j] = a;
        axpy(-a, y[j], d);
      }
      double[] yNew = y[newest];
      double gamma = 1 / (rho[newest] * dot(yNew, yNew));
      for (int i = 0; i < size; i++) {
        d[i] *= gamma;
      }
      for (int k = count - 1; k >= 0; k--) {
        int j = Math.floorMod(newest - k, history);
        double b = rho[j] * dot(y[j], d);
        axpy(twoLoopAlpha[j] - b, s[j], d);
      }
      dg0 = dot(gx, d);
      if (dg0 < 0 && Double.isFinite(dg0)) {
        return;
      }
      count = 0;
    }
    steepestDescent();
  }

  private void steepestDescent() {
    double gg = 0;
    for (int i = 0; i < size; i++) {
      d[i] = -gx[i];
      gg += gx[i] * gx[i];
    }
    dg0 = -gg;
  }

  /** Starts a line search along d from x and moves the weights to its first trial. */
  private void beginSearch(double[] weights) {
    alpha = 1;
    if (count == 0) {
      double length = Math.sqrt(dot(d, d));
      if (length > FIRST_STEP_LENGTH) {
        alpha = FIRST_STEP_LENGTH / length;
      }
    }
    lo = 0;
    fLo = fx;
    dgLo = dg0;
    hi = Double.POSITIVE_INFINITY;
    fHi = Double.NaN;
    dgHi = Double.NaN;
    trials = 0;
    phase = SEARCH;
    moveFromIterate(weights, alpha);
  }

  private void moveFromIterate(double[] weights, double step) {
    for (int i = 0; i < size; i++) {
      weights[i] = x[i] + step * d[i];
    }
  }

  /** The last accepted iterate (a copy), or {@code current} if no point was evaluated yet. */
  @Override
  public double[] finalWeights(double[] current) {
    return phase == START ? current : x.clone();
  }

  /**
   * A snapshot: the phase, the last iterate {@code x} with its loss {@code fx} and gradient {@code gx},
   * the search direction {@code d} and slope {@code dg0}, the line-search bracket and trial count, and
   * the curvature pairs {@code s0..}, {@code y0..} with {@code rho}, oldest first.
   */
  @Override
  public Map<String, double[]> state() {
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put("phase", new double[] {phase});
    state.put("x", x.clone());
    state.put("fx", new double[] {fx});
    state.put("gx", gx.clone());
    state.put("d", d.clone());
    state.put("dg0", new double[] {dg0});
    state.put("alpha", new double[] {alpha});
    state.put("lo", new double[] {lo, fLo, dgLo});
    state.put("hi", new double[] {hi, fHi, dgHi});
    state.put("trials", new double[] {trials});
    state.put("historyCount", new double[] {count});
    double[] rhoOldestFirst = new double[count];
    for (int k = 0; k < count; k++) {
      int j = Math.floorMod(newest - count + 1 + k, history);
      rhoOldestFirst[k] = rho[j];
      state.put("s" + k, s[j].clone());
      state.put("y" + k, y[j].clone());
    }
    state.put("rho", rhoOldestFirst);
    return state;
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    int savedCount = OptimizerState.integer(NAME, state, "historyCount", 0, history);
    Set<String> keys = new HashSet<>(List.of("phase", "x", "fx", "gx",
        "d", "dg0", "alpha", "lo", "hi", "trials", "historyCount", "rho"));
    for (int k = 0; k < savedCount; k++) {
      keys.add("s" + k);
      keys.add("y" + k);
    }
    OptimizerState.requireKeys(NAME, state, keys);
    double[] savedRho = state.get("rho");
    if (savedRho.length != savedCount) {
      throw new IllegalArgumentException(NAME + " state 'rho' has " + savedRho.length
          + " entries, expected " + savedCount);
    }
    phase = OptimizerState.integer(NAME, state, "phase", START, REEVALUATE);
    OptimizerState.copyInto(NAME, state, "x", x);
    fx = OptimizerState.scalar(NAME, state, "fx");
    OptimizerState.copyInto(NAME, state, "gx", gx);
    OptimizerState.copyInto(NAME, state, "d", d);
    dg0 = OptimizerState.scalar(NAME, state, "dg0");
    alpha = OptimizerState.scalar(NAME, state, "alpha");
    double[] bracket = new double[3];
    OptimizerState.copyInto(NAME, state, "lo", bracket);
    lo = bracket[0];
    fLo = bracket[1];
    dgLo = bracket[2];
    OptimizerState.copyInto(NAME, state, "hi", bracket);
    hi = bracket[0];
    fHi = bracket[1];
    dgHi = bracket[2];
    trials = OptimizerState.integer(NAME, state, "trials", 0, MAX_TRIALS);
    for (int k = 0; k < savedCount; k++) {
      OptimizerState.copyInto(NAME, state, "s" + k, s[k]);
      OptimizerState.copyInto(NAME, state, "y" + k, y[k]);
      rho[k] = savedRho[k];
    }
    count = savedCount;
    newest = Math.floorMod(savedCount - 1, history);
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** b += a * x. */
  private static void axpy(double a, double[] xs, double[] b) {
    for (int i = 0; i < b.length; i++) {
      b[i] += a * xs[i];
    }
  }
}
