package io.sparkbackprop.nn.explain;

import java.io.Serializable;

/**
 * The scalar function of one output column of a network that attributions explain: a class
 * probability, or a regression output in label units. Each row's target (the class, say) is chosen
 * once from the outputs at the row's own input and then held fixed while the input moves (along an
 * integration path, under noise).
 */
public interface ExplainedOutput extends Serializable {

  /**
   * The target of a row, from its raw outputs at the input.
   *
   * @param outputs raw outputs; the row's column starts at {@code offset}
   * @param width outputs per column
   */
  int choose(float[] outputs, int offset, int width);

  /** The explained value of a column for the chosen target. */
  double value(float[] outputs, int offset, int width, int target);

  /** Writes {@code d value / d output} of a column into {@code delta} at the same offset. */
  void gradient(float[] outputs, int offset, int width, int target, float[] delta);
}
