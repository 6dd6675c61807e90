/**
 * The data the engine computes on: {@link io.sparkbackprop.nn.data.DataBlock} (rows or sequences
 * stacked into contiguous float arrays), its {@link io.sparkbackprop.nn.data.BatchShape}, block
 * sampling and feature statistics.
 */
package io.sparkbackprop.nn.data;
