package io.sparkbackprop.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Model inference a block at a time: each task stacks up to {@code blockSize} feature vectors into one
 * float buffer, evaluates the network once for the whole block (matrix-matrix products instead of one
 * matrix-vector product per row) and appends the output columns to the rows, or folds the blocks into
 * one summed vector per task for dataset-wide summaries. Feature vectors are checked as in training:
 * a null, a vector of the wrong size or a non-finite value fails the task with a message naming the
 * column (and, for values, the index and the row).
 */
public final class BlockInference {
  private BlockInference() {}

  /** Computes the appended column values of a block of rows. */
  public interface BlockFunction extends Serializable {
    /**
     * @param features {@code numFeatures x rows}, column-major
     * @return one array of appended values per row
     */
    Object[][] apply(float[] features, int rows);
  }

  /** Adds what a block of rows contributes to a running sum (a global summary). */
  public interface BlockSum extends Serializable {
    /**
     * @param features {@code numFeatures x rows}, column-major
     * @param sum the task's running sum, to add to
     */
    void add(float[] features, int rows, double[] sum);
  }

  /**
   * Sums {@code function} over every block of the Dataset: each task stacks its rows into blocks
   * and folds them into one array of {@code size} doubles, and {@code treeAggregate} adds the
   * tasks' arrays. Only the sum reaches the driver.
   */
  public static double[] sum(Dataset<?> dataset, String featuresCol, int numFeatures,
      int blockSize, int size, BlockSum function) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
    }
    JavaRDD<Row> rows = dataset.toDF().select(featuresCol).toJavaRDD();
    return SparkErrors.rethrowingInputErrors(() -> rows.mapPartitions(input -> {
      double[] sum = new double[size];
      float[] block = new float[numFeatures * blockSize];
      int partition = TaskContext.getPartitionId();
      long rowIndex = 0;
      int filled = 0;
      while (input.hasNext()) {
        if (filled == 0) {
          Arrays.fill(block, 0f);
        }
        copyFeatures(input.next().get(0), featuresCol, numFeatures, block, filled++, partition,
            rowIndex++);
        if (filled == blockSize || !input.hasNext()) {
          function.add(block, filled, sum);
          filled = 0;
        }
      }
      return List.of(sum).iterator();
    }).treeAggregate(new double[size], BlockInference::addInto, BlockInference::addInto, 2));
  }

  static double[] addInto(double[] total, double[] part) {
    for (int i = 0; i < total.length; i++) {
      total[i] += part[i];
    }
    return total;
  }

  /**
   * Copies one row's feature vector into slot {@code slot} of a zeroed block, checking it.
   *
   * @param partition the task's partition and {@code rowIndex} the row's position in it, for
   *     messages about non-finite values
   */
  static void copyFeatures(Object value, String featuresCol, int numFeatures, float[] block,
      int slot, int partition, long rowIndex) {
    if (value == null) {
      throw new IllegalArgumentException("Column '" + featuresCol + "' has a null feature vector");
    }
    Vector v = (Vector) value;
    if (v.size() != numFeatures) {
      throw new IllegalArgumentException("Column '" + featuresCol + "' has a vector of size "
          + v.size() + " but the model was trained on " + numFeatures + " features");
    }
    if (!FeatureVectors.allFinite(v)) {
      FeatureVectors.checkFinite(v, featuresCol, new RowValidator.Position(partition, rowIndex));
    }
    FeatureVectors.copy(v, block, slot * numFeatures);
  }

  /**
   * @param outputSchema the input schema followed by the appended columns (with their metadata)
   */
  public static Dataset<Row> appendColumns(Dataset<?> dataset, String featuresCol, int numFeatures,
      int blockSize, StructType outputSchema, BlockFunction function) {
    int featuresIndex = dataset.schema().fieldIndex(featuresCol);
    return dataset.toDF().mapPartitions(
        new BlockMapper(featuresIndex, featuresCol, numFeatures, blockSize, function),
        Encoders.row(outputSchema));
  }

  private static final class BlockMapper implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final int featuresIndex;
    private final String featuresCol;
    private final int numFeatures;
    private final int blockSize;
    private final BlockFunction function;

    BlockMapper(int featuresIndex, String featuresCol, int numFeatures, int blockSize,
        BlockFunction function) {
      this.featuresIndex = featuresIndex;
      this.featuresCol = featuresCol;
      this.numFeatures = numFeatures;
      this.blockSize = blockSize;
      this.function = function;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      return new Iterator<>() {
        private final float[] block = new float[numFeatures * blockSize];
        private final List<Row> pending = new ArrayList<>(blockSize);
        private final int partition = TaskContext.getPartitionId();
        private long rowIndex;
        private Object[][] outputs;
        private int position;

        @Override
        public boolean hasNext() {
          if (position < pending.size()) {
            return true;
          }
          pending.clear();
          position = 0;
          Arrays.fill(block, 0f);
          while (pending.size() < blockSize && input.hasNext()) {
            Row row = input.next();
            copyFeatures(row, pending.size());
            pending.add(row);
          }
          if (!pending.isEmpty()) {
            outputs = function.apply(block, pending.size());
          }
          return !pending.isEmpty();
        }

        private void copyFeatures(Row row, int slot) {
          BlockInference.copyFeatures(row.get(featuresIndex), featuresCol, numFeatures, block,
              slot, partition, rowIndex++);
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row row = pending.get(position);
          Object[] appended = outputs[position];
          position++;
          Object[] values = new Object[row.size() + appended.length];
          for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
          }
          System.arraycopy(appended, 0, values, row.size(), appended.length);
          return RowFactory.create(values);
        }
      };
    }
  }
}
