package io.sparkbackprop.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PyTorch reference of the benchmark's {@code pytorch} section, through DJL's PyTorch engine (CPU
 * build of libtorch from Maven Central, loaded offline). What a PyTorch user writes: an
 * {@code nn.Sequential} of {@code Linear} layers with PyTorch's default initialisation
 * (weights and biases uniform in +-1/sqrt(fan_in)), softmax cross-entropy on the logits, Adam, and
 * every epoch a fresh random permutation of the training tensors cut into mini-batches. Only the
 * accuracy evaluations are left out of the training time.
 *
 * <p>Compiled only with the Maven profile {@code bench-pytorch}; the benchmark loads it by name.
 */
public final class DjlPytorchReference implements ReferenceTrainer {
  private static final String ENGINE = "PyTorch";
  /** Rows per forward pass of the accuracy evaluation. */
  private static final int EVAL_BATCH = 10_000;

  public DjlPytorchReference() {
    // Never look for libtorch on the network: the native jar on the class path has it.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  @Override
  public String describe(Settings settings) {
    Engine engine = engine(settings.threads());
    return String.format(Locale.ROOT, "DJL %s, %s %s (CPU), intra-op threads %d, inter-op threads %d",
        Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(), JniUtils.getNumThreads(),
        JniUtils.getNumInteropThreads());
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
  public Run train(Problem p, Settings s) {
    Engine engine = engine(s.threads());
    engine.setRandomSeed((int) s.seed());
    long setupStart = System.nanoTime();
    int width = p.width();
    try (NDManager manager = engine.newBaseManager(Device.cpu());
        Model model = Model.newInstance("mlp", Device.cpu(), ENGINE)) {
      NDArray x = manager.create(FloatBuffer.wrap(p.features(), 0, p.rows() * width),
          new Shape(p.rows(), width));
      long[] labels = new long[p.rows()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = p.labels()[i];
      }
      NDArray y = manager.create(labels);
      model.setBlock(network(p.layers(), s.activation()));
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed((float) s.learningRate()))
              .build())
          .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(s.batchSize(), width));
        double setup = (System.nanoTime() - setupStart) / 1e9;
        return loop(trainer, manager, x, y, p.rows(), s, setup);
      }
    }
  }

  private static SequentialBlock network(int[] layers, String activation) {
    SequentialBlock net = new SequentialBlock();
    for (int l = 1; l < layers.length; l++) {
      Linear linear = Linear.builder().setUnits(layers[l]).build();
      // PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and bias.
      float bound = (float) (1 / Math.sqrt(layers[l - 1]));
      linear.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
      linear.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
      net.add(linear);
      if (l < layers.length - 1) {
        switch (activation) {
          case "sigmoid" -> net.add(Activation::sigmoid);
          case "relu" -> net.add(Activation::relu);
          case "tanh" -> net.add(Activation::tanh);
          default -> throw new IllegalArgumentException("Unsupported activation " + activation);
        }
      }
    }
    return net;
  }

  private static Run loop(Trainer trainer, NDManager manager, NDArray x, NDArray y, int rows,
      Settings s, double setup) {
    int batches = (rows + s.batchSize() - 1) / s.batchSize();
    int evalEvery = Math.max(1, (batches + s.evalsPerEpoch() - 1) / s.evalsPerEpoch());
    List<Double> epochSeconds = new ArrayList<>();
    List<Evaluation> evaluations = new ArrayList<>();
    double trained = 0;
    double toTarget = Double.NaN;
    double epochsToTarget = Double.NaN;
    for (int epoch = 0; epoch < s.maxEpochs() && Double.isNaN(toTarget); epoch++) {
      double epochTrained = 0;
      long segment = System.nanoTime();
      try (NDManager epochManager = manager.newSubManager()) {
        NDArray order = epochManager.randomPermutation(rows);
        NDArray xs = x.get(epochManager, new NDIndex("{}", order));
        NDArray ys = y.get(epochManager, new NDIndex("{}", order));
        for (int b = 0; b < batches; b++) {
          int from = b * s.batchSize();
          int to = Math.min(rows, from + s.batchSize());
          try (NDManager batchManager = epochManager.newSubManager()) {
            NDArray xb = xs.get(batchManager, new NDIndex("{}:{}", from, to));
            NDArray yb = ys.get(batchManager, new NDIndex("{}:{}", from, to));
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDList logits = trainer.forward(new NDList(xb));
              NDArray loss = trainer.getLoss().evaluate(new NDList(yb), logits);
              collector.backward(loss);
            }
            trainer.step();
          }
          boolean last = b == batches - 1;
          if ((b + 1) % evalEvery == 0 || last) {
            double seconds = (System.nanoTime() - segment) / 1e9;
            trained += seconds;
            epochTrained += seconds;
            double accuracy = accuracy(trainer, manager, x, y, rows);
            double epochs = epoch + (double) (b + 1) / batches;
            evaluations.add(new Evaluation(epochs, trained, accuracy));
            if (Double.isNaN(toTarget) && accuracy >= s.target()) {
              toTarget = trained;
              epochsToTarget = epochs;
            }
            segment = System.nanoTime();
          }
        }
      }
      epochSeconds.add(epochTrained);
    }
    return new Run(setup, epochSeconds, evaluations, toTarget, epochsToTarget);
  }

  /** Training accuracy over all rows, in inference mode. */
  private static double accuracy(Trainer trainer, NDManager manager, NDArray x, NDArray y, int rows) {
    long correct = 0;
    try (NDManager evalManager = manager.newSubManager()) {
      for (int from = 0; from < rows; from += EVAL_BATCH) {
        int to = Math.min(rows, from + EVAL_BATCH);
        NDArray xb = x.get(evalManager, new NDIndex("{}:{}", from, to));
        NDArray yb = y.get(evalManager, new NDIndex("{}:{}", from, to));
        NDArray logits = trainer.evaluate(new NDList(xb)).singletonOrThrow();
        correct += logits.argMax(1).eq(yb).toType(DataType.INT64, false).sum().getLong();
      }
    }
    return (double) correct / rows;
  }
}
