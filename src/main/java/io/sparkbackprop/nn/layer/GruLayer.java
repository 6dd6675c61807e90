package io.sparkbackprop.nn.layer;

/**
 * Gated recurrent unit (Cho et al. 2014), in the form where the reset gate multiplies the
 * recurrent candidate term (as cuDNN and PyTorch compute it). Gates reset, update, candidate:
 *
 * <pre>{@code
 * r = sigmoid(Wx_r x + Wh_r h_prev + b_r)     u = sigmoid(Wx_u x + Wh_u h_prev + b_u)
 * n = tanh(Wx_n x + b_n + r * (Wh_n h_prev + bh_n))
 * h = (1 - u) * n + u * h_prev
 * }</pre>
 *
 * {@code bh_n} ({@code H} entries per direction) is the cell's extra parameter.
 */
public final class GruLayer extends RecurrentLayer {
  private static final long serialVersionUID = 1L;

  public GruLayer(int inputSize, int hiddenSize, boolean bidirectional, boolean returnSequences,
      int bpttSteps) {
    super(inputSize, hiddenSize, bidirectional, returnSequences, bpttSteps);
  }

  @Override
  protected int gates() {
    return 3;
  }

  @Override
  protected int extraParams() {
    return hiddenSize;
  }

  @Override
  protected boolean separateRecurrentDelta() {
    return true;
  }

  @Override
  protected void forwardStep(Step s) {
    int h = s.h;
    int g = s.g;
    float[] z = s.gates;
    float[] p = s.params;
    for (int j = 0; j < s.rows; j++) {
      if (!s.valid(j)) {
        s.carryState(j);
        continue;
      }
      int gate = s.gateOffset + j * g;
      int state = s.stateOffset + j * h;
      if (s.rec != null) {
        for (int k = 0; k < 2 * h; k++) {
          z[gate + k] += s.rec[j * g + k];
        }
        for (int i = 0; i < h; i++) {
          s.aux[state + i] = s.rec[j * g + 2 * h + i] + p[s.extraOffset + i];
        }
      } else {
        System.arraycopy(p, s.extraOffset, s.aux, state, h);
      }
      GateMath.sigmoid(z, gate, gate + 2 * h);
      for (int i = 0; i < h; i++) {
        z[gate + 2 * h + i] += z[gate + i] * s.aux[state + i];
      }
      GateMath.tanh(z, gate + 2 * h, gate + 3 * h);
      int prev = s.hPrevOffset + j * h;
      for (int i = 0; i < h; i++) {
        float u = z[gate + h + i];
        s.hs[state + i] = (1f - u) * z[gate + 2 * h + i] + u * s.hPrev[prev + i];
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
      int prev = s.hPrevOffset + j * h;
      for (int i = 0; i < h; i++) {
        float r = z[gate + i];
        float u = z[gate + h + i];
        float n = z[gate + 2 * h + i];
        float dh = s.dh[j * h + i];
        float dn = dh * (1f - u) * (1f - n * n);
        float du = dh * (s.hPrev[prev + i] - n) * u * (1f - u);
        float dr = dn * s.aux[state + i] * r * (1f - r);
        s.dGx[gate + i] = dr;
        s.dGx[gate + h + i] = du;
        s.dGx[gate + 2 * h + i] = dn;
        s.dGh[gate + i] = dr;
        s.dGh[gate + h + i] = du;
        s.dGh[gate + 2 * h + i] = dn * r;
        s.dhPrev[j * h + i] = dh * u;
      }
    }
  }

  /** {@code bh_n} enters like a bias of the recurrent candidate term: its gradient sums dGh_n. */
  @Override
  protected void addExtraGradients(float[] params, int extraOffset, float[] dGh, int columns,
      float[] gradient) {
    int h = hiddenSize;
    int g = 3 * h;
    for (int col = 0; col < columns; col++) {
      int base = col * g + 2 * h;
      for (int i = 0; i < h; i++) {
        gradient[extraOffset + i] += dGh[base + i];
      }
    }
  }

  @Override
  public String toString() {
    return (bidirectional() ? "bidirectional " : "") + "gru " + inputSize + " -> " + hiddenSize;
  }
}
