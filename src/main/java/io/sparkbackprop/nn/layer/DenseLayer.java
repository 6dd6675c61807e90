package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.linalg.Blas;
import io.sparkbackprop.nn.linalg.ElementwiseKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A fully connected layer {@code a = f(W x + b)}, applied to every column of the block (every row,
 * or every time step of every sequence). Its parameters are {@code W} as an
 * {@code outputSize x inputSize} column-major matrix, then {@code b}. (This is also the layout of
 * Spark's MultilayerPerceptronClassifier, so its weights can be reused.)
 */
public final class DenseLayer implements Layer {
  private static final long serialVersionUID = 1L;
  private static final ElementwiseKernels VECTOR = ElementwiseKernels.VECTORISED;

  private final int inputSize;
  private final int outputSize;
  private final Activation activation;

  public DenseLayer(int inputSize, int outputSize, Activation activation) {
    if (inputSize <= 0 || outputSize <= 0) {
      throw new IllegalArgumentException(
          "Layer sizes must be positive, got " + inputSize + " -> " + outputSize);
    }
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.activation = activation;
  }

  @Override
  public int inputWidth() {
    return inputSize;
  }

  @Override
  public int outputWidth() {
    return outputSize;
  }

  public Activation activation() {
    return activation;
  }

  @Override
  public int paramCount() {
    return outputSize * inputSize + outputSize;
  }

  /** Weights by the scheme that suits the activation (He for the ReLU family, else Xavier). */
  @Override
  public void initialize(double[] params, int offset, Random rng) {
    int weightCount = outputSize * inputSize;
    WeightInit.forActivation(activation).fill(params, offset, weightCount, inputSize, outputSize, rng);
    Arrays.fill(params, offset + weightCount, offset + paramCount(), 0.0);
  }

  @Override
  public boolean isRegularized(int index) {
    return index < outputSize * inputSize;
  }

  @Override
  public String describeParam(int index) {
    int weights = outputSize * inputSize;
    return index < weights ? "weight W[" + index % outputSize + "][" + index / outputSize + "]"
        : "bias b[" + (index - weights) + "]";
  }

  @Override
  public String toString() {
    return "dense " + inputSize + " -> " + outputSize + " " + activation.paramName();
  }

  @Override
  public LayerWorkspace newWorkspace(int maxRows, int maxSteps) {
    return new Workspace(outputSize * maxRows * maxSteps, activation == Activation.IDENTITY);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, SplittableRandom noise) {
    Workspace ws = (Workspace) workspace;
    int columns = shape.columns();
    float[] z = ws.z;
    Blas.gemm(false, false, outputSize, columns, inputSize, 1f,
        params, offset, outputSize, input, 0, inputSize, 0f, z, 0, outputSize);
    int biasOffset = offset + outputSize * inputSize;
    if (VECTOR != null) {
      VECTOR.addBias(z, outputSize, columns, params, biasOffset);
    } else {
      for (int j = 0; j < columns; j++) {
        int base = j * outputSize;
        for (int i = 0; i < outputSize; i++) {
          z[base + i] += params[biasOffset + i];
        }
      }
    }
    activation.forward(z, ws.a, outputSize * columns);
    return ws.a;
  }

  /** On entry {@code outputDelta} holds dLoss/da; it is turned into dLoss/dz in place. */
  @Override
  public void backward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, float[] outputDelta, float[] gradient, float[] inputDelta) {
    Workspace ws = (Workspace) workspace;
    int columns = shape.columns();
    float[] delta = outputDelta;
    activation.derivative(ws.z, ws.a, delta, outputSize * columns);
    if (gradient != null) {
      Blas.gemm(false, true, outputSize, inputSize, columns, 1f,
          delta, 0, outputSize, input, 0, inputSize, 1f, gradient, offset, outputSize);
      int biasOffset = offset + outputSize * inputSize;
      if (VECTOR != null) {
        VECTOR.addColumnSums(delta, outputSize, columns, gradient, biasOffset);
      } else {
        for (int j = 0; j < columns; j++) {
          int base = j * outputSize;
          for (int i = 0; i < outputSize; i++) {
            gradient[biasOffset + i] += delta[base + i];
          }
        }
      }
    }
    if (inputDelta != null) {
      Blas.gemm(true, false, inputSize, columns, outputSize, 1f,
          params, offset, outputSize, delta, 0, outputSize, 0f, inputDelta, 0, inputSize);
    }
  }

  /** Pre-activations and activations (one buffer for the identity). */
  private static final class Workspace implements LayerWorkspace {
    final float[] z;
    final float[] a;

    Workspace(int size, boolean identity) {
      z = new float[size];
      a = identity ? z : new float[size];
    }
  }
}
