package io.sparkbackprop.ml;

import java.io.Serializable;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Params;

/** The class-weighting params of classification stages, held like {@link NetworkParams}. */
public final class ClassificationParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final DoubleArrayParam classWeights;
  final BooleanParam balanceClasses;

  ClassificationParams(Params owner) {
    classWeights = new DoubleArrayParam(owner, "classWeights",
        "relative weight of each class in the loss, one non-negative value per class (rescaled so "
            + "the average row weight stays 1); unset for equal weights",
        Validators.nonNegativeDoubles());
    balanceClasses = new BooleanParam(owner, "balanceClasses",
        "weight each class inversely to its frequency in the training data (ignored when "
            + "classWeights is set)");
    owner.setDefault(balanceClasses, false);
  }
}
