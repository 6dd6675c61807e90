package io.sparkbackprop.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;

/** Params of the regressor and its model: the shared network params plus the loss. */
public interface BackpropRegressionParams extends BackpropParams {

  /** The holder of this stage's loss params. */
  RegressionLossParams regressionLossParams();

  default Param<String> loss() {
    return regressionLossParams().loss;
  }

  default DoubleParam huberDelta() {
    return regressionLossParams().huberDelta;
  }

  default String getLoss() {
    return ParamChecks.oneOf("loss", $(loss()), RegressionLossParams.LOSSES);
  }

  default double getHuberDelta() {
    return (Double) $(huberDelta());
  }
}
