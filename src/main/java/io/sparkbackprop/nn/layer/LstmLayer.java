package io.sparkbackprop.nn.layer;

import java.util.Arrays;

/**
 * Long short-term memory (Hochreiter and Schmidhuber 1997, with the forget gate of Gers et al.
 * 2000). Gates in the order input, forget, candidate, output:
 *
 * <pre>{@code
 * i = sigmoid(z_i)  f = sigmoid(z_f)  g = tanh(z_g)  o = sigmoid(z_o)   (z = Wx x + Wh h_prev + b)
 * c = f * c_prev + i * g              h = o * tanh(c)
 * }</pre>
 *
 * The forget-gate bias starts at 1 (Jozefowicz et al. 2015), so the cell remembers by default and
 * gradients flow through {@code c} over long spans: the answer to vanishing gradients in time.
 */
public final class LstmLayer extends RecurrentLayer {
  private static final long serialVersionUID = 1L;

  public LstmLayer(int inputSize, int hiddenSize, boolean bidirectional, boolean returnSequences,
      int bpttSteps) {
    super(inputSize, hiddenSize, bidirectional, returnSequences, bpttSteps);
  }

  @Override
  protected int gates() {
    return 4;
  }

  @Override
  protected boolean hasCell() {
    return true;
  }

  @Override
  protected void initializeBias(double[] params, int biasOffset) {
    super.initializeBias(params, biasOffset);
    Arrays.fill(params, biasOffset + hiddenSize, biasOffset + 2 * hiddenSize, 1.0);
  }

  @Override
  protected void forwardStep(Step s) {
    int h = s.h;
    int g = s.g;
    for (int j = 0; j < s.rows; j++) {
      if (!s.valid(j)) {
        s.carryState(j);
        continue;
      }
      int gate = s.gateOffset + j * g;
      float[] z = s.gates;
      if (s.rec != null) {
        for (int k = 0; k < g; k++) {
          z[gate + k] += s.rec[j * g + k];
        }
      }
      GateMath.sigmoid(z, gate, gate + 2 * h);
      GateMath.tanh(z, gate + 2 * h, gate + 3 * h);
      GateMath.sigmoid(z, gate + 3 * h, gate + 4 * h);
      int state = s.stateOffset + j * h;
      int prev = s.cPrevOffset + j * h;
      for (int i = 0; i < h; i++) {
        float c = z[gate + h + i] * s.cPrev[prev + i] + z[gate + i] * z[gate + 2 * h + i];
        s.cs[state + i] = c;
        s.aux[state + i] = c;
      }
      GateMath.tanh(s.aux, state, state + h);
      for (int i = 0; i < h; i++) {
        s.hs[state + i] = z[gate + 3 * h + i] * s.aux[state + i];
      }
    }
  }

  @Override
  protected void backwardStep(Step s) {
    int h = s.h;
    int g = s.g;
    float[] z = s.gates;
    for (int j = 0; j < s.rows; j++) {
      if (!s.valid(j)) {
        s.passGradient(j);
        continue;
      }
      int gate = s.gateOffset + j * g;
      int state = s.stateOffset + j * h;
      int prev = s.cPrevOffset + j * h;
      for (int i = 0; i < h; i++) {
        float in = z[gate + i];
        float forget = z[gate + h + i];
        float cand = z[gate + 2 * h + i];
        float out = z[gate + 3 * h + i];
        float tanhC = s.aux[state + i];
        float dh = s.dh[j * h + i];
        float dc = s.dc[j * h + i] + dh * out * (1f - tanhC * tanhC);
        s.dGx[gate + i] = dc * cand * in * (1f - in);
        s.dGx[gate + h + i] = dc * s.cPrev[prev + i] * forget * (1f - forget);
        s.dGx[gate + 2 * h + i] = dc * in * (1f - cand * cand);
        s.dGx[gate + 3 * h + i] = dh * tanhC * out * (1f - out);
        s.dcPrev[j * h + i] = dc * forget;
        s.dhPrev[j * h + i] = 0f;
      }
    }
  }

  @Override
  public String toString() {
    return (bidirectional() ? "bidirectional " : "") + "lstm " + inputSize + " -> " + hiddenSize;
  }
}
