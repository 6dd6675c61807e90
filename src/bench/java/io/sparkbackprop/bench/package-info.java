/**
 * Benchmarks, compiled only with the Maven profile {@code bench} (see {@code src/bench/README.md}):
 * JMH kernels over the engine ({@link io.sparkbackprop.bench.GemmBenchmark},
 * {@link io.sparkbackprop.bench.DenseLayerBenchmark}, {@link io.sparkbackprop.bench.NetworkBenchmark},
 * run and summarised in GFLOP/s by {@link io.sparkbackprop.bench.KernelBenchmarks}) and the one-JVM
 * comparison with Spark's MultilayerPerceptronClassifier ({@link io.sparkbackprop.bench.EndToEndBenchmark}).
 */
package io.sparkbackprop.bench;
