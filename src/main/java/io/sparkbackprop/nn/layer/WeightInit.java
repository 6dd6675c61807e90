package io.sparkbackprop.nn.layer;

import java.util.Random;

/**
 * Weight initialisation schemes. Biases always start at zero.
 *
 * <ul>
 *   <li>{@link #XAVIER}: uniform on +-sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010), keeps the
 *       variance of sigmoid/tanh activations roughly constant across layers.
 *   <li>{@link #HE}: normal with standard deviation sqrt(2 / fanIn) (He et al. 2015), the same for the
 *       ReLU family, which zeroes half its inputs.
 * </ul>
 */
public enum WeightInit {
  XAVIER {
    @Override double sample(Random rng, int fanIn, int fanOut) {
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      return (2 * rng.nextDouble() - 1) * limit;
    }
  },
  HE {
    @Override double sample(Random rng, int fanIn, int fanOut) {
      return rng.nextGaussian() * Math.sqrt(2.0 / fanIn);
    }
  };

  abstract double sample(Random rng, int fanIn, int fanOut);

  /** The scheme that suits an activation: He for the ReLU family, Xavier otherwise. */
  public static WeightInit forActivation(Activation activation) {
    return activation.prefersHeInit() ? HE : XAVIER;
  }

  /** Fills {@code count} weights at {@code offset} for a layer of the given fan-in and fan-out. */
  public void fill(double[] params, int offset, int count, int fanIn, int fanOut, Random rng) {
    for (int i = 0; i < count; i++) {
      params[offset + i] = sample(rng, fanIn, fanOut);
    }
  }
}
