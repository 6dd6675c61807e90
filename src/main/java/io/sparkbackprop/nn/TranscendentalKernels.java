package io.sparkbackprop.nn;

import java.util.Locale;

/**
 * Whole-array loops for the activations whose cost is an exponential or a tanh: sigmoid, tanh and
 * GELU. {@link Activation} runs its scalar loops unless {@link #vectorisedOrNull()} offers these.
 *
 * <p>Why: a scalar loop over {@code Math.exp} costs 6-18 ns per element, so a sigmoid layer spent
 * more time in its activation than in its GEMMs. On x86-64, HotSpot compiles the Vector API's
 * {@code EXP} and {@code TANH} lane operations to Intel's SVML routines, about 0.3 ns per element
 * at 512 bits on the development machine (float results within 2e-7 relative of the double-precision
 * scalar loops). On other architectures the JDK 17 Vector API evaluates those lanes one by one, so
 * the scalar loops stay.
 */
interface TranscendentalKernels {
  /** a = 1 / (1 + e^-z) for the first len entries; a may be z. */
  void sigmoid(float[] z, float[] a, int len);

  /** a = tanh(z) for the first len entries; a may be z. */
  void tanh(float[] z, float[] a, int len);

  /** a = GELU(z) in the tanh form {@link Activation#GELU} documents; a may be z. */
  void gelu(float[] z, float[] a, int len);

  /** grad *= GELU'(z) for the first len entries. */
  void geluDerivative(float[] z, float[] grad, int len);

  /** Name of the class that implements the vectorised kernels; loaded only when usable. */
  String VECTOR_IMPLEMENTATION = "io.sparkbackprop.nn.VectorTranscendentals";

  /**
   * The vectorised kernels when this JVM has the vector module, compiles Vector API code to vector
   * instructions and runs on x86-64 (where SVML backs EXP and TANH); otherwise null.
   */
  static TranscendentalKernels vectorisedOrNull() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
    if (!x86 || !Blas.vectorModulePresent() || !Blas.vectorApiCompiles()) {
      return null;
    }
    try {
      return (TranscendentalKernels) Class.forName(VECTOR_IMPLEMENTATION)
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
