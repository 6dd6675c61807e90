package io.sparkbackprop.nn.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} with the JDK Vector API: whole vectors through the loop, the tail
 * through the scalar formulas. Exponentials and tanh come from {@link VectorMath}, whose results do
 * not depend on whether the JIT compiler has compiled the caller yet. Loaded reflectively and only when the
 * {@code jdk.incubator.vector} module is present, as {@link VectorGemm} is.
 */
final class VectorElementwiseKernels implements ElementwiseKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  /** Floats that widen into one vector of {@link #DOUBLES}: half its bits. */
  private static final VectorSpecies<Float> WIDENING =
      VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
  private static final FloatVector ZERO = FloatVector.zero(SPECIES);
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
      a[i] = ScalarMath.sigmoid(z[i]);
    }
  }

  @Override
  public void tanh(float[] z, float[] a, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      VectorMath.tanh(FloatVector.fromArray(SPECIES, z, i)).intoArray(a, i);
    }
    for (; i < len; i++) {
      a[i] = ScalarMath.tanh(z[i]);
    }
  }

  @Override
  public void sigmoidInPlace(float[] x, int from, int to) {
    int bound = from + SPECIES.loopBound(to - from);
    int i = from;
    for (; i < bound; i += SPECIES.length()) {
      sigmoid(FloatVector.fromArray(SPECIES, x, i).neg()).intoArray(x, i);
    }
    for (; i < to; i++) {
      x[i] = ScalarMath.sigmoid(x[i]);
    }
  }

  @Override
  public void tanhInPlace(float[] x, int from, int to) {
    int bound = from + SPECIES.loopBound(to - from);
    int i = from;
    for (; i < bound; i += SPECIES.length()) {
      VectorMath.tanh(FloatVector.fromArray(SPECIES, x, i)).intoArray(x, i);
    }
    for (; i < to; i++) {
      x[i] = ScalarMath.tanh(x[i]);
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
      a[i] = ScalarMath.gelu(z[i]);
    }
  }

  @Override
  public void geluDerivative(float[] z, float[] grad, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, z, i);
      // s = 1 / (1 + e), and 1 - s = e s without cancellation; the clamp keeps e finite.
      FloatVector e = VectorMath.exp(minusTwoU(x));
      FloatVector s = ONE.div(e.add(1f));
      FloatVector xc = x.max(-GELU_CLAMP).min(GELU_CLAMP);
      // slope = s + x s (1 - s) 2c (1 + 3a x^2)
      FloatVector inner = xc.mul(xc).mul(3 * GELU_A).add(1f).mul(2 * GELU_C);
      FloatVector slope = e.mul(s).mul(s).mul(xc).mul(inner).add(s);
      FloatVector.fromArray(SPECIES, grad, i).mul(slope).intoArray(grad, i);
    }
    for (; i < len; i++) {
      grad[i] *= ScalarMath.geluSlope(z[i]);
    }
  }

  @Override
  public void reluDerivative(float[] z, float[] grad, int len) {
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      VectorMask<Float> positive =
          FloatVector.fromArray(SPECIES, z, i).compare(VectorOperators.GT, 0f);
      ZERO.blend(FloatVector.fromArray(SPECIES, grad, i), positive).intoArray(grad, i);
    }
    for (; i < len; i++) {
      grad[i] = z[i] > 0f ? grad[i] : 0f;
    }
  }

  @Override
  public void addBias(float[] z, int m, int rows, float[] bias, int biasOffset) {
    int bound = SPECIES.loopBound(m);
    for (int j = 0; j < rows; j++) {
      int base = j * m;
      int i = 0;
      for (; i < bound; i += SPECIES.length()) {
        FloatVector.fromArray(SPECIES, z, base + i)
            .add(FloatVector.fromArray(SPECIES, bias, biasOffset + i)).intoArray(z, base + i);
      }
      for (; i < m; i++) {
        z[base + i] += bias[biasOffset + i];
      }
    }
  }

  @Override
  public void addColumnSums(float[] delta, int m, int rows, float[] out, int outOffset) {
    int bound = SPECIES.loopBound(m);
    for (int j = 0; j < rows; j++) {
      int base = j * m;
      int i = 0;
      for (; i < bound; i += SPECIES.length()) {
        FloatVector.fromArray(SPECIES, out, outOffset + i)
            .add(FloatVector.fromArray(SPECIES, delta, base + i)).intoArray(out, outOffset + i);
      }
      for (; i < m; i++) {
        out[outOffset + i] += delta[base + i];
      }
    }
  }

  @Override
  public void addWidened(float[] values, double[] sum, int len) {
    int bound = WIDENING.loopBound(len);
    int i = 0;
    for (; i < bound; i += WIDENING.length()) {
      DoubleVector wide = (DoubleVector) FloatVector.fromArray(WIDENING, values, i)
          .convertShape(VectorOperators.F2D, DOUBLES, 0);
      wide.add(DoubleVector.fromArray(DOUBLES, sum, i)).intoArray(sum, i);
    }
    for (; i < len; i++) {
      sum[i] += values[i];
    }
  }

  /** 1 / (1 + e^t), for t = -z; e^t overflowing to +Infinity gives 0, not NaN. */
  private static FloatVector sigmoid(FloatVector t) {
    return ONE.div(VectorMath.exp(t).add(1f));
  }

  /** -2u with u = c (x + a x^3), on x clamped as {@link #GELU_CLAMP} explains. */
  private static FloatVector minusTwoU(FloatVector x) {
    FloatVector xc = x.max(-GELU_CLAMP).min(GELU_CLAMP);
    return xc.mul(xc).mul(GELU_A).add(1f).mul(xc).mul(-2 * GELU_C);
  }
}
