/**
 * The defaults suite (issue 12), compiled only with the Maven profile {@code bench}:
 * {@link io.sparkbackprop.bench.suite.SuiteBenchmark} compares ours, with any param regime, against
 * Spark's MLPC, LinearRegression and GBTRegressor on the public tuning sets and sample-data.
 */
package io.sparkbackprop.bench.suite;
