package io.sparkbackprop.nn;

/**
 * Scratch buffers a network needs to process blocks of up to {@link #capacity()} rows. Created once per
 * task and reused for every block, so the per-block loop allocates nothing. Not thread-safe.
 */
public interface NetworkWorkspace {
  /** The largest number of rows this workspace can process at once. */
  int capacity();
}
