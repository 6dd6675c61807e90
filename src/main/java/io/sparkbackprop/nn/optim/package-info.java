/**
 * Update rules applied on the driver to the summed gradient (gradient descent, momentum, Nesterov,
 * AdaGrad, RMSProp, Adam, AdamW, L-BFGS), their settings and saveable state, and the elastic-net
 * penalty.
 */
package io.sparkbackprop.nn.optim;
