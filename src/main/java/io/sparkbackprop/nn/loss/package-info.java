/**
 * Losses on the network's raw output: softmax cross-entropy for classes, squared error and Huber for
 * regression (in standardised label units, see {@link io.sparkbackprop.nn.loss.TargetScaling}).
 */
package io.sparkbackprop.nn.loss;
