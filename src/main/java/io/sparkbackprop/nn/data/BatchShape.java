package io.sparkbackprop.nn.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How the columns of a block are organised: {@code rows} independent samples, each of up to
 * {@code steps} time steps. Feed-forward blocks have one step per row. Sequence blocks are
 * time-major (step {@code t} of row {@code j} is column {@code t * rows + j}) and left-aligned:
 * row {@code j} fills steps {@code 0 .. length(j) - 1}, the rest is padding that layers and losses
 * must ignore.
 */
public final class BatchShape implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int steps;
  private final int[] lengths;

  private BatchShape(int rows, int steps, int[] lengths) {
    if (rows <= 0 || steps <= 0) {
      throw new IllegalArgumentException("A batch needs positive rows and steps, got " + rows
          + " x " + steps);
    }
    if ((long) rows * steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(rows + " rows of " + steps + " steps exceed 2^31 columns");
    }
    if (lengths != null) {
      if (lengths.length < rows) {
        throw new IllegalArgumentException("Need a length per row: " + lengths.length + " for "
            + rows + " rows");
      }
      for (int j = 0; j < rows; j++) {
        if (lengths[j] < 1 || lengths[j] > steps) {
          throw new IllegalArgumentException("Row " + j + " has length " + lengths[j]
              + "; lengths must be in 1.." + steps);
        }
      }
    }
    this.rows = rows;
    this.steps = steps;
    this.lengths = lengths;
  }

  /** {@code rows} samples of one step each: a feed-forward block. */
  public static BatchShape rows(int rows) {
    return new BatchShape(rows, 1, null);
  }

  /**
   * {@code rows} sequences padded to {@code steps} steps.
   *
   * @param lengths the valid steps of each row (at least {@code rows} entries, each in
   *     {@code 1..steps}), or null when every row has all {@code steps}; not copied
   */
  public static BatchShape sequences(int rows, int steps, int[] lengths) {
    if (lengths != null && Arrays.stream(lengths, 0, Math.min(rows, lengths.length))
        .allMatch(l -> l == steps)) {
      lengths = null;
    }
    return new BatchShape(rows, steps, lengths);
  }

  public int rows() {
    return rows;
  }

  public int steps() {
    return steps;
  }

  /** Columns of a matrix holding every step of every row. */
  public int columns() {
    return rows * steps;
  }

  /** Whether some rows are shorter than {@link #steps()}. */
  public boolean hasPadding() {
    return lengths != null;
  }

  /** Valid steps of row {@code j}. */
  public int length(int j) {
    return lengths == null ? steps : lengths[j];
  }

  /** Whether step {@code t} of row {@code j} holds data (not padding). */
  public boolean isValid(int t, int j) {
    return lengths == null || t < lengths[j];
  }

  /** The shape after a layer that keeps one column per row (the end of a sequence). */
  public BatchShape lastStepOnly() {
    return steps == 1 && lengths == null ? this : rows(rows);
  }

  @Override
  public String toString() {
    return steps == 1 ? rows + " rows" : rows + " sequences x " + steps + " steps";
  }
}
