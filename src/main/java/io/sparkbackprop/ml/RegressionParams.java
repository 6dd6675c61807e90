package io.sparkbackprop.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;

/** The loss params of the regressors and their models (feed-forward and recurrent). */
public interface RegressionParams extends ParamSets.Owner {

  /** The holder of this stage's loss params. */
  default RegressionLossParams regressionLossParams() {
    return paramSets().loss;
  }

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
