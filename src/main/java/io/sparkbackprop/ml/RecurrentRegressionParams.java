package io.sparkbackprop.ml;

/** Params of the recurrent regressor and its model: recurrent params plus the loss. */
public interface RecurrentRegressionParams extends RecurrentParams, RegressionParams {}
