package io.sparkbackprop.testing;

import io.sparkbackprop.ml.BackpropClassificationModel;
import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.ml.BackpropRegressionModel;
import io.sparkbackprop.ml.BackpropRegressor;
import java.util.function.Supplier;
import org.apache.spark.ml.param.Params;

/**
 * The four public stages, with cheap fitted models (generated data, a handful of iterations) shared by
 * the contract tests. Each supplier returns a fresh stage.
 */
public enum Stages {
  CLASSIFIER(BackpropClassifier::new, false),
  REGRESSOR(BackpropRegressor::new, true),
  CLASSIFICATION_MODEL(Stages::classificationModel, false),
  REGRESSION_MODEL(Stages::regressionModel, true);

  private static BackpropClassificationModel classificationModel;
  private static BackpropRegressionModel regressionModel;

  private final Supplier<Params> factory;
  private final boolean regression;

  Stages(Supplier<Params> factory, boolean regression) {
    this.factory = factory;
    this.regression = regression;
  }

  /** A new instance (models: a copy of the shared fitted model). */
  public Params create() {
    return factory.get();
  }

  public boolean isRegression() {
    return regression;
  }

  public boolean isModel() {
    return this == CLASSIFICATION_MODEL || this == REGRESSION_MODEL;
  }

  /** A 3-class model on 4 features with one hidden layer of 5 units. */
  public static synchronized BackpropClassificationModel classificationModel() {
    if (classificationModel == null) {
      classificationModel = new BackpropClassifier().setHiddenLayers(5).setMaxIter(3).setSeed(7)
          .fit(TestData.blobs(8, 3, 4, 0.5, 1));
    }
    return classificationModel.copy(new org.apache.spark.ml.param.ParamMap());
  }

  /** A regression model on 3 features with one hidden layer of 4 units. */
  public static synchronized BackpropRegressionModel regressionModel() {
    if (regressionModel == null) {
      regressionModel = new BackpropRegressor().setHiddenLayers(4).setMaxIter(3).setSeed(7)
          .fit(TestData.linear(24, 0.1, 2));
    }
    return regressionModel.copy(new org.apache.spark.ml.param.ParamMap());
  }
}
