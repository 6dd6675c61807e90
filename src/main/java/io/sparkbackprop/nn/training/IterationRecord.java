package io.sparkbackprop.nn.training;

import java.io.Serializable;

/**
 * What happened in one training iteration.
 *
 * @param loss mean training loss (plus the regularisation penalty) at the iteration's weights
 * @param validationLoss mean validation loss at the same weights, NaN when not evaluated
 * @param validationAccuracy weighted validation accuracy, NaN when not evaluated or not a classifier
 * @param stepSize learning rate used (after schedule and automatic halving)
 * @param gradientNorm Euclidean norm of the gradient before clipping
 * @param elapsedMillis wall time since training started, at the end of the iteration
 */
public record IterationRecord(int iteration, double loss, double validationLoss,
    double validationAccuracy, double stepSize, double gradientNorm, long elapsedMillis)
    implements Serializable {}
