package io.sparkbackprop.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * PyTorch's LSTM (libtorch's fused implementation, through DJL's PyTorch engine) as the recurrent
 * benchmark's reference: a one-layer LSTM, the last step's state into a linear unit, squared error,
 * Adam, shuffled mini-batches. Compiled only with the Maven profile {@code bench-pytorch}.
 */
public final class DjlLstmReference implements SequenceReference {
  private static final String ENGINE = "PyTorch";

  public DjlLstmReference() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private static Engine engine(int threads) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    Engine engine = Engine.getEngine(ENGINE);
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
    return engine;
  }

  @Override
  public String describe(int threads) {
    Engine engine = engine(threads);
    return String.format(Locale.ROOT, "DJL %s, %s %s (CPU), intra-op threads %d",
        Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
        JniUtils.getNumThreads());
  }

  @Override
  public double[] epochSeconds(float[] features, float[] labels, int rows, int steps, int inputs,
      int hidden, int batch, int epochs, int threads, long seed) {
    Engine engine = engine(threads);
    engine.setRandomSeed((int) seed);
    try (NDManager manager = engine.newBaseManager(Device.cpu());
        Model model = Model.newInstance("lstm", Device.cpu(), ENGINE)) {
      NDArray x = manager.create(FloatBuffer.wrap(features), new Shape(rows, steps, inputs));
      NDArray y = manager.create(FloatBuffer.wrap(labels), new Shape(rows, 1));
      SequentialBlock net = new SequentialBlock()
          .add(LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).build())
          .add(list -> new NDList(list.singletonOrThrow().get(":, -1, :")))
          .add(Linear.builder().setUnits(1).build());
      model.setBlock(net);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(Adam.builder().build()).optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, steps, inputs));
        double[] seconds = new double[epochs];
        int batches = (rows + batch - 1) / batch;
        for (int epoch = 0; epoch < epochs; epoch++) {
          long start = System.nanoTime();
          try (NDManager epochManager = manager.newSubManager()) {
            NDArray order = epochManager.randomPermutation(rows);
            NDArray xs = x.get(epochManager, new NDIndex("{}", order));
            NDArray ys = y.get(epochManager, new NDIndex("{}", order));
            for (int b = 0; b < batches; b++) {
              int from = b * batch;
              int to = Math.min(rows, from + batch);
              try (NDManager batchManager = epochManager.newSubManager()) {
                NDArray xb = xs.get(batchManager, new NDIndex("{}:{}", from, to));
                NDArray yb = ys.get(batchManager, new NDIndex("{}:{}", from, to));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                  NDList out = trainer.forward(new NDList(xb));
                  collector.backward(trainer.getLoss().evaluate(new NDList(yb), out));
                }
                trainer.step();
              }
            }
          }
          seconds[epoch] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
      }
    }
  }
}
