package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.linalg.ElementwiseKernels;
import io.sparkbackprop.nn.linalg.ScalarMath;

/** The gate nonlinearities of recurrent cells on array ranges, vectorised when the JVM allows. */
final class GateMath {
  private static final ElementwiseKernels VECTOR = ElementwiseKernels.VECTORISED;

  private GateMath() {}

  static void sigmoid(float[] x, int from, int to) {
    if (VECTOR != null) {
      VECTOR.sigmoidInPlace(x, from, to);
      return;
    }
    for (int i = from; i < to; i++) {
      x[i] = ScalarMath.sigmoid(x[i]);
    }
  }

  static void tanh(float[] x, int from, int to) {
    if (VECTOR != null) {
      VECTOR.tanhInPlace(x, from, to);
      return;
    }
    for (int i = from; i < to; i++) {
      x[i] = ScalarMath.tanh(x[i]);
    }
  }
}
