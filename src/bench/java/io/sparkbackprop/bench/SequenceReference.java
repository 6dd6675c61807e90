package io.sparkbackprop.bench;

/**
 * A single-node recurrent trainer to compare with: PyTorch's LSTM through DJL
 * ({@code DjlLstmReference} in {@code src/bench-pytorch/java}, compiled only with the Maven profile
 * {@code bench-pytorch}), loaded by name.
 */
interface SequenceReference {
  String IMPLEMENTATION = "io.sparkbackprop.bench.DjlLstmReference";

  /** What the reference runs on, for the report. */
  String describe(int threads);

  /**
   * Trains a one-layer LSTM with a linear head on a squared error for {@code epochs} epochs of
   * shuffled mini-batches of {@code batch} sequences (Adam), and returns each epoch's seconds.
   *
   * @param features {@code rows x steps x inputs}, row-major (batch first)
   * @param labels one target per sequence
   */
  double[] epochSeconds(float[] features, float[] labels, int rows, int steps, int inputs,
      int hidden, int batch, int epochs, int threads, long seed);

  static SequenceReference load() throws ReflectiveOperationException {
    return (SequenceReference) Class.forName(IMPLEMENTATION).getDeclaredConstructor().newInstance();
  }
}
