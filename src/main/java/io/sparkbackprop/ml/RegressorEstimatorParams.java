package io.sparkbackprop.ml;

/**
 * Setters for the loss params of the regressors (feed-forward and recurrent), returning the
 * concrete estimator so calls chain.
 *
 * @param <T> the estimator type
 */
public interface RegressorEstimatorParams<T extends RegressorEstimatorParams<T>>
    extends RegressionParams {

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  default T setLoss(String value) {
    set(loss(), ParamChecks.oneOf("loss", value, RegressionLossParams.LOSSES));
    return self();
  }

  default T setHuberDelta(double value) {
    set(huberDelta(), ParamChecks.positive("huberDelta", value));
    return self();
  }
}
