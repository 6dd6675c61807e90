package io.sparkbackprop.nn;

/**
 * Settings of the driver loop. Built fluently by the Spark ML layer from its params; validated by
 * {@link #validate()} before training starts.
 */
public final class TrainingConfig {
  private String solver = "adam";
  private double stepSize = 0.01;
  private int maxIter = 100;
  private double tol = 1e-6;
  private long seed = 42;
  private double miniBatchFraction = 1.0;
  private int aggregationDepth = 2;
  private double regParam = 0;
  private double elasticNetParam = 0;

  public String solver() {
    return solver;
  }

  public TrainingConfig solver(String value) {
    this.solver = value;
    return this;
  }

  public double stepSize() {
    return stepSize;
  }

  public TrainingConfig stepSize(double value) {
    this.stepSize = value;
    return this;
  }

  public int maxIter() {
    return maxIter;
  }

  public TrainingConfig maxIter(int value) {
    this.maxIter = value;
    return this;
  }

  public double tol() {
    return tol;
  }

  public TrainingConfig tol(double value) {
    this.tol = value;
    return this;
  }

  public long seed() {
    return seed;
  }

  public TrainingConfig seed(long value) {
    this.seed = value;
    return this;
  }

  public double miniBatchFraction() {
    return miniBatchFraction;
  }

  public TrainingConfig miniBatchFraction(double value) {
    this.miniBatchFraction = value;
    return this;
  }

  public int aggregationDepth() {
    return aggregationDepth;
  }

  public TrainingConfig aggregationDepth(int value) {
    this.aggregationDepth = value;
    return this;
  }

  public double regParam() {
    return regParam;
  }

  public TrainingConfig regParam(double value) {
    this.regParam = value;
    return this;
  }

  public double elasticNetParam() {
    return elasticNetParam;
  }

  public TrainingConfig elasticNetParam(double value) {
    this.elasticNetParam = value;
    return this;
  }

  /** Fails with a message naming the setting if any value is out of range. */
  public TrainingConfig validate() {
    require(stepSize > 0 && Double.isFinite(stepSize), "stepSize", stepSize, "> 0");
    require(maxIter >= 0, "maxIter", maxIter, ">= 0");
    require(tol >= 0, "tol", tol, ">= 0");
    require(miniBatchFraction > 0 && miniBatchFraction <= 1, "miniBatchFraction", miniBatchFraction,
        "in (0, 1]");
    require(regParam >= 0 && Double.isFinite(regParam), "regParam", regParam, ">= 0");
    require(elasticNetParam >= 0 && elasticNetParam <= 1, "elasticNetParam", elasticNetParam,
        "in [0, 1]");
    require(aggregationDepth >= 1, "aggregationDepth", aggregationDepth, ">= 1");
    return this;
  }

  private static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + rule + ", got " + value);
    }
  }
}
