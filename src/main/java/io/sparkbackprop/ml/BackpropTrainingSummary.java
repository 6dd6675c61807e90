package io.sparkbackprop.ml;

import io.sparkbackprop.nn.training.IterationRecord;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.classification.TrainingSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What happened during {@code fit}, iteration by iteration: training loss (for regressors in
 * standardised label units), validation loss and accuracy, step size, gradient norm and wall time, as
 * arrays and as a DataFrame, and why training stopped. Implements Spark's
 * {@link TrainingSummary}, so {@code objectiveHistory} and {@code totalIterations} work as for Spark's
 * own models.
 */
public final class BackpropTrainingSummary implements TrainingSummary, Serializable {
  private static final long serialVersionUID = 1L;

  private final List<IterationRecord> iterations;
  private final String stopReason;
  private final long trainingRows;
  private final long validationRows;

  BackpropTrainingSummary(List<IterationRecord> iterations, String stopReason, long trainingRows,
      long validationRows) {
    this.iterations = List.copyOf(iterations);
    this.stopReason = stopReason;
    this.trainingRows = trainingRows;
    this.validationRows = validationRows;
  }

  /** Rows trained on (validation rows excluded). */
  public long trainingRows() {
    return trainingRows;
  }

  /** Rows held out for validation. */
  public long validationRows() {
    return validationRows;
  }

  /** Mean training loss (with the regularisation penalty) at the start of each iteration. */
  @Override
  public double[] objectiveHistory() {
    return column(IterationRecord::loss);
  }

  @Override
  public int totalIterations() {
    return iterations.size();
  }

  /** {@code CONVERGED}, {@code MAX_ITER} or {@code EARLY_STOPPED}. */
  public String stopReason() {
    return stopReason;
  }

  /**
   * Validation loss per iteration (weighted like the training loss, class weights included); NaN
   * where it was not computed.
   */
  public double[] validationLossHistory() {
    return column(IterationRecord::validationLoss);
  }

  /** Weighted validation accuracy per iteration (classifiers); NaN where not computed. */
  public double[] validationAccuracyHistory() {
    return column(IterationRecord::validationAccuracy);
  }

  /** Step size used in each iteration (after schedule and automatic halving). */
  public double[] stepSizeHistory() {
    return column(IterationRecord::stepSize);
  }

  /** Gradient norm before clipping, per iteration. */
  public double[] gradientNormHistory() {
    return column(IterationRecord::gradientNorm);
  }

  /** Wall time since training started, at the end of each iteration, in seconds. */
  public double[] timeHistory() {
    return column(r -> r.elapsedMillis() / 1000.0);
  }

  /** The iteration numbers (they continue from an initial model's when resuming). */
  public int[] iterationNumbers() {
    return iterations.stream().mapToInt(IterationRecord::iteration).toArray();
  }

  /** Every iteration record. */
  public List<IterationRecord> iterations() {
    return iterations;
  }

  /**
   * The history as a DataFrame with columns iteration, loss, validationLoss, validationAccuracy,
   * stepSize, gradientNorm, seconds, in the active SparkSession.
   */
  public Dataset<Row> toDataFrame() {
    StructType schema = new StructType()
        .add("iteration", DataTypes.IntegerType, false)
        .add("loss", DataTypes.DoubleType, false)
        .add("validationLoss", DataTypes.DoubleType, false)
        .add("validationAccuracy", DataTypes.DoubleType, false)
        .add("stepSize", DataTypes.DoubleType, false)
        .add("gradientNorm", DataTypes.DoubleType, false)
        .add("seconds", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (IterationRecord r : iterations) {
      rows.add(RowFactory.create(r.iteration(), r.loss(), r.validationLoss(),
          r.validationAccuracy(), r.stepSize(), r.gradientNorm(), r.elapsedMillis() / 1000.0));
    }
    return SparkSession.active().createDataFrame(rows, schema);
  }

  private double[] column(ToDoubleFunction<IterationRecord> field) {
    return iterations.stream().mapToDouble(field).toArray();
  }
}
