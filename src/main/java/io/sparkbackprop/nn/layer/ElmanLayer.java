package io.sparkbackprop.nn.layer;

/**
 * The plain (Elman) recurrent layer {@code h_t = tanh(Wx x_t + Wh h_{t-1} + b)}: the simplest
 * recurrent cell, and the one whose gradients vanish over long spans (Bengio et al. 1994).
 */
public final class ElmanLayer extends RecurrentLayer {
  private static final long serialVersionUID = 1L;

  public ElmanLayer(int inputSize, int hiddenSize, boolean bidirectional, boolean returnSequences,
      int bpttSteps) {
    super(inputSize, hiddenSize, bidirectional, returnSequences, bpttSteps);
  }

  @Override
  protected int gates() {
    return 1;
  }

  @Override
  protected void forwardStep(Step s) {
    int h = s.h;
    for (int j = 0; j < s.rows; j++) {
      if (!s.valid(j)) {
        s.carryState(j);
        continue;
      }
      int gate = s.gateOffset + j * h;
      if (s.rec != null) {
        for (int i = 0; i < h; i++) {
          s.gates[gate + i] += s.rec[j * h + i];
        }
      }
      GateMath.tanh(s.gates, gate, gate + h);
      System.arraycopy(s.gates, gate, s.hs, s.stateOffset + j * h, h);
    }
  }

  @Override
  protected void backwardStep(Step s) {
    int h = s.h;
    for (int j = 0; j < s.rows; j++) {
      if (!s.valid(j)) {
        s.passGradient(j);
        continue;
      }
      int gate = s.gateOffset + j * h;
      for (int i = 0; i < h; i++) {
        float a = s.gates[gate + i];
        s.dGx[gate + i] = s.dh[j * h + i] * (1f - a * a);
        s.dhPrev[j * h + i] = 0f;
      }
    }
  }

  @Override
  public String toString() {
    return (bidirectional() ? "bidirectional " : "") + "rnn " + inputSize + " -> " + hiddenSize;
  }
}
