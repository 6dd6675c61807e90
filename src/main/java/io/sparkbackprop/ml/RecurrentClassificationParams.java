package io.sparkbackprop.ml;

/** Params of the recurrent classifier and its model: recurrent params plus class weighting. */
public interface RecurrentClassificationParams extends RecurrentParams, ClassWeightingParams {}
