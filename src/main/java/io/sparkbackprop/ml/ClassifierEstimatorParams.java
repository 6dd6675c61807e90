package io.sparkbackprop.ml;

/**
 * Setters for the class-weighting params of the classifiers (feed-forward and recurrent), returning
 * the concrete estimator so calls chain.
 *
 * @param <T> the estimator type
 */
public interface ClassifierEstimatorParams<T extends ClassifierEstimatorParams<T>>
    extends ClassWeightingParams {

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  default T setClassWeights(double... value) {
    ParamChecks.valid(classWeights(), value);
    set(classWeights(), value.clone());
    return self();
  }

  default T setBalanceClasses(boolean value) {
    set(balanceClasses(), value);
    return self();
  }
}
