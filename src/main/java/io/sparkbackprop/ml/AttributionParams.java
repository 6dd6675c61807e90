package io.sparkbackprop.ml;

import io.sparkbackprop.nn.explain.AttributionMethod;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The params of {@link Attributions}, created for one owner once its uid is known. */
final class AttributionParams implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  final Param<String> featuresCol;
  final Param<String> attributionsCol;
  final Param<String> method;
  final IntParam targetClass;
  final Param<Vector> baseline;
  final IntParam steps;
  final DoubleParam noiseLevel;
  final IntParam samples;
  final LongParam seed;
  final IntParam blockSize;

  AttributionParams(Params owner) {
    String uid = owner.uid();
    featuresCol = new Param<>(uid, "featuresCol",
        "features column the wrapped model reads (set from the model by setModel)", String.class);
    attributionsCol = new Param<>(uid, "attributionsCol",
        "output column: a vector of one attribution per feature (feed-forward models), or per row "
            + "an array with one entry per step (array<double> for array<double> sequences, "
            + "array<vector> for steps of feature vectors)", String.class);
    method = new Param<>(uid, "method", "how attributions are computed: "
        + String.join(", ", AttributionMethod.paramNames()),
        Validators.oneOfIgnoringCase(AttributionMethod.paramNames()), String.class);
    targetClass = new IntParam(owner, "targetClass",
        "classifiers: the class whose probability is explained; -1 explains each row's predicted "
            + "class. Regressors explain their prediction and need -1", ParamValidators.gtEq(-1));
    baseline = new Param<>(uid, "baseline",
        "integratedGradients: the starting point, one value per feature (per step feature for "
            + "sequences); unset means the training mean the model standardises with (zeros for "
            + "models trained without standardization)", Validators.finiteVector(), Vector.class);
    steps = new IntParam(owner, "steps",
        "integratedGradients: points of the midpoint rule along the path (>= 1)",
        ParamValidators.gtEq(1));
    noiseLevel = new DoubleParam(owner, "noiseLevel",
        "smoothGrad: standard deviation of the noise in training standard deviations of each "
            + "feature (in raw units for models trained without standardization), >= 0",
        Validators.finiteAbove(0, true));
    samples = new IntParam(owner, "samples", "smoothGrad: noisy copies averaged per row (>= 1)",
        ParamValidators.gtEq(1));
    seed = new LongParam(owner, "seed", "smoothGrad: seed of the noise");
    blockSize = new IntParam(owner, "blockSize",
        "rows (or sequences) computed together in one block (> 0)", ParamValidators.gt(0));

    owner.setDefault(featuresCol, "features");
    owner.setDefault(attributionsCol, "attributions");
    owner.setDefault(method, AttributionMethod.INTEGRATED_GRADIENTS.paramName());
    owner.setDefault(targetClass, -1);
    owner.setDefault(steps, 50);
    owner.setDefault(noiseLevel, 0.15);
    owner.setDefault(samples, 50);
    owner.setDefault(seed, 20170614L);
    owner.setDefault(blockSize, 128);
  }
}
