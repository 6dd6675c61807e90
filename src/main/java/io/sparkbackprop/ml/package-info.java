/**
 * The Spark ML API: estimators, models, params, persistence and training summaries. A thin layer that
 * validates params and schemas, hands the Dataset to the trainer and wraps the weights in a model.
 */
package io.sparkbackprop.ml;
