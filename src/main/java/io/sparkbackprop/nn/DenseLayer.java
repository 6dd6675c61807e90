package io.sparkbackprop.nn;

import java.io.Serializable;
import java.util.Random;

/**
 * A fully connected layer {@code a = f(W x + b)}. Its parameters are a contiguous slice of the flat
 * parameter vector: {@code W} as an {@code outputSize x inputSize} column-major matrix, then {@code b}.
 * (This is also the layout of Spark's MultilayerPerceptronClassifier, so its weights can be reused.)
 */
public final class DenseLayer implements Serializable {
  private static final long serialVersionUID = 1L;

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

  public int inputSize() {
    return inputSize;
  }

  public int outputSize() {
    return outputSize;
  }

  public Activation activation() {
    return activation;
  }

  public int paramCount() {
    return outputSize * inputSize + outputSize;
  }

  /** Initialises this layer's weights with the given scheme and its bias with zeros. */
  public void initialize(double[] params, int offset, WeightInit init, Random rng) {
    int weightCount = outputSize * inputSize;
    init.fill(params, offset, weightCount, inputSize, outputSize, rng);
    java.util.Arrays.fill(params, offset + weightCount, offset + paramCount(), 0.0);
  }

  /**
   * Forward pass over {@code rows} columns: {@code z = W x + b}, {@code a = f(z)}. {@code a} may be
   * the same array as {@code z} (for the identity activation).
   */
  public void forward(float[] params, int offset, float[] input, int rows, float[] z, float[] a) {
    Blas.gemm(false, false, outputSize, rows, inputSize, 1f,
        params, offset, outputSize, input, 0, inputSize, 0f, z, 0, outputSize);
    int biasOffset = offset + outputSize * inputSize;
    if (ElementwiseKernels.VECTORISED != null) {
      ElementwiseKernels.VECTORISED.addBias(z, outputSize, rows, params, biasOffset);
    } else {
      for (int j = 0; j < rows; j++) {
        int base = j * outputSize;
        for (int i = 0; i < outputSize; i++) {
          z[base + i] += params[biasOffset + i];
        }
      }
    }
    activation.forward(z, a, outputSize * rows);
  }

  /**
   * Backward pass. On entry {@code delta} holds dLoss/da; on exit it holds dLoss/dz. Writes this
   * layer's parameter gradient into {@code gradient} at {@code offset} (overwriting it) and, if
   * {@code inputDelta} is not null, dLoss/dinput into it.
   */
  public void backward(float[] params, int offset, float[] input, int rows, float[] z, float[] a,
      float[] delta, float[] gradient, float[] inputDelta) {
    activation.derivative(z, a, delta, outputSize * rows);
    Blas.gemm(false, true, outputSize, inputSize, rows, 1f,
        delta, 0, outputSize, input, 0, inputSize, 0f, gradient, offset, outputSize);
    int biasOffset = offset + outputSize * inputSize;
    if (ElementwiseKernels.VECTORISED != null) {
      ElementwiseKernels.VECTORISED.sumColumns(delta, outputSize, rows, gradient, biasOffset);
    } else {
      for (int i = 0; i < outputSize; i++) {
        gradient[biasOffset + i] = 0f;
      }
      for (int j = 0; j < rows; j++) {
        int base = j * outputSize;
        for (int i = 0; i < outputSize; i++) {
          gradient[biasOffset + i] += delta[base + i];
        }
      }
    }
    if (inputDelta != null) {
      Blas.gemm(true, false, inputSize, rows, outputSize, 1f,
          params, offset, outputSize, delta, 0, outputSize, 0f, inputDelta, 0, inputSize);
    }
  }
}
