package io.sparkbackprop.testing;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.loss.Loss;
import io.sparkbackprop.nn.loss.SquaredError;

/**
 * A hand-written one-hidden-layer network {@code o = v . tanh(W x + b) + c} with squared error, in
 * double precision and plain loops: an independent reference for {@link FeedForwardNetwork}, with the
 * same parameter layout (W column-major {@code hidden x inputs}, b, v, c). With {@code buggy} it uses
 * {@code 1 - a} instead of {@code 1 - a^2} as tanh's derivative, the kind of bug a gradient check must
 * catch.
 */
public final class TinyTanhNetwork implements Network {
  private static final long serialVersionUID = 1L;

  private final int inputs;
  private final int hidden;
  private final boolean buggy;

  public TinyTanhNetwork(int inputs, int hidden, boolean buggy) {
    this.inputs = inputs;
    this.hidden = hidden;
    this.buggy = buggy;
  }

  @Override
  public boolean isRegularized(int index) {
    return true;
  }

  @Override
  public int paramCount() {
    return hidden * inputs + hidden + hidden + 1;
  }

  @Override
  public int inputWidth() {
    return inputs;
  }

  @Override
  public int outputWidth() {
    return 1;
  }

  @Override
  public Loss loss() {
    return new SquaredError();
  }

  @Override
  public double[] initialParams(long seed) {
    throw new UnsupportedOperationException();
  }

  @Override
  public NetworkWorkspace newWorkspace(int maxRows) {
    return () -> maxRows;
  }

  @Override
  public float[] forward(float[] params, float[] features, BatchShape shape,
      NetworkWorkspace workspace) {
    int rows = shape.rows();
    float[] out = new float[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = (float) output(params, features, r, new double[hidden]);
    }
    return out;
  }

  private double output(float[] p, float[] x, int r, double[] a) {
    int b = hidden * inputs;
    int v = b + hidden;
    double o = p[v + hidden];
    for (int i = 0; i < hidden; i++) {
      double z = p[b + i];
      for (int j = 0; j < inputs; j++) {
        z += (double) p[i + j * hidden] * x[r * inputs + j];
      }
      a[i] = Math.tanh(z);
      o += p[v + i] * a[i];
    }
    return o;
  }

  @Override
  public double lossAndGradient(float[] p, DataBlock block, float[] gradient,
      NetworkWorkspace workspace) {
    int b = hidden * inputs;
    int v = b + hidden;
    double[] g = new double[paramCount()];
    double[] a = new double[hidden];
    double total = 0;
    float[] x = block.features();
    for (int r = 0; r < block.rows(); r++) {
      double w = block.weights()[r];
      double residual = output(p, x, r, a) - block.targets()[r];
      total += 0.5 * w * residual * residual;
      double dOut = w * residual;
      g[v + hidden] += dOut;
      for (int i = 0; i < hidden; i++) {
        g[v + i] += dOut * a[i];
        double slope = buggy ? 1 - a[i] : 1 - a[i] * a[i];
        double dz = dOut * p[v + i] * slope;
        g[b + i] += dz;
        for (int j = 0; j < inputs; j++) {
          g[i + j * hidden] += dz * x[r * inputs + j];
        }
      }
    }
    for (int k = 0; k < g.length; k++) {
      gradient[k] = (float) g[k];
    }
    return total;
  }
}
