package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.BatchShape;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Standardises every column as it enters the network ({@link InputScaling}), so cached blocks keep
 * the user's values and the fitted model carries the scaling. Parameter-free; its input gradient
 * makes attributions come out in the user's raw feature units.
 */
public final class ScalingLayer implements Layer {
  private static final long serialVersionUID = 1L;

  private final InputScaling scaling;

  public ScalingLayer(InputScaling scaling) {
    this.scaling = scaling;
  }

  public InputScaling scaling() {
    return scaling;
  }

  @Override
  public int inputWidth() {
    return scaling.width();
  }

  @Override
  public int outputWidth() {
    return scaling.width();
  }

  @Override
  public int paramCount() {
    return 0;
  }

  @Override
  public void initialize(double[] params, int offset, Random rng) {}

  @Override
  public LayerWorkspace newWorkspace(int maxRows, int maxSteps) {
    return new Workspace(scaling.width() * maxRows * maxSteps);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, SplittableRandom noise) {
    float[] out = ((Workspace) workspace).out;
    scaling.apply(input, shape.columns(), out);
    return out;
  }

  @Override
  public void backward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, float[] outputDelta, float[] gradient, float[] inputDelta) {
    if (inputDelta != null) {
      scaling.applyDerivative(outputDelta, shape.columns(), inputDelta);
    }
  }

  @Override
  public String toString() {
    return "standardize " + scaling.width() + " features";
  }

  private static final class Workspace implements LayerWorkspace {
    final float[] out;

    Workspace(int size) {
      out = new float[size];
    }
  }
}
