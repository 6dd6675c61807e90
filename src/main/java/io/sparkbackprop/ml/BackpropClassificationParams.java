package io.sparkbackprop.ml;

/** Params of the classifier and its model: the feed-forward params plus class weighting. */
public interface BackpropClassificationParams extends BackpropParams, ClassWeightingParams {}
