/**
 * The layer abstraction ({@link io.sparkbackprop.nn.layer.Layer}) and its implementations: each
 * layer owns a slice of the flat parameter vector, runs forward and backward over a whole block and
 * accumulates its parameter gradient. Also activations and weight initialisation.
 */
package io.sparkbackprop.nn.layer;
