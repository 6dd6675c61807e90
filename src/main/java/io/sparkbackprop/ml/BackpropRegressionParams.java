package io.sparkbackprop.ml;

/** Params of the regressor and its model: the feed-forward params plus the loss. */
public interface BackpropRegressionParams extends BackpropParams, RegressionParams {}
