package io.sparkbackprop.nn.linalg;


/**
 * Whole-array loops around the GEMMs: the activations whose cost is an exponential or a tanh
 * (sigmoid, tanh, GELU), the ReLU derivative, and the bias add and bias gradient of a dense layer.
 * The activation functions and dense layers run their scalar loops unless {@link #VECTORISED}
 * offers these.
 *
 * <p>Why: a scalar loop over {@code Math.exp} costs 6-18 ns per element, so a sigmoid layer spent
 * more time in its activation than in its GEMMs; with the JDK Vector API ({@link VectorMath}) it
 * is a fraction of a nanosecond. The bias loops and the ReLU mask, which C2 leaves scalar or
 * half-vectorised, run 3-4x faster as explicit vectors. Measured on the development machine
 * (AVX-512); the results are the same bits interpreted or compiled.
 */
public interface ElementwiseKernels {
  /** The vectorised kernels when this JVM runs them fast, else null: see {@link #vectorisedOrNull}. */
  ElementwiseKernels VECTORISED = vectorisedOrNull();

  /** a = 1 / (1 + e^-z) for the first len entries; a may be z. */
  void sigmoid(float[] z, float[] a, int len);

  /** a = tanh(z) for the first len entries; a may be z. */
  void tanh(float[] z, float[] a, int len);

  /** x = 1 / (1 + e^-x) in place on {@code x[from .. to)} (recurrent gates). */
  void sigmoidInPlace(float[] x, int from, int to);

  /** x = tanh(x) in place on {@code x[from .. to)} (recurrent candidates and cells). */
  void tanhInPlace(float[] x, int from, int to);

  /** a = GELU(z) in the tanh form the GELU activation documents; a may be z. */
  void gelu(float[] z, float[] a, int len);

  /** grad *= GELU'(z) for the first len entries. */
  void geluDerivative(float[] z, float[] grad, int len);

  /** grad kept where z > 0, else set to 0 (also for NaN z), for the first len entries. */
  void reluDerivative(float[] z, float[] grad, int len);

  /** Adds {@code bias[biasOffset .. biasOffset + m)} to each of the {@code rows} columns of z. */
  void addBias(float[] z, int m, int rows, float[] bias, int biasOffset);

  /** Adds the row sums of the {@code m x rows} column-major delta to out from outOffset. */
  void addColumnSums(float[] delta, int m, int rows, float[] out, int outOffset);

  /**
   * {@code sum[i] += values[i]} in double for the first len entries: a block's float gradient into
   * a double sum. Each entry is widened and added exactly as the scalar loop does, so the sums are
   * the same bits; C2 leaves the mixed-width loop scalar, the vectors take a third of its time.
   */
  void addWidened(float[] values, double[] sum, int len);

  /** {@link #addWidened} with the vectorised kernels when available, else the scalar loop. */
  static void addWidened(ElementwiseKernels kernels, float[] values, double[] sum, int len) {
    if (kernels != null) {
      kernels.addWidened(values, sum, len);
      return;
    }
    for (int i = 0; i < len; i++) {
      sum[i] += values[i];
    }
  }

  /** Name of the class that implements the vectorised kernels; loaded only when usable. */
  String VECTOR_IMPLEMENTATION = "io.sparkbackprop.nn.linalg.VectorElementwiseKernels";

  /**
   * The vectorised kernels when this JVM has the vector module and compiles Vector API code to
   * vector instructions (the same test {@link Blas} applies to {@link VectorGemm}); otherwise null.
   */
  static ElementwiseKernels vectorisedOrNull() {
    if (!Blas.vectorModulePresent() || !Blas.vectorApiCompiles()) {
      return null;
    }
    try {
      return (ElementwiseKernels) Class.forName(VECTOR_IMPLEMENTATION)
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
