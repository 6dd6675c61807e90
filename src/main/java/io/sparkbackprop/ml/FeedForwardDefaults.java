package io.sparkbackprop.ml;

import org.apache.spark.ml.param.Params;

/**
 * Defaults of the feed-forward estimators that differ from the shared training defaults, chosen by
 * measurement on the defaults suite ({@code src/bench/results/suite-round5-*.md}: six regression
 * sets, ten classification sets, three seeded splits each) rather than on one dataset. The models
 * declare the same defaults, so a saved model reports what its estimator used.
 */
final class FeedForwardDefaults {
  private FeedForwardDefaults() {}

  /**
   * The regressor: L2 of 0.03 on the weights. Small, nearly linear tables (diabetes, caschools,
   * houseprices) are where an unregularised network loses to a linear model (diabetes R² 0.44
   * against 0.50); 0.03 brings every regression set of the suite to within half a point of Spark's
   * {@code LinearRegression} or above it, and raises the mean over the suite, while 0.1 starts to
   * cost the nonlinear sets (servo 0.84 to 0.76).
   */
  static void regressor(Params owner, TrainingParamSet training) {
    owner.setDefault(training.regParam, 0.03);
  }
}
