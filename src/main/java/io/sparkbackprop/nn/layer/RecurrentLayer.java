package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.linalg.Blas;
import io.sparkbackprop.nn.linalg.ElementwiseKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A recurrent layer over time-major sequence blocks, trained by backpropagation through time. The
 * cells ({@link ElmanLayer}, {@link LstmLayer}, {@link GruLayer}) differ only in their element-wise
 * step; this class owns the loop, the matrix products and the masking.
 *
 * <p>Per direction the parameters are {@code Wx} ({@code G*H x D}, column-major, {@code G} gates
 * stacked), {@code Wh} ({@code G*H x H}), the bias ({@code G*H}), then any cell-specific extras. A
 * bidirectional layer has a second such slice for the reverse direction and outputs
 * {@code [h_forward; h_reverse]} per column.
 *
 * <p>Work per block: one GEMM projects the inputs of all steps ({@code Wx X}, {@code G*H x T*B}),
 * then each step adds {@code Wh h_prev} (one {@code G*H x B} GEMM) and runs the cell. Backward, each
 * step needs one {@code Wh^T dG} GEMM; the weight gradients of all steps are then two GEMMs
 * ({@code dG X^T} and {@code dG H_prev^T}), because parameters shared across time add up.
 *
 * <p>Masking: a step beyond a row's length leaves the state unchanged (the carried state is frozen,
 * so the last state is the one at the row's last step, and the reverse direction starts at it) and
 * outputs zeros; its gradient passes through untouched. Padding therefore reaches neither the
 * outputs, the gradients nor the carried state.
 *
 * <p>Truncated BPTT ({@code bpttSteps k > 0}): the gradient carried from a step to the step before
 * it is cut every {@code k} steps counted back from the row's last processed step, so the final
 * state (many-to-one) sees its last {@code k} steps and per-step outputs see back to the start of
 * their chunk. The forward pass is exact.
 *
 * <p>Memory per block of {@code B} rows and {@code T} steps, per direction: the gate activations and
 * their gradients ({@code 2 G H T B} floats), the states ({@code H T B}; LSTM adds cells and their
 * tanh, GRU the recurrent candidate: {@code 2 H T B} or {@code H T B}), plus the output.
 */
public abstract class RecurrentLayer implements Layer {
  private static final long serialVersionUID = 1L;
  private static final ElementwiseKernels VECTOR = ElementwiseKernels.VECTORISED;

  protected final int inputSize;
  protected final int hiddenSize;
  private final int directions;
  private final boolean returnSequences;
  private final int bpttSteps;

  /**
   * @param returnSequences output every step (for a layer above, or per-step targets) rather than
   *     only the final state
   * @param bpttSteps truncate backpropagation through time to this many steps; 0 for full BPTT
   */
  protected RecurrentLayer(int inputSize, int hiddenSize, boolean bidirectional,
      boolean returnSequences, int bpttSteps) {
    if (inputSize <= 0 || hiddenSize <= 0) {
      throw new IllegalArgumentException("Recurrent layer sizes must be positive, got "
          + inputSize + " -> " + hiddenSize);
    }
    if (bpttSteps < 0) {
      throw new IllegalArgumentException("bpttSteps must be >= 0 (0 = full), got " + bpttSteps);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.directions = bidirectional ? 2 : 1;
    this.returnSequences = returnSequences;
    this.bpttSteps = bpttSteps;
  }

  /** Number of gates G stacked in {@code Wx}, {@code Wh} and the bias. */
  protected abstract int gates();

  /** Cell-specific parameters per direction after the bias (0 by default). */
  protected int extraParams() {
    return 0;
  }

  /** Whether the cell carries a memory cell besides its hidden state (LSTM). */
  protected boolean hasCell() {
    return false;
  }

  /** Whether the recurrent gate gradient differs from the input gate gradient (GRU). */
  protected boolean separateRecurrentDelta() {
    return false;
  }

  /** Writes the initial bias of one direction (zeros unless the cell wants otherwise). */
  protected void initializeBias(double[] params, int biasOffset) {
    Arrays.fill(params, biasOffset, biasOffset + gates() * hiddenSize, 0.0);
  }

  /**
   * The element-wise step of the cell for the {@code B} columns of one time step. On entry the gate
   * block holds {@code Wx x + b}; {@code rec} holds {@code Wh h_prev} or is null when that is zero.
   * Valid columns get their new state; invalid ones (padding) copy the previous state.
   */
  protected abstract void forwardStep(Step s);

  /**
   * The element-wise backward step: from {@code dh} (and {@code dc}) to the gate gradients
   * ({@code dGx}, and {@code dGh} when separate), the direct part of {@code dhPrev} (the product
   * with {@code Wh^T} is added afterwards) and {@code dcPrev}. Invalid columns pass {@code dh} and
   * {@code dc} through and get zero gate gradients.
   */
  protected abstract void backwardStep(Step s);

  public int hiddenSize() {
    return hiddenSize;
  }

  public boolean bidirectional() {
    return directions == 2;
  }

  public boolean returnSequences() {
    return returnSequences;
  }

  public int bpttSteps() {
    return bpttSteps;
  }

  @Override
  public int inputWidth() {
    return inputSize;
  }

  @Override
  public int outputWidth() {
    return hiddenSize * directions;
  }

  private int gateRows() {
    return gates() * hiddenSize;
  }

  private int perDirection() {
    return gateRows() * (inputSize + hiddenSize + 1) + extraParams();
  }

  @Override
  public int paramCount() {
    return perDirection() * directions;
  }

  @Override
  public BatchShape outputShape(BatchShape input) {
    return returnSequences ? input : input.lastStepOnly();
  }

  /** Offset of {@code Wx}, {@code Wh}, bias or extras of direction {@code d}, from the layer's. */
  private int wx(int d) {
    return d * perDirection();
  }

  private int wh(int d) {
    return wx(d) + gateRows() * inputSize;
  }

  protected final int bias(int d) {
    return wh(d) + gateRows() * hiddenSize;
  }

  protected final int extra(int d) {
    return bias(d) + gateRows();
  }

  @Override
  public boolean isRegularized(int index) {
    return index % perDirection() < gateRows() * (inputSize + hiddenSize);
  }

  @Override
  public String describeParam(int index) {
    int d = index / perDirection();
    int local = index % perDirection();
    String dir = directions == 2 ? (d == 0 ? "forward " : "reverse ") : "";
    int g = gateRows();
    if (local < g * inputSize) {
      return dir + "Wx[" + local % g + "][" + local / g + "]";
    }
    local -= g * inputSize;
    if (local < g * hiddenSize) {
      return dir + "Wh[" + local % g + "][" + local / g + "]";
    }
    local -= g * hiddenSize;
    return local < g ? dir + "bias[" + local + "]" : dir + "extra[" + (local - g) + "]";
  }

  /**
   * Input weights Xavier-uniform per gate, recurrent weights orthogonal per gate (so repeated
   * products neither shrink nor blow up the state at the start), biases by the cell.
   */
  @Override
  public void initialize(double[] params, int offset, Random rng) {
    int g = gateRows();
    double limit = Math.sqrt(6.0 / (inputSize + hiddenSize));
    for (int d = 0; d < directions; d++) {
      for (int i = 0; i < g * inputSize; i++) {
        params[offset + wx(d) + i] = (2 * rng.nextDouble() - 1) * limit;
      }
      for (int gate = 0; gate < gates(); gate++) {
        double[] q = Orthogonal.matrix(hiddenSize, rng);
        for (int c = 0; c < hiddenSize; c++) {
          for (int r = 0; r < hiddenSize; r++) {
            params[offset + wh(d) + c * g + gate * hiddenSize + r] = q[c * hiddenSize + r];
          }
        }
      }
      initializeBias(params, offset + bias(d));
      Arrays.fill(params, offset + extra(d), offset + extra(d) + extraParams(), 0.0);
    }
  }

  @Override
  public LayerWorkspace newWorkspace(int maxRows, int maxSteps) {
    return new Workspace(maxRows, maxSteps);
  }

  /**
   * Sets the state the next forward passes with this workspace start from (for continuing a
   * sequence, e.g. text generation), {@code H x rows} per direction; null resets it to zeros.
   */
  public void setInitialState(LayerWorkspace workspace, int direction, float[] h, float[] c) {
    Workspace ws = (Workspace) workspace;
    Direction dir = ws.dirs[direction];
    if (h == null) {
      Arrays.fill(dir.h0, 0f);
      if (dir.c0 != null) {
        Arrays.fill(dir.c0, 0f);
      }
      dir.hasInitialState = false;
      return;
    }
    System.arraycopy(h, 0, dir.h0, 0, Math.min(h.length, dir.h0.length));
    if (dir.c0 != null && c != null) {
      System.arraycopy(c, 0, dir.c0, 0, Math.min(c.length, dir.c0.length));
    }
    dir.hasInitialState = true;
  }

  /**
   * Copies the state after the last forward pass's final step ({@code H x rows}) into {@code h}
   * (and the LSTM cell into {@code c} when not null).
   */
  public void finalState(LayerWorkspace workspace, BatchShape shape, int direction, float[] h,
      float[] c) {
    Workspace ws = (Workspace) workspace;
    Direction dir = ws.dirs[direction];
    int rows = shape.rows();
    int t = direction == 0 ? shape.steps() - 1 : 0;
    System.arraycopy(dir.hs, t * rows * hiddenSize, h, 0, rows * hiddenSize);
    if (c != null && dir.cs != null) {
      System.arraycopy(dir.cs, t * rows * hiddenSize, c, 0, rows * hiddenSize);
    }
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, SplittableRandom noise) {
    Workspace ws = (Workspace) workspace;
    int rows = shape.rows();
    int steps = shape.steps();
    int h = hiddenSize;
    int outW = outputWidth();
    for (int d = 0; d < directions; d++) {
      forwardDirection(params, offset, input, shape, ws, d);
      Direction dir = ws.dirs[d];
      if (returnSequences) {
        for (int t = 0; t < steps; t++) {
          for (int j = 0; j < rows; j++) {
            int col = t * rows + j;
            int to = col * outW + d * h;
            if (shape.isValid(t, j)) {
              System.arraycopy(dir.hs, col * h, ws.out, to, h);
            } else {
              Arrays.fill(ws.out, to, to + h, 0f);
            }
          }
        }
      } else {
        int t = d == 0 ? steps - 1 : 0;
        for (int j = 0; j < rows; j++) {
          System.arraycopy(dir.hs, (t * rows + j) * h, ws.out, j * outW + d * h, h);
        }
      }
    }
    return ws.out;
  }

  private void forwardDirection(float[] params, int offset, float[] input, BatchShape shape,
      Workspace ws, int d) {
    Direction dir = ws.dirs[d];
    Step s = ws.step;
    int rows = shape.rows();
    int steps = shape.steps();
    int columns = shape.columns();
    int g = gateRows();
    int h = hiddenSize;
    Blas.gemm(false, false, g, columns, inputSize, 1f, params, offset + wx(d), g, input, 0,
        inputSize, 0f, dir.gates, 0, g);
    int biasOffset = offset + bias(d);
    if (VECTOR != null) {
      VECTOR.addBias(dir.gates, g, columns, params, biasOffset);
    } else {
      for (int col = 0; col < columns; col++) {
        for (int i = 0; i < g; i++) {
          dir.gates[col * g + i] += params[biasOffset + i];
        }
      }
    }
    s.prepare(this, params, offset + extra(d), shape, dir, ws);
    for (int k = 0; k < steps; k++) {
      int t = d == 0 ? k : steps - 1 - k;
      int tp = d == 0 ? t - 1 : t + 1;
      s.at(t, k == 0 ? -1 : tp);
      if (k == 0 && !dir.hasInitialState) {
        s.rec = null;
      } else {
        Blas.gemm(false, false, g, rows, h, 1f, params, offset + wh(d), g, s.hPrev, s.hPrevOffset,
            h, 0f, ws.rec, 0, g);
        s.rec = ws.rec;
      }
      forwardStep(s);
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, float[] outputDelta, float[] gradient, float[] inputDelta) {
    Workspace ws = (Workspace) workspace;
    for (int d = 0; d < directions; d++) {
      backwardDirection(params, offset, input, shape, ws, d, outputDelta, gradient, inputDelta);
    }
  }

  private void backwardDirection(float[] params, int offset, float[] input, BatchShape shape,
      Workspace ws, int d, float[] outputDelta, float[] gradient, float[] inputDelta) {
    Direction dir = ws.dirs[d];
    dir.allocateGradients();
    Step s = ws.step;
    int rows = shape.rows();
    int steps = shape.steps();
    int columns = shape.columns();
    int g = gateRows();
    int h = hiddenSize;
    int outW = outputWidth();
    float[] dGh = separateRecurrentDelta() ? dir.dGh : dir.dGx;
    s.prepare(this, params, offset + extra(d), shape, dir, ws);
    Arrays.fill(ws.carryH, 0, h * rows, 0f);
    if (ws.carryC != null) {
      Arrays.fill(ws.carryC, 0, h * rows, 0f);
    }
    for (int k = steps - 1; k >= 0; k--) {
      int t = d == 0 ? k : steps - 1 - k;
      s.at(t, k == 0 ? -1 : (d == 0 ? t - 1 : t + 1));
      // dh = carried gradient + what the output at this step received.
      float[] dh = ws.dh;
      System.arraycopy(ws.carryH, 0, dh, 0, h * rows);
      if (returnSequences) {
        for (int j = 0; j < rows; j++) {
          if (shape.isValid(t, j)) {
            int from = (t * rows + j) * outW + d * h;
            for (int i = 0; i < h; i++) {
              dh[j * h + i] += outputDelta[from + i];
            }
          }
        }
      } else if (k == steps - 1) {
        for (int j = 0; j < rows; j++) {
          for (int i = 0; i < h; i++) {
            dh[j * h + i] += outputDelta[j * outW + d * h + i];
          }
        }
      }
      s.dc = ws.carryC;
      s.dhPrev = ws.dhPrev;
      s.dcPrev = ws.dcPrev;
      backwardStep(s);
      if (k == 0) {
        break; // nothing is carried to the initial state
      }
      // dhPrev holds the direct part; add the recurrent product Wh^T dG.
      Blas.gemm(true, false, h, rows, g, 1f, params, offset + wh(d), g, dGh, t * rows * g, g, 1f,
          ws.dhPrev, 0, h);
      if (bpttSteps > 0) {
        cutCarries(shape, t, d, ws);
      }
      float[] swap = ws.carryH;
      ws.carryH = ws.dhPrev;
      ws.dhPrev = swap;
      if (ws.carryC != null) {
        swap = ws.carryC;
        ws.carryC = ws.dcPrev;
        ws.dcPrev = swap;
      }
    }
    if (gradient != null) {
      addWeightGradients(params, offset, input, shape, ws, d, gradient, dGh);
    }
    if (inputDelta != null) {
      Blas.gemm(true, false, inputSize, columns, g, 1f, params, offset + wx(d), g, dir.dGx, 0, g,
          d == 0 ? 0f : 1f, inputDelta, 0, inputSize);
    }
  }

  /** Zeroes the carries of rows whose truncation boundary lies before step {@code t}. */
  private void cutCarries(BatchShape shape, int t, int d, Workspace ws) {
    int h = hiddenSize;
    for (int j = 0, rows = shape.rows(); j < rows; j++) {
      if (!shape.isValid(t, j)) {
        continue;
      }
      // Steps from the row's last processed step back to t, inclusive.
      int fromEnd = d == 0 ? shape.length(j) - t : t + 1;
      if (fromEnd % bpttSteps == 0) {
        Arrays.fill(ws.dhPrev, j * h, (j + 1) * h, 0f);
        if (ws.dcPrev != null) {
          Arrays.fill(ws.dcPrev, j * h, (j + 1) * h, 0f);
        }
      }
    }
  }

  private void addWeightGradients(float[] params, int offset, float[] input, BatchShape shape,
      Workspace ws, int d, float[] gradient, float[] dGh) {
    Direction dir = ws.dirs[d];
    int rows = shape.rows();
    int steps = shape.steps();
    int columns = shape.columns();
    int g = gateRows();
    int h = hiddenSize;
    Blas.gemm(false, true, g, inputSize, columns, 1f, dir.dGx, 0, g, input, 0, inputSize, 1f,
        gradient, offset + wx(d), g);
    if (VECTOR != null) {
      VECTOR.addColumnSums(dir.dGx, g, columns, gradient, offset + bias(d));
    } else {
      for (int col = 0; col < columns; col++) {
        for (int i = 0; i < g; i++) {
          gradient[offset + bias(d) + i] += dir.dGx[col * g + i];
        }
      }
    }
    // Every step after the first pairs its gate gradient with the previous step's state.
    if (steps > 1) {
      int dgFrom = d == 0 ? rows : 0;
      int hFrom = d == 0 ? 0 : rows;
      Blas.gemm(false, true, g, h, (steps - 1) * rows, 1f, dGh, dgFrom * g, g, dir.hs, hFrom * h,
          h, 1f, gradient, offset + wh(d), g);
    }
    if (dir.hasInitialState) {
      int first = d == 0 ? 0 : steps - 1;
      Blas.gemm(false, true, g, h, rows, 1f, dGh, first * rows * g, g, dir.h0, 0, h, 1f,
          gradient, offset + wh(d), g);
    }
    addExtraGradients(params, offset + extra(d), dGh, columns, gradient);
  }

  /** Adds the gradient of the cell's extra parameters (GRU's recurrent candidate bias). */
  protected void addExtraGradients(float[] params, int extraOffset, float[] dGh, int columns,
      float[] gradient) {}

  /** Buffers of one direction, sized for the workspace's capacity. */
  protected static final class Direction {
    final float[] gates;
    final float[] hs;
    final float[] cs;
    final float[] aux;
    /** Gradient buffers, allocated on the first backward pass (inference never needs them). */
    float[] dGx;
    float[] dGh;
    final float[] h0;
    final float[] c0;
    boolean hasInitialState;

    private final int gradientSize;
    private final boolean separate;

    Direction(RecurrentLayer layer, int maxRows, int columns) {
      gradientSize = layer.gateRows() * columns;
      separate = layer.separateRecurrentDelta();
      int g = layer.gateRows();
      int h = layer.hiddenSize;
      gates = new float[g * columns];
      hs = new float[h * columns];
      boolean cell = layer.hasCell();
      cs = cell ? new float[h * columns] : null;
      aux = cell || layer.separateRecurrentDelta() ? new float[h * columns] : null;
      h0 = new float[h * maxRows];
      c0 = cell ? new float[h * maxRows] : null;
    }

    void allocateGradients() {
      if (dGx == null) {
        dGx = new float[gradientSize];
        dGh = separate ? new float[gradientSize] : null;
      }
    }
  }

  /**
   * What a cell step sees: the step's column range in every buffer, the previous state, and the
   * gradient buffers. One instance per workspace, repositioned for every step.
   */
  protected static final class Step {
    /** Rows (columns per step), hidden size, gate rows. */
    protected int rows;
    protected int h;
    protected int g;
    /** The time step and whether each row is valid there. */
    protected int t;
    protected BatchShape shape;
    protected float[] params;
    protected int extraOffset;
    /** Gate block (pre-activations, then activations) and its start for this step. */
    protected float[] gates;
    protected int gateOffset;
    /** Wh h_prev for this step ({@code G*H x rows}, from 0), or null when zero. */
    protected float[] rec;
    /** State, cell and auxiliary buffers; this step's start in them. */
    protected float[] hs;
    protected float[] cs;
    protected float[] aux;
    protected int stateOffset;
    /** The previous state and cell (or the initial ones). */
    protected float[] hPrev;
    protected int hPrevOffset;
    protected float[] cPrev;
    protected int cPrevOffset;
    /** Backward: dLoss/dh and dLoss/dc at this step ({@code H x rows}, from 0). */
    protected float[] dh;
    protected float[] dc;
    /** Backward outputs: gate gradients (at gateOffset) and the carries to the previous step. */
    protected float[] dGx;
    protected float[] dGh;
    protected float[] dhPrev;
    protected float[] dcPrev;
    private Direction dir;

    void prepare(RecurrentLayer layer, float[] params, int extraOffset, BatchShape shape,
        Direction dir, Workspace ws) {
      this.rows = shape.rows();
      this.h = layer.hiddenSize;
      this.g = layer.gateRows();
      this.shape = shape;
      this.params = params;
      this.extraOffset = extraOffset;
      this.dir = dir;
      this.gates = dir.gates;
      this.hs = dir.hs;
      this.cs = dir.cs;
      this.aux = dir.aux;
      this.dGx = dir.dGx;
      this.dGh = dir.dGh != null ? dir.dGh : dir.dGx;
      this.dh = ws.dh;
    }

    void at(int t, int previous) {
      this.t = t;
      this.gateOffset = t * rows * g;
      this.stateOffset = t * rows * h;
      if (previous < 0) {
        hPrev = dir.h0;
        hPrevOffset = 0;
        cPrev = dir.c0;
        cPrevOffset = 0;
      } else {
        hPrev = dir.hs;
        hPrevOffset = previous * rows * h;
        cPrev = dir.cs;
        cPrevOffset = previous * rows * h;
      }
    }

    /** Whether row {@code j} has data at this step. */
    protected boolean valid(int j) {
      return shape.isValid(t, j);
    }

    /** Copies the previous state (and cell) of row {@code j} forward unchanged. */
    protected void carryState(int j) {
      System.arraycopy(hPrev, hPrevOffset + j * h, hs, stateOffset + j * h, h);
      if (cs != null) {
        System.arraycopy(cPrev, cPrevOffset + j * h, cs, stateOffset + j * h, h);
      }
    }

    /** Backward through a padded step of row {@code j}: gradients pass, gates get none. */
    protected void passGradient(int j) {
      Arrays.fill(dGx, gateOffset + j * g, gateOffset + (j + 1) * g, 0f);
      if (dGh != dGx) {
        Arrays.fill(dGh, gateOffset + j * g, gateOffset + (j + 1) * g, 0f);
      }
      System.arraycopy(dh, j * h, dhPrev, j * h, h);
      if (dcPrev != null) {
        System.arraycopy(dc, j * h, dcPrev, j * h, h);
      }
    }
  }

  /** All buffers of one task's layer: both directions, the step scratch and the output. */
  private final class Workspace implements LayerWorkspace {
    final Direction[] dirs;
    final Step step = new Step();
    final float[] rec;
    final float[] dh;
    float[] carryH;
    float[] dhPrev;
    float[] carryC;
    float[] dcPrev;
    final float[] out;

    Workspace(int maxRows, int maxSteps) {
      int columns = maxRows * maxSteps;
      dirs = new Direction[directions];
      for (int d = 0; d < directions; d++) {
        dirs[d] = new Direction(RecurrentLayer.this, maxRows, columns);
      }
      rec = new float[gateRows() * maxRows];
      int state = hiddenSize * maxRows;
      dh = new float[state];
      carryH = new float[state];
      dhPrev = new float[state];
      carryC = hasCell() ? new float[state] : null;
      dcPrev = hasCell() ? new float[state] : null;
      out = new float[outputWidth() * (returnSequences ? columns : maxRows)];
    }
  }
}
