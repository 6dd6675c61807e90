package io.sparkbackprop.nn;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.layer.Layer;
import io.sparkbackprop.nn.layer.RecurrentLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a one-directional recurrent network over one sequence piece by piece, carrying every
 * recurrent layer's state from one piece to the next: continuing a prompt one generated token at a
 * time costs one step each, not the whole sequence again. Not thread-safe.
 */
public final class SequenceStepper {
  private final SequentialNetwork network;
  private final float[] params;
  private final int[] recurrent;
  private final float[][] hidden;
  private final float[][] cells;
  private NetworkWorkspace workspace;
  private int workspaceSteps;
  private boolean started;

  public SequenceStepper(SequentialNetwork network, float[] params) {
    this.network = network;
    this.params = params;
    List<Integer> found = new ArrayList<>();
    List<Layer> layers = network.layers();
    for (int l = 0; l < layers.size(); l++) {
      if (layers.get(l) instanceof RecurrentLayer r) {
        if (r.bidirectional()) {
          throw new IllegalArgumentException("A bidirectional network reads the whole sequence "
              + "backwards too, so it cannot continue one step at a time");
        }
        found.add(l);
      }
    }
    this.recurrent = found.stream().mapToInt(Integer::intValue).toArray();
    this.hidden = new float[recurrent.length][];
    this.cells = new float[recurrent.length][];
    for (int k = 0; k < recurrent.length; k++) {
      int h = ((RecurrentLayer) layers.get(recurrent[k])).hiddenSize();
      hidden[k] = new float[h];
      cells[k] = new float[h];
    }
  }

  /**
   * Feeds the next {@code steps} steps ({@code inputWidth x steps}) after everything fed before,
   * and returns the raw output of the last of them ({@code outputWidth} values; a copy).
   */
  public float[] feed(float[] input, int steps) {
    if (workspace == null || steps > workspaceSteps) {
      workspaceSteps = Math.max(steps, workspaceSteps);
      workspace = network.newWorkspace(1, workspaceSteps);
    }
    List<Layer> layers = network.layers();
    for (int k = 0; k < recurrent.length; k++) {
      RecurrentLayer layer = (RecurrentLayer) layers.get(recurrent[k]);
      layer.setInitialState(network.layerWorkspace(workspace, recurrent[k]), 0,
          started ? hidden[k] : null, started ? cells[k] : null);
    }
    BatchShape shape = BatchShape.sequences(1, steps, null);
    float[] out = network.forward(params, input, shape, workspace);
    for (int k = 0; k < recurrent.length; k++) {
      RecurrentLayer layer = (RecurrentLayer) layers.get(recurrent[k]);
      layer.finalState(network.layerWorkspace(workspace, recurrent[k]), shape, 0, hidden[k],
          cells[k]);
    }
    started = true;
    int width = network.outputWidth();
    int last = network.outputShape(shape).columns() - 1;
    float[] result = new float[width];
    System.arraycopy(out, last * width, result, 0, width);
    return result;
  }
}
