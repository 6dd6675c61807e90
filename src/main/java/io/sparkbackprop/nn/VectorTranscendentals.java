package io.sparkbackprop.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TranscendentalKernels} with the JDK Vector API: whole vectors through the loop, the tail
 * through {@link Activation}'s scalar functions. Loaded reflectively and only when the
 * {@code jdk.incubator.vector} module is present, as {@link VectorGemm} is.
 */
final class VectorTranscendentals implements TranscendentalKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
  private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
  private static final float GELU_A = 0.044715f;
  /**
   * GELU's cubic is evaluated on z clamped to this range: beyond it the sigmoid factor is 0 or 1 to
   * float precision, and the clamp keeps z^3 from overflowing to infinity (which would turn the
   * derivative's 0 * infinity into NaN).
   */
  private static final float GELU_CLAMP = 10f;

  @Override
  public void sigmoid(float[] z, float[] a, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      sigmoid(FloatVector.fromArray(SPECIES, z, i).neg()).intoArray(a, i);
    }
    for (; i < len; i++) {
      a[i] = Activation.sigmoid(z[i]);
    }
  }

  @Override
  public void tanh(float[] z, float[] a, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, z, i).lanewise(VectorOperators.TANH).intoArray(a, i);
    }
    for (; i < len; i++) {
      a[i] = Activation.tanh(z[i]);
    }
  }

  @Override
  public void gelu(float[] z, float[] a, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, z, i);
      x.mul(sigmoid(minusTwoU(x))).intoArray(a, i);
    }
    for (; i < len; i++) {
      a[i] = Activation.gelu(z[i]);
    }
  }

  @Override
  public void geluDerivative(float[] z, float[] grad, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, z, i);
      // s = 1 / (1 + e), and 1 - s = e s without cancellation; the clamp keeps e finite.
      FloatVector e = minusTwoU(x).lanewise(VectorOperators.EXP);
      FloatVector s = ONE.div(e.add(1f));
      FloatVector xc = x.max(-GELU_CLAMP).min(GELU_CLAMP);
      // slope = s + x s (1 - s) 2c (1 + 3a x^2)
      FloatVector inner = xc.mul(xc).mul(3 * GELU_A).add(1f).mul(2 * GELU_C);
      FloatVector slope = e.mul(s).mul(s).mul(xc).mul(inner).add(s);
      FloatVector.fromArray(SPECIES, grad, i).mul(slope).intoArray(grad, i);
    }
    for (; i < len; i++) {
      grad[i] *= Activation.geluSlope(z[i]);
    }
  }

  /** 1 / (1 + e^t), for t = -z; e^t overflowing to +Infinity gives 0, not NaN. */
  private static FloatVector sigmoid(FloatVector t) {
    return ONE.div(t.lanewise(VectorOperators.EXP).add(1f));
  }

  /** -2u with u = c (x + a x^3), on x clamped as {@link #GELU_CLAMP} explains. */
  private static FloatVector minusTwoU(FloatVector x) {
    FloatVector xc = x.max(-GELU_CLAMP).min(GELU_CLAMP);
    return xc.mul(xc).mul(GELU_A).add(1f).mul(xc).mul(-2 * GELU_C);
  }
}
