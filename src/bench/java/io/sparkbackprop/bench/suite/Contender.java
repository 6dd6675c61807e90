package io.sparkbackprop.bench.suite;

import io.sparkbackprop.ml.BackpropClassificationModel;
import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.ml.BackpropRegressionModel;
import io.sparkbackprop.ml.BackpropRegressor;
import io.sparkbackprop.ml.BackpropTrainingSummary;
import io.sparkbackprop.nn.training.IterationRecord;
import io.sparkbackprop.nn.training.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One model of the comparison: a baseline (Spark's MLPC, LinearRegression, GBTRegressor) or ours
 * with a {@link Regime}. {@link #fit} trains on a cached, standardised training split, times the fit
 * alone (wall clock) and scores the held-out split: accuracy for classification, R² for regression.
 */
abstract class Contender {
  /** What one fit on one split gave. {@code iterations} is -1 when the model does not say. */
  record Fit(double metric, double seconds, int iterations, String stopReason) {}

  /** The split a contender trains on, with what it needs to know about the set. */
  record SplitData(DataSet set, long seed, Dataset<Row> train, Dataset<Row> test, long trainRows,
      int partitions, int numClasses) {}

  final String name;

  Contender(String name) {
    this.name = name;
  }

  abstract boolean appliesTo(DataSet set);

  abstract boolean isBaseline();

  abstract Fit fit(SplitData split);

  static double score(DataSet set, Model<?> model, Dataset<Row> test) {
    Dataset<Row> predictions = model.transform(test);
    return set.isClassification()
        ? new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions)
        : new RegressionEvaluator().setMetricName("r2").evaluate(predictions);
  }

  record Timed<T>(T value, double seconds) {}

  static <T> Timed<T> time(Supplier<T> fit) {
    long start = System.nanoTime();
    T value = fit.get();
    return new Timed<>(value, (System.nanoTime() - start) / 1e9);
  }

  /** Spark's MultilayerPerceptronClassifier: [features, hidden, classes], l-bfgs. */
  static final class Mlpc extends Contender {
    private final int hidden;
    private final int maxIter;

    Mlpc(int hidden, int maxIter) {
      super("MLPC");
      this.hidden = hidden;
      this.maxIter = maxIter;
    }

    @Override
    boolean appliesTo(DataSet set) {
      return set.isClassification();
    }

    @Override
    boolean isBaseline() {
      return true;
    }

    @Override
    Fit fit(SplitData s) {
      MultilayerPerceptronClassifier mlpc = new MultilayerPerceptronClassifier()
          .setLayers(new int[] {s.set().numFeatures(), hidden, s.numClasses()})
          .setSolver("l-bfgs").setMaxIter(maxIter);
      Timed<MultilayerPerceptronClassificationModel> t = time(() -> mlpc.fit(s.train()));
      return new Fit(score(s.set(), t.value(), s.test()), t.seconds(),
          t.value().summary().totalIterations(), "");
    }
  }

  /** Spark's LinearRegression with its defaults (ordinary least squares here). */
  /** A Spark regressor the regression sets are compared with. */
  abstract static class RegressionBaseline extends Contender {
    RegressionBaseline(String name) {
      super(name);
    }

    @Override
    boolean appliesTo(DataSet set) {
      return !set.isClassification();
    }

    @Override
    boolean isBaseline() {
      return true;
    }
  }

  static final class Linear extends RegressionBaseline {
    Linear() {
      super("LinearRegression");
    }

    @Override
    Fit fit(SplitData s) {
      Timed<LinearRegressionModel> t = time(() -> new LinearRegression().fit(s.train()));
      return new Fit(score(s.set(), t.value(), s.test()), t.seconds(), -1, "");
    }
  }

  /** Spark's GBTRegressor with its defaults (20 trees of depth 5). */
  static final class Gbt extends RegressionBaseline {
    Gbt() {
      super("GBTRegressor");
    }

    @Override
    Fit fit(SplitData s) {
      var t = time(() -> new GBTRegressor().fit(s.train()));
      return new Fit(score(s.set(), t.value(), s.test()), t.seconds(), -1, "");
    }
  }

  /** Ours: hidden layers [hidden], everything else default except the regime's overrides. */
  static final class Ours extends Contender {
    final Regime regime;
    private final int hidden;
    /** The derived settings of the last fit, per set, for the report. */
    final java.util.Map<String, String> derived = new java.util.LinkedHashMap<>();

    Ours(Regime regime, int hidden) {
      super(regime.name());
      this.regime = regime;
      this.hidden = hidden;
    }

    @Override
    boolean appliesTo(DataSet set) {
      return true;
    }

    @Override
    boolean isBaseline() {
      return false;
    }

    @Override
    Fit fit(SplitData s) {
      boolean classification = s.set().isClassification();
      Regime.Split split = new Regime.Split(s.trainRows(), s.partitions());
      Regime.Resolved r = classification
          ? regime.resolve(new BackpropClassifier(), split)
          : regime.resolve(new BackpropRegressor(), split);
      if (!r.derived().isEmpty()) {
        derived.put(s.set().name(), r.derived());
      }
      Timed<Model<?>> t = null;
      int firedAt = -1;
      if (r.stopsByRule()) {
        // A fit followed by the rule: it either completes (the rule never fired) or is aborted
        // where the rule fires; then the refit up to there is what that run costs.
        SklearnStop rule = new SklearnStop(r.itersPerEpoch(), r.stopTol(), r.stopPatience());
        try {
          t = fitOnce(classification, r, s.train(), rule);
        } catch (RuntimeException e) {
          if (SklearnStop.Fired.in(e) == null) {
            throw e;
          }
        }
        firedAt = rule.firedAt();
        if (firedAt > 0) {
          ParamMap stopped = r.params().copy();
          stopped.put(maxIterParam(classification), firedAt);
          t = fitOnce(classification, new Regime.Resolved(stopped, r.itersPerEpoch(), Double.NaN,
              0, r.derived()), s.train(), null);
        }
      } else {
        t = fitOnce(classification, r, s.train(), null);
      }
      BackpropTrainingSummary summary = classification
          ? ((BackpropClassificationModel) t.value()).summary()
          : ((BackpropRegressionModel) t.value()).summary();
      String reason = r.stopsByRule() && firedAt > 0 ? "RULE" : summary.stopReason();
      return new Fit(score(s.set(), t.value(), s.test()), t.seconds(), summary.totalIterations(),
          reason);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.spark.ml.param.Param<Object> maxIterParam(boolean classification) {
      return classification ? (org.apache.spark.ml.param.Param) new BackpropClassifier().maxIter()
          : (org.apache.spark.ml.param.Param) new BackpropRegressor().maxIter();
    }

    /**
     * A fresh estimator with hiddenLayers and the resolved params, fitted and timed. The params are
     * set by name: a ParamMap only applies to the instance that owns its params.
     */
    private Timed<Model<?>> fitOnce(boolean classification, Regime.Resolved r, Dataset<Row> train,
        TrainingListener listener) {
      if (classification) {
        BackpropClassifier c = new BackpropClassifier().setHiddenLayers(hidden);
        apply(c, r.params());
        if (listener != null) {
          c.setTrainingListener(listener);
        }
        return time(() -> c.fit(train));
      }
      BackpropRegressor g = new BackpropRegressor().setHiddenLayers(hidden);
      apply(g, r.params());
      if (listener != null) {
        g.setTrainingListener(listener);
      }
      return time(() -> g.fit(train));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void apply(org.apache.spark.ml.param.Params estimator, ParamMap params) {
      for (org.apache.spark.ml.param.ParamPair<?> pair
          : scala.jdk.javaapi.CollectionConverters.asJava(params.toSeq())) {
        estimator.set((org.apache.spark.ml.param.Param) estimator.getParam(pair.param().name()),
            pair.value());
      }
    }
  }

  /**
   * scikit-learn's stopping rule for its stochastic solvers, on the training loss per epoch:
   * {@code loss > best - tol} counts an epoch without improvement, and more than {@code patience}
   * in a row stop training. Epochs are {@code itersPerEpoch} iterations (at least one).
   */
  static final class SklearnStop implements TrainingListener {
    /** Thrown from the listener to end the following fit where the rule fires. */
    static final class Fired extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Fired(int iteration) {
        super("stopping rule fired at iteration " + iteration, null, false, false);
      }

      static Fired in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof Fired f) {
            return f;
          }
        }
        return null;
      }
    }

    private final int itersPerEpoch;
    private final double tol;
    private final int patience;
    private final List<Double> epochLoss = new ArrayList<>();
    private double sum;
    private int count;
    private double best = Double.POSITIVE_INFINITY;
    private int noImprovement;
    private int firedAt = -1;

    SklearnStop(double itersPerEpoch, double tol, int patience) {
      this.itersPerEpoch = (int) Math.max(1, Math.round(itersPerEpoch));
      this.tol = tol;
      this.patience = patience;
    }

    int firedAt() {
      return firedAt;
    }

    @Override
    public void onIteration(IterationRecord record) {
      sum += record.loss();
      if (++count < itersPerEpoch) {
        return;
      }
      double loss = sum / count;
      sum = 0;
      count = 0;
      epochLoss.add(loss);
      noImprovement = loss > best - tol ? noImprovement + 1 : 0;
      best = Math.min(best, loss);
      if (noImprovement > patience) {
        firedAt = record.iteration();
        throw new Fired(firedAt);
      }
    }
  }
}
