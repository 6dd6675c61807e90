/**
 * The math engine: networks as sequences of layers over one flat parameter vector, and the fitted
 * networks used for inference. Plain Java over {@code float[]} blocks; nothing under this package
 * may import Spark or Scala (an architecture test enforces it), so it is tested and reusable on its
 * own. Subpackages, from the bottom up:
 *
 * <ul>
 *   <li>{@code linalg}: the BLAS wrapper, the Vector API GEMM and element-wise kernels;
 *   <li>{@code data}: blocks of rows or sequences, block sampling, feature statistics;
 *   <li>{@code layer}: the layer abstraction and its implementations, activations, initialisation;
 *   <li>{@code loss}: losses on the network output;
 *   <li>{@code optim} (and {@code optim.schedule}): update rules, regularisation, learning-rate
 *       schedules;
 *   <li>{@code training}: the driver loop shared by the single-JVM reference and the distributed
 *       trainer, its configuration, state, listener and the local-steps round.
 * </ul>
 *
 * <p>Matrix convention: column-major, one sample per column. A block of {@code n} samples of width
 * {@code d} is a {@code float[]} where sample {@code j} occupies {@code [j*d, (j+1)*d)}. A block of
 * sequences is time-major: step {@code t} of sequence {@code j} is column {@code t*n + j}, so every
 * time step is one contiguous {@code d x n} matrix and all steps together one {@code d x (T*n)}.
 */
package io.sparkbackprop.nn;
