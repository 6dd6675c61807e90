package io.sparkbackprop.nn.layer;

/**
 * A layer's scratch buffers for one task (activations kept for the backward pass, the output
 * buffer). Each layer defines its own; the network only holds them. Not thread-safe.
 */
public interface LayerWorkspace {
  /** A workspace for layers that need none. */
  LayerWorkspace NONE = new LayerWorkspace() {};
}
