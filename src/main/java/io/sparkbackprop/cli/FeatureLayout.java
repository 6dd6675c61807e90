package io.sparkbackprop.cli;

/** How the input columns of a model type reach its estimator. */
enum FeatureLayout {
  /**
   * Numeric and vector columns, assembled into one vector column by a VectorAssembler that is saved in
   * front of the model (a single vector column is handed over as it is).
   */
  VECTOR,
  /**
   * One array-typed column per row (a sequence of numbers or of number arrays), handed to the
   * estimator as it is; the estimator checks the element type and length.
   */
  SEQUENCE
}
