/**
 * The math engine: layers, activations, losses, weight initialisation, networks, optimizers and the
 * BLAS wrapper. Plain Java over {@code float[]} blocks; it must not import anything from Spark (an
 * architecture test enforces this), so it can be tested and reused on its own.
 *
 * <p>Matrix convention: column-major, one sample per column. A block of {@code n} samples of width
 * {@code d} is a {@code float[]} where sample {@code j} occupies {@code [j*d, (j+1)*d)}.
 */
package io.sparkbackprop.nn;
