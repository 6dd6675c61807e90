package io.sparkbackprop.nn.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x and tanh(x) on whole float vectors from additions, multiplications, fused multiply-adds,
 * divisions and bit operations only.
 *
 * <p>Why not the Vector API's own {@code EXP} and {@code TANH}: HotSpot compiles those to Intel's
 * SVML routines, but runs them lane by lane through {@code Math.exp}/{@code Math.tanh} before the
 * method is compiled. The two differ in the last bit, so the same training run could give
 * different weights depending on when the JIT compiler got to a method (a driver-side reference
 * and an executor-side run disagreed in a test). Basic IEEE operations round the same way
 * interpreted and compiled, so these results are reproducible, and they are within 2-3 float ulps
 * of the true values.
 *
 * <p>exp: Cody-Waite reduction x = n ln2 + r with |r| <= ln2/2 (n by the 1.5 * 2^23 rounding
 * trick), e^r by its Taylor series to r^7 (truncation below 1e-8 relative), times 2^n built in the
 * exponent bits. tanh: its odd Taylor series to x^21 for |x| < 0.625 (truncation below 2e-9
 * relative), else (1 - e^-2|x|) / (1 + e^-2|x|) with the sign of x.
 */
final class VectorMath {
  /** Above this e^x is +Infinity (the true overflow point is 88.72; 2^n must stay a normal). */
  static final float EXP_OVERFLOW = 88f;
  /** Below this e^x is 0 (the smallest normal float is e^-87.34). */
  static final float EXP_UNDERFLOW = -87f;

  private static final float LOG2_E = 1.44269504f;
  /** ln 2 split in a float and its remainder, so that n ln2 is subtracted almost exactly. */
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187e-6f;
  /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer in its low bits. */
  private static final float ROUND_MAGIC = 12582912f;
  private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);

  /** 1/k! for k = 7 down to 2. */
  private static final float[] EXP_TAYLOR = {
      1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 1f / 2};

  /** Taylor coefficients of tanh for x^21, x^19, ..., x^3 (from the Bernoulli numbers). */
  private static final float[] TANH_TAYLOR = {
      9.691537956929451e-05f, -2.3912911424355248e-04f, 5.90027440945586e-04f,
      -1.4558343870513183e-03f, 3.592128036572481e-03f, -8.863235529902197e-03f,
      2.1869488536155203e-02f, -5.396825396825397e-02f, 1.3333333333333333e-01f,
      -3.333333333333333e-01f};
  private static final float TANH_SERIES_LIMIT = 0.625f;

  private VectorMath() {}

  /** e^x per lane: +Infinity above {@link #EXP_OVERFLOW}, 0 below {@link #EXP_UNDERFLOW}, NaN kept. */
  static FloatVector exp(FloatVector x) {
    FloatVector clamped = x.max(EXP_UNDERFLOW).min(EXP_OVERFLOW);
    FloatVector shifted = clamped.mul(LOG2_E).add(ROUND_MAGIC);
    FloatVector n = shifted.sub(ROUND_MAGIC);
    FloatVector r = n.fma(FloatVector.broadcast(x.species(), -LN2_HI), clamped);
    r = n.fma(FloatVector.broadcast(x.species(), -LN2_LO), r);
    FloatVector p = FloatVector.broadcast(x.species(), EXP_TAYLOR[0]);
    for (int k = 1; k < EXP_TAYLOR.length; k++) {
      p = p.fma(r, FloatVector.broadcast(x.species(), EXP_TAYLOR[k]));
    }
    p = p.fma(r, FloatVector.broadcast(x.species(), 1f)).fma(r,
        FloatVector.broadcast(x.species(), 1f));
    IntVector exponent = ((IntVector) shifted.reinterpretAsInts()).sub(ROUND_MAGIC_BITS).add(127)
        .lanewise(VectorOperators.LSHL, 23);
    FloatVector result = p.mul(exponent.reinterpretAsFloats());
    result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_OVERFLOW));
    return result.blend(0f, x.compare(VectorOperators.LT, EXP_UNDERFLOW));
  }

  /** tanh(x) per lane; NaN kept. */
  static FloatVector tanh(FloatVector x) {
    FloatVector x2 = x.mul(x);
    FloatVector p = FloatVector.broadcast(x.species(), TANH_TAYLOR[0]);
    for (int k = 1; k < TANH_TAYLOR.length; k++) {
      p = p.fma(x2, FloatVector.broadcast(x.species(), TANH_TAYLOR[k]));
    }
    FloatVector series = p.mul(x2).fma(x, x);
    FloatVector abs = x.abs();
    FloatVector e = exp(abs.mul(-2f));
    FloatVector large = e.neg().add(1f).div(e.add(1f));
    large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
    return series.blend(large, abs.compare(VectorOperators.GE, TANH_SERIES_LIMIT));
  }
}
