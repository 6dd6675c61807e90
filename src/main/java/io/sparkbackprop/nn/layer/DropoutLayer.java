package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.BatchShape;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Inverted dropout: during training each value is zeroed with probability {@code rate} and the
 * kept ones are scaled by {@code 1 / (1 - rate)}, so inference passes the input through unchanged.
 * The mask is drawn from the pass's noise, one draw per value in column order, so a noise seed
 * reproduces it exactly.
 */
public final class DropoutLayer implements Layer {
  private static final long serialVersionUID = 1L;

  private final int width;
  private final double rate;

  public DropoutLayer(int width, double rate) {
    if (width <= 0) {
      throw new IllegalArgumentException("Dropout width must be positive, got " + width);
    }
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rates must be in [0, 1), got " + rate);
    }
    this.width = width;
    this.rate = rate;
  }

  public double rate() {
    return rate;
  }

  @Override
  public int inputWidth() {
    return width;
  }

  @Override
  public int outputWidth() {
    return width;
  }

  @Override
  public int paramCount() {
    return 0;
  }

  @Override
  public boolean isTrainingNoise() {
    return true;
  }

  @Override
  public void initialize(double[] params, int offset, Random rng) {}

  @Override
  public LayerWorkspace newWorkspace(int maxRows, int maxSteps) {
    return new Workspace(width * maxRows * maxSteps);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, SplittableRandom noise) {
    Workspace ws = (Workspace) workspace;
    ws.active = noise != null;
    if (!ws.active) {
      return input;
    }
    float keep = (float) (1 / (1 - rate));
    float[] mask = ws.mask;
    float[] out = ws.out;
    for (int i = 0, len = width * shape.columns(); i < len; i++) {
      float m = noise.nextDouble() < rate ? 0f : keep;
      mask[i] = m;
      out[i] = input[i] * m;
    }
    return out;
  }

  @Override
  public void backward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, float[] outputDelta, float[] gradient, float[] inputDelta) {
    if (inputDelta == null) {
      return;
    }
    Workspace ws = (Workspace) workspace;
    int len = width * shape.columns();
    if (!ws.active) {
      System.arraycopy(outputDelta, 0, inputDelta, 0, len);
      return;
    }
    float[] mask = ws.mask;
    for (int i = 0; i < len; i++) {
      inputDelta[i] = outputDelta[i] * mask[i];
    }
  }

  @Override
  public String toString() {
    return "dropout " + rate + " of " + width;
  }

  private static final class Workspace implements LayerWorkspace {
    final float[] mask;
    final float[] out;
    boolean active;

    Workspace(int size) {
      mask = new float[size];
      out = new float[size];
    }
  }
}
