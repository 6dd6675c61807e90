package io.sparkbackprop.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** The loss params of regression stages, held like {@link NetworkParams}. */
public final class RegressionLossParams implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  static final String[] LOSSES = {NetworkSpec.SQUARED_ERROR, NetworkSpec.HUBER};

  final Param<String> loss;
  final DoubleParam huberDelta;

  RegressionLossParams(Params owner) {
    loss = new Param<>(owner.uid(), "loss", "loss to minimise: squaredError (half the squared error) "
        + "or huber (quadratic near zero, linear beyond huberDelta)",
        Validators.oneOfIgnoringCase(LOSSES), String.class);
    huberDelta = new DoubleParam(owner, "huberDelta", "where the huber loss turns from quadratic to "
        + "linear, in standard deviations of the label (> 0)", Validators.finiteAbove(0, false));
    owner.setDefault(loss, NetworkSpec.SQUARED_ERROR);
    owner.setDefault(huberDelta, 1.0);
  }
}
