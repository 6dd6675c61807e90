/**
 * The optimisation loop, independent of where the data lives: an
 * {@link io.sparkbackprop.nn.training.Objective} sums gradients (over blocks in this JVM, or over
 * cached Spark partitions in {@code io.sparkbackprop.distributed}), and
 * {@link io.sparkbackprop.nn.training.TrainingLoop} steps, validates, stops and checkpoints.
 */
package io.sparkbackprop.nn.training;
