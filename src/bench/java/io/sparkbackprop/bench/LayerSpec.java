package io.sparkbackprop.bench;

import io.sparkbackprop.nn.layer.Activation;

/**
 * A dense layer as a benchmark parameter, written {@code IN x OUT : activation [: first]}; {@code first}
 * marks the network's first layer, whose backward pass computes no input delta (as in training).
 */
record LayerSpec(int in, int out, Activation activation, boolean first) {

  static LayerSpec parse(String text) {
    String[] parts = text.trim().split(":");
    String[] sizes = parts[0].split("x");
    if (parts.length < 2 || parts.length > 3 || sizes.length != 2
        || (parts.length == 3 && !parts[2].equals("first"))) {
      throw new IllegalArgumentException("Layer must look like 100x128:relu or 100x128:relu:first, got "
          + text);
    }
    return new LayerSpec(Integer.parseInt(sizes[0]), Integer.parseInt(sizes[1]),
        Activation.fromParamName(parts[1]), parts.length == 3);
  }

  /** FLOPs of the forward GEMM over {@code rows} rows (bias and activation not counted). */
  double forwardFlops(int rows) {
    return 2.0 * in * out * rows;
  }

  /** FLOPs of the backward GEMMs: the weight gradient and, unless first, the input delta. */
  double backwardFlops(int rows) {
    return (first ? 2.0 : 4.0) * in * out * rows;
  }
}
