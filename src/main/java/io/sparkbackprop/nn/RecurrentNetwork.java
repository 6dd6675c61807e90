package io.sparkbackprop.nn;

import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.DenseLayer;
import io.sparkbackprop.nn.layer.DropoutLayer;
import io.sparkbackprop.nn.layer.EmbeddingLayer;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.layer.Layer;
import io.sparkbackprop.nn.layer.RecurrentCell;
import io.sparkbackprop.nn.layer.ScalingLayer;
import io.sparkbackprop.nn.loss.Loss;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent network over sequence blocks: numeric steps (optionally standardised) or token ids
 * through an embedding, {@code numLayers} recurrent layers of one cell (optionally bidirectional,
 * with dropout between them), and a linear dense head. Many-to-one networks feed the last layer's
 * final state to the head (one output per sequence); sequence networks apply the head to every
 * step.
 */
public final class RecurrentNetwork extends SequentialNetwork {
  private static final long serialVersionUID = 1L;

  private final Architecture architecture;

  /**
   * The shape of a recurrent network.
   *
   * @param inputWidth features per step, or the vocabulary size when {@code tokens}
   * @param tokens whether each step is a token id (embedded) rather than a feature vector
   * @param embeddingSize width of the token embedding (ignored without tokens)
   * @param dropout dropout rate between recurrent layers during training (0 for none)
   * @param bpttSteps truncated backpropagation through time, 0 for full
   * @param sequenceOutput one output per step rather than per sequence
   * @param maxSteps the longest sequence a block may hold
   */
  public record Architecture(int inputWidth, boolean tokens, int embeddingSize, RecurrentCell cell,
      int hiddenSize, int numLayers, boolean bidirectional, double dropout, int bpttSteps,
      boolean sequenceOutput, int outputWidth, int maxSteps) implements Serializable {

    public Architecture {
      if (inputWidth <= 0 || hiddenSize <= 0 || numLayers <= 0 || outputWidth <= 0 || maxSteps <= 0
          || (tokens && embeddingSize <= 0)) {
        throw new IllegalArgumentException("Invalid recurrent architecture: " + inputWidth
            + " inputs, " + numLayers + " x " + hiddenSize + " hidden, " + outputWidth
            + " outputs, " + maxSteps + " steps" + (tokens ? ", embedding " + embeddingSize : ""));
      }
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }

    /** The same architecture without dropout, for inference. */
    public Architecture withoutDropout() {
      return new Architecture(inputWidth, tokens, embeddingSize, cell, hiddenSize, numLayers,
          bidirectional, 0, bpttSteps, sequenceOutput, outputWidth, maxSteps);
    }
  }

  /**
   * @param inputScaling standardisation of numeric steps, or null (must be null with tokens)
   */
  public RecurrentNetwork(Architecture architecture, Loss loss, InputScaling inputScaling) {
    super(layers(architecture, inputScaling), loss, architecture.maxSteps());
    this.architecture = architecture;
  }

  private static List<Layer> layers(Architecture a, InputScaling scaling) {
    List<Layer> layers = new ArrayList<>();
    int width;
    if (a.tokens()) {
      if (scaling != null) {
        throw new IllegalArgumentException("Token inputs are not standardised");
      }
      layers.add(new EmbeddingLayer(a.inputWidth(), a.embeddingSize()));
      width = a.embeddingSize();
    } else {
      if (scaling != null) {
        if (scaling.width() != a.inputWidth()) {
          throw new IllegalArgumentException("Input scaling covers " + scaling.width()
              + " features but steps have " + a.inputWidth());
        }
        layers.add(new ScalingLayer(scaling));
      }
      width = a.inputWidth();
    }
    for (int l = 0; l < a.numLayers(); l++) {
      boolean last = l == a.numLayers() - 1;
      Layer recurrent = a.cell().layer(width, a.hiddenSize(), a.bidirectional(),
          !last || a.sequenceOutput(), a.bpttSteps());
      layers.add(recurrent);
      width = recurrent.outputWidth();
      if (!last && a.dropout() > 0) {
        layers.add(new DropoutLayer(width, a.dropout()));
      }
    }
    layers.add(new DenseLayer(width, a.outputWidth(), Activation.IDENTITY));
    return layers;
  }

  public Architecture architecture() {
    return architecture;
  }

  /**
   * Floats a training workspace holds per row and time step: for each recurrent layer and direction
   * the gates and their gradients ({@code 2G H}, GRU {@code 3G H}), the states ({@code H}) and the
   * cell's extras (LSTM {@code 2H}, GRU {@code H}), plus every layer's output and the two delta
   * buffers. The block itself ({@code inputWidth} per step) comes on top. Times {@code 4 x rows x
   * steps} this is a block's working memory.
   */
  public long trainingFloatsPerRowStep() {
    Architecture a = architecture;
    int h = a.hiddenSize();
    int directions = a.bidirectional() ? 2 : 1;
    int gates;
    int extras;
    switch (a.cell()) {
      case LSTM:
        gates = 4;
        extras = 2 * h;
        break;
      case GRU:
        gates = 3;
        extras = h;
        break;
      default:
        gates = 1;
        extras = 0;
    }
    int gradientCopies = a.cell() == RecurrentCell.GRU ? 3 : 2;
    long perDirection = (long) gradientCopies * gates * h + h + extras;
    long total = a.numLayers() * (directions * perDirection + (long) directions * h);
    long widest = Math.max(directions * h, a.outputWidth());
    if (a.tokens()) {
      total += a.embeddingSize();
      widest = Math.max(widest, a.embeddingSize());
    } else {
      total += a.inputWidth();
    }
    if (a.dropout() > 0) {
      total += 2L * (a.numLayers() - 1) * directions * h;
    }
    total += 2L * a.outputWidth();
    return total + 2 * widest;
  }
}
