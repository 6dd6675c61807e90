/**
 * Where synchronous {@code treeAggregate} training stops scaling: {@link
 * io.sparkbackprop.bench.scaling.ScalingCostModel} is submitted to a cluster and measures our
 * trainer's iteration time together with its parts (fixed job latency, compute, broadcast of the
 * weights, tree-reduce of the gradient) for several model sizes; {@link
 * io.sparkbackprop.bench.scaling.CostModelFit} reads the measurements of several clusters, fits a
 * per-iteration cost model by least squares and extrapolates it to executors and rows that one
 * machine cannot run. See {@code src/bench/README.md}.
 */
package io.sparkbackprop.bench.scaling;
