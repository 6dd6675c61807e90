package io.sparkbackprop.bench;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A prototype of block-wise inference, for the benchmark only (the library's models transform row by
 * row): each partition stacks {@code blockSize} rows, runs one forward pass of GEMMs over the block and
 * emits the same three columns as a classification model (rawPrediction, probability, prediction).
 * It measures what batching would gain; the weights are random, which does not change the cost.
 */
final class BatchedInference {
  private BatchedInference() {}

  static Dataset<Row> transform(Dataset<Row> data, int[] layers, String activation, long seed,
      int blockSize) {
    double[] center = new double[layers[0]];
    double[] scale = new double[layers[0]];
    Arrays.fill(scale, 1.0);
    FeedForwardNetwork network = new FeedForwardNetwork(layers, Activation.fromParamName(activation),
        new SoftmaxCrossEntropy(), new InputScaling(center, scale));
    float[] params = FloatArrays.fromDoubles(network.initialParams(seed));
    StructType schema = data.schema()
        .add("rawPrediction", SQLDataTypes.VectorType())
        .add("probability", SQLDataTypes.VectorType())
        .add("prediction", DataTypes.DoubleType);
    int featuresIndex = data.schema().fieldIndex("features");
    MapPartitionsFunction<Row, Row> perPartition =
        rows -> new Blocks(rows, network, params, featuresIndex, blockSize);
    return data.mapPartitions(perPartition, Encoders.row(schema));
  }

  /** Reads up to a block of rows, predicts them together, then hands them out one by one. */
  private static final class Blocks implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final FeedForwardNetwork network;
    private final float[] params;
    private final int featuresIndex;
    private final int blockSize;
    private final NetworkWorkspace workspace;
    private final float[] features;
    private final List<Row> pending = new ArrayList<>();
    private final List<Row> ready = new ArrayList<>();
    private int next;

    Blocks(Iterator<Row> rows, FeedForwardNetwork network, float[] params, int featuresIndex,
        int blockSize) {
      this.rows = rows;
      this.network = network;
      this.params = params;
      this.featuresIndex = featuresIndex;
      this.blockSize = blockSize;
      this.workspace = network.newWorkspace(blockSize);
      this.features = new float[network.inputWidth() * blockSize];
    }

    @Override
    public boolean hasNext() {
      if (next < ready.size()) {
        return true;
      }
      fill();
      return next < ready.size();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return ready.get(next++);
    }

    private void fill() {
      ready.clear();
      pending.clear();
      next = 0;
      int width = network.inputWidth();
      while (pending.size() < blockSize && rows.hasNext()) {
        Row row = rows.next();
        double[] x = ((Vector) row.get(featuresIndex)).toArray();
        int base = pending.size() * width;
        for (int i = 0; i < width; i++) {
          features[base + i] = (float) x[i];
        }
        pending.add(row);
      }
      if (pending.isEmpty()) {
        return;
      }
      int n = pending.size();
      int classes = network.outputWidth();
      float[] out = network.forward(params, features, n, workspace);
      for (int j = 0; j < n; j++) {
        double[] raw = new double[classes];
        int best = 0;
        for (int i = 0; i < classes; i++) {
          raw[i] = out[j * classes + i];
          best = raw[i] > raw[best] ? i : best;
        }
        double[] probability = raw.clone();
        SoftmaxCrossEntropy.softmaxInPlace(probability);
        Row row = pending.get(j);
        Object[] values = new Object[row.length() + 3];
        for (int c = 0; c < row.length(); c++) {
          values[c] = row.get(c);
        }
        values[row.length()] = Vectors.dense(raw);
        values[row.length() + 1] = Vectors.dense(probability);
        values[row.length() + 2] = (double) best;
        ready.add(RowFactory.create(values));
      }
    }
  }
}
