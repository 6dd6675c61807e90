/**
 * Linear algebra for the engine: {@link io.sparkbackprop.nn.linalg.Blas} (the one entry point for
 * matrix products, choosing native BLAS, our Vector API GEMM or netlib's Java BLAS once per JVM),
 * the register-blocked {@code VectorGemm}, and the element-wise kernels around the products. Depends
 * on nothing else in the engine.
 */
package io.sparkbackprop.nn.linalg;
