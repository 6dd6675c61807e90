package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.BatchShape;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Maps integer token ids to learned vectors, so text is modelled without one-hot inputs. The input
 * is one value per column, the token id (exact in float32 up to 2^24); the parameters are the
 * {@code width x vocabularySize} table, column-major, so each token's vector is contiguous. Backward
 * adds each column's delta to its token's vector; ids have no gradient.
 */
public final class EmbeddingLayer implements Layer {
  private static final long serialVersionUID = 1L;

  private final int vocabularySize;
  private final int width;

  public EmbeddingLayer(int vocabularySize, int width) {
    if (vocabularySize <= 0 || width <= 0) {
      throw new IllegalArgumentException("Embedding needs a positive vocabulary size and width, got "
          + vocabularySize + " x " + width);
    }
    if (vocabularySize > (1 << 24)) {
      throw new IllegalArgumentException("Vocabularies above 2^24 tokens are not supported, got "
          + vocabularySize);
    }
    this.vocabularySize = vocabularySize;
    this.width = width;
  }

  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public int inputWidth() {
    return 1;
  }

  @Override
  public int outputWidth() {
    return width;
  }

  @Override
  public int paramCount() {
    return vocabularySize * width;
  }

  /** Standard normal entries, so embedded inputs have unit variance like standardised features. */
  @Override
  public void initialize(double[] params, int offset, Random rng) {
    for (int i = 0; i < paramCount(); i++) {
      params[offset + i] = rng.nextGaussian();
    }
  }

  @Override
  public boolean isRegularized(int index) {
    return true;
  }

  @Override
  public String describeParam(int index) {
    return "token " + index / width + " [" + index % width + "]";
  }

  @Override
  public LayerWorkspace newWorkspace(int maxRows, int maxSteps) {
    return new Workspace(width * maxRows * maxSteps);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, SplittableRandom noise) {
    float[] out = ((Workspace) workspace).out;
    for (int col = 0, columns = shape.columns(); col < columns; col++) {
      System.arraycopy(params, offset + token(input[col]) * width, out, col * width, width);
    }
    return out;
  }

  @Override
  public void backward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, float[] outputDelta, float[] gradient, float[] inputDelta) {
    if (gradient == null) {
      return;
    }
    for (int col = 0, columns = shape.columns(); col < columns; col++) {
      int base = offset + token(input[col]) * width;
      for (int i = 0; i < width; i++) {
        gradient[base + i] += outputDelta[col * width + i];
      }
    }
  }

  private int token(float id) {
    int token = (int) id;
    if (token != id || token < 0 || token >= vocabularySize) {
      throw new IllegalArgumentException("Token id " + id + " is not an integer in 0.."
          + (vocabularySize - 1));
    }
    return token;
  }

  @Override
  public String toString() {
    return "embedding " + vocabularySize + " x " + width;
  }

  private static final class Workspace implements LayerWorkspace {
    final float[] out;

    Workspace(int size) {
      out = new float[size];
    }
  }
}
