package io.sparkbackprop.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;

/** Class weighting params of the classifiers and their models (feed-forward and recurrent). */
public interface ClassWeightingParams extends ParamSets.Owner {

  /** The holder of this stage's class-weighting params. */
  default ClassificationParams classificationParams() {
    return paramSets().classification;
  }

  default DoubleArrayParam classWeights() {
    return classificationParams().classWeights;
  }

  default BooleanParam balanceClasses() {
    return classificationParams().balanceClasses;
  }

  /** The class weights if set, else null. */
  default double[] getClassWeights() {
    return isDefined(classWeights()) ? $(classWeights()) : null;
  }

  default boolean getBalanceClasses() {
    return (Boolean) $(balanceClasses());
  }
}
