package io.sparkbackprop.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.training.LocalObjective;
import io.sparkbackprop.nn.training.TrainingConfig;
import io.sparkbackprop.nn.training.TrainingLoop;
import io.sparkbackprop.nn.training.TrainingResult;
import io.sparkbackprop.testing.GeneratedData;
import java.util.List;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The distributed trainer against the single-JVM reference running the same loop. */
class DistributedTrainerTest {

  private static final TrainingConfig CONFIG = new TrainingConfig()
      .solver("adam").stepSize(0.05).maxIter(25).tol(0).seed(5);

  private static StackedData stack(int partitions, int blockSize) {
    return BlockStacker.stack(GeneratedData.spirals(60, 11, partitions),
        TrainingInput.classification("features", "label", 3), blockSize,
        StorageLevel.MEMORY_ONLY());
  }

  private static FeedForwardNetwork network() {
    return new FeedForwardNetwork(new int[] {2, 16, 3}, Activation.TANH, new SoftmaxCrossEntropy());
  }

  /**
   * Blocks cached in one partition (a small file is read as one) would train on one core: training
   * as Spark jobs first moves whole blocks over the task slots (two in the tests' local[2]). Blocks
   * keep their ids, so the sampled mini-batches and the weights are those of training on the
   * driver, which does not spread. A single block stays where it is.
   */
  @Test
  void blocksInFewerPartitionsThanTaskSlotsAreSpreadBeforeTrainingWithoutChangingTheResult() {
    FeedForwardNetwork network = network();
    double[] initial = network.initialParams(3);
    TrainingConfig sampled = new TrainingConfig().solver("adam").stepSize(0.05).maxIter(25).tol(0)
        .seed(5).miniBatchFraction(0.5);
    try (StackedData one = stack(1, 7); StackedData single = stack(1, 10_000)) {
      TrainingResult onDriver = DistributedTrainer.train(one, network, initial,
          copy(sampled).driverTrainingMaxBytes(Long.MAX_VALUE));
      assertEquals(1, one.blocks().getNumPartitions(), "training on the driver moves no block");
      TrainingResult distributed = DistributedTrainer.train(one, network, initial, sampled);
      int slots = one.blocks().context().defaultParallelism();
      assertTrue(slots >= 2, "the tests run with at least two task slots");
      assertEquals(slots, one.blocks().getNumPartitions());
      assertTrue(one.blocks().glom().collect().stream().allMatch(p -> !p.isEmpty()),
          "every slot got blocks");
      assertEquals(one.summary().blocks(), one.blocks().count(), "no block lost or repeated");
      assertArrayEquals(onDriver.objectiveHistory(), distributed.objectiveHistory(), 1e-9);
      assertArrayEquals(onDriver.weights(), distributed.weights(), 1e-7);

      DistributedTrainer.train(single, network, initial, CONFIG);
      assertEquals(1, single.summary().blocks());
      assertEquals(1, single.blocks().getNumPartitions(), "one block cannot fill two slots");
    }
  }

  @Test
  void resultDoesNotDependOnPartitioningAndMatchesTheLocalReference() {
    FeedForwardNetwork network = network();
    double[] initial = network.initialParams(3);
    TrainingResult reference;
    TrainingResult onePartition;
    TrainingResult fourPartitions;
    // One block: training as jobs has nothing to spread over the task slots, so the summation
    // order is the reference's.
    try (StackedData one = stack(1, 10_000)) {
      List<DataBlock> blocks = one.blocks().collect();
      reference = TrainingLoop.run(new LocalObjective(network, blocks, new BlockSampler(1.0, 5)),
          initial, CONFIG);
      onePartition = DistributedTrainer.train(one, network, initial, CONFIG);
    }
    try (StackedData four = stack(4, 7)) {
      assertEquals(4, four.blocks().getNumPartitions());
      fourPartitions = DistributedTrainer.train(four, network, initial, CONFIG);
    }
    assertEquals(25, onePartition.totalIterations());
    // Same blocks and summation order: identical to the reference.
    assertArrayEquals(reference.weights(), onePartition.weights(), 0.0);
    assertArrayEquals(reference.objectiveHistory(), onePartition.objectiveHistory(), 0.0);
    // Other block boundaries and partitions change only the floating-point summation order.
    assertArrayEquals(reference.objectiveHistory(), fourPartitions.objectiveHistory(), 1e-5);
    assertArrayEquals(reference.weights(), fourPartitions.weights(), 1e-4);
    double first = reference.objectiveHistory()[0];
    double last = reference.objectiveHistory()[24];
    assertTrue(last < 0.7 * first, "loss should fall: " + first + " -> " + last);
  }

  /**
   * Small data trains on the driver: the same blocks, samples and loop as one job per iteration, so
   * the same weights up to summation order, but with one Spark job (the collect) instead of one per
   * iteration. Above the limit, or with the limit 0, every iteration is a job again.
   */
  @Test
  void smallDataTrainsOnTheDriverWithTheSameResultAndWithoutAJobPerIteration() throws Exception {
    FeedForwardNetwork network = network();
    double[] initial = network.initialParams(3);
    TrainingConfig sampled = new TrainingConfig().solver("adam").stepSize(0.05).maxIter(25).tol(0)
        .seed(5).miniBatchFraction(0.5);
    try (StackedData four = stack(4, 7)) {
      long bytes = four.summary().bytes();
      TrainingResult distributed = DistributedTrainer.train(four, network, initial, sampled);
      int[] jobs = new int[3];
      TrainingResult[] onDriver = new TrainingResult[1];
      jobs[0] = countJobs(four, () -> onDriver[0] = DistributedTrainer.train(four, network, initial,
          copy(sampled).driverTrainingMaxBytes(bytes)));
      jobs[1] = countJobs(four, () -> DistributedTrainer.train(four, network, initial,
          copy(sampled).driverTrainingMaxBytes(bytes - 1)));
      jobs[2] = countJobs(four, () -> DistributedTrainer.train(four, network, initial,
          copy(sampled).driverTrainingMaxBytes(0)));
      assertEquals(1, jobs[0], "one collect, no job per iteration");
      assertTrue(jobs[1] >= 25 && jobs[2] >= 25, "a job per iteration: " + jobs[1] + ", " + jobs[2]);
      assertEquals(25, onDriver[0].totalIterations());
      assertArrayEquals(distributed.objectiveHistory(), onDriver[0].objectiveHistory(), 1e-9);
      assertArrayEquals(distributed.weights(), onDriver[0].weights(), 1e-7);
    }
  }

  private static TrainingConfig copy(TrainingConfig c) {
    return new TrainingConfig().solver(c.solver()).stepSize(c.stepSize()).maxIter(c.maxIter())
        .tol(c.tol()).seed(c.seed()).miniBatchFraction(c.miniBatchFraction());
  }

  private static int countJobs(StackedData data, Runnable training) throws Exception {
    org.apache.spark.SparkContext sc = data.blocks().context();
    java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    sc.listenerBus().waitUntilEmpty(10_000);
    sc.addSparkListener(listener);
    try {
      training.run();
    } finally {
      sc.listenerBus().waitUntilEmpty(10_000);
      sc.removeSparkListener(listener);
    }
    return jobs.get();
  }

  @Test
  void stackingSummarisesRowsWeightsAndLabels() {
    try (StackedData data = stack(3, 16)) {
      DataSummary summary = data.summary();
      assertEquals(180, summary.rows());
      assertEquals(180.0, summary.weightSum(), 0.0);
      assertEquals(0.0, summary.labelMin(), 0.0);
      assertEquals(2.0, summary.labelMax(), 0.0);
      assertEquals(1.0, summary.labelMean(), 1e-12);
      // The executors (here the driver's JVM) report their BLAS choice with the data.
      assertEquals(java.util.Set.of(io.sparkbackprop.nn.linalg.Blas.description()),
          summary.executorBlas());
      assertEquals(io.sparkbackprop.nn.linalg.Blas.isSlow(), summary.executorBlasIsSlow());
      assertEquals(Math.sqrt(2.0 / 3), summary.labelStdDev(), 1e-12);
      assertEquals(2, data.numFeatures());
      long blocks = data.blocks().count();
      assertEquals(blocks, summary.blocks());
      // Each partition's last block is trimmed: the cache holds no padding.
      assertEquals(180L * (2 + 1 + 1) * 4, summary.bytes());
    }
  }

  @Test
  void sampledMiniBatchesAreReproducible() {
    TrainingConfig sampled = new TrainingConfig().solver("adam").stepSize(0.05).maxIter(10).tol(0)
        .seed(9).miniBatchFraction(0.3);
    FeedForwardNetwork network = network();
    double[] initial = network.initialParams(3);
    try (StackedData data = stack(2, 8)) {
      TrainingResult a = DistributedTrainer.train(data, network, initial, sampled);
      TrainingResult b = DistributedTrainer.train(data, network, initial, sampled);
      TrainingResult full = DistributedTrainer.train(data, network, initial,
          new TrainingConfig().solver("adam").stepSize(0.05).maxIter(10).tol(0).seed(9));
      assertArrayEquals(a.weights(), b.weights(), 0.0);
      assertTrue(Math.abs(a.objectiveHistory()[3] - full.objectiveHistory()[3]) > 1e-6,
          "sampling should change the per-iteration loss");
    }
  }

  /**
   * The data fingerprint that tells a resume from a warm start on other rows: the same rows in one
   * or three partitions and blocks of another size agree; the same features with relabelled rows
   * (a new task with the same class counts) do not.
   */
  @Test
  void theDataFingerprintIgnoresPartitioningButNotLabels() {
    String one;
    try (StackedData data = stack(1, 16)) {
      one = data.summary().fingerprint();
    }
    try (StackedData data = stack(3, 7)) {
      assertEquals(one, data.summary().fingerprint());
    }
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> relabelled =
        GeneratedData.spirals(60, 11, 1).withColumn("label",
            org.apache.spark.sql.functions.expr("(label + 1) % 3"));
    try (StackedData data = BlockStacker.stack(relabelled,
        TrainingInput.classification("features", "label", 3), 16, StorageLevel.MEMORY_ONLY())) {
      assertNotEquals(one, data.summary().fingerprint());
    }
  }

  @Test
  void rowsSortedByLabelAreShuffledWithinThePartitionBeforeBlocking() {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> sorted =
        io.sparkbackprop.testing.SharedSpark.libsvm("digits.libsvm", 64).coalesce(1)
            .sortWithinPartitions("label");
    try (StackedData data = BlockStacker.stack(sorted,
        TrainingInput.classification("features", "label", 10), 32, StorageLevel.MEMORY_ONLY())) {
      for (DataBlock block : data.blocks().collect()) {
        java.util.Set<Float> labels = new java.util.HashSet<>();
        for (int j = 0; j < block.rows(); j++) {
          labels.add(block.targets()[j]);
        }
        if (block.rows() == 32) {
          assertTrue(labels.size() >= 5, "block " + block.id() + " has labels " + labels);
        }
      }
      assertEquals(1797, data.summary().rows());
    }
  }
}
