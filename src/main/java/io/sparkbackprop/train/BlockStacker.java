package io.sparkbackprop.train;

import io.sparkbackprop.nn.DataBlock;
import io.sparkbackprop.nn.BlockSampler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Converts a Dataset into blocks of {@code blockSize} rows, stacked column-major into float arrays, and
 * caches them. Every row is validated on the way; one job both fills the cache and computes the
 * {@link DataSummary}, so training never re-reads the source data.
 */
public final class BlockStacker {
  private BlockStacker() {}

  /**
   * Stacks and caches the training rows.
   *
   * @throws IllegalArgumentException naming the column and value, for empty data or invalid rows
   */
  public static StackedData stack(Dataset<?> dataset, TrainingInput input, int blockSize,
      StorageLevel storageLevel) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
    }
    List<Column> columns = new ArrayList<>();
    columns.add(functions.col(input.featuresCol()));
    columns.add(functions.col(input.labelCol()).cast("double"));
    if (input.weightCol() != null) {
      columns.add(functions.col(input.weightCol()).cast("double"));
    }
    if (input.validationCol() != null) {
      columns.add(functions.col(input.validationCol()).cast("boolean"));
    }
    Dataset<Row> selected = dataset.select(columns.toArray(new Column[0]));
    int numFeatures = numFeatures(selected, input.featuresCol());

    JavaRDD<DataBlock> blocks = selected.toJavaRDD()
        .mapPartitionsWithIndex(
            new StackPartition(new RowValidator(input, numFeatures), input, numFeatures, blockSize),
            true)
        .persist(storageLevel);
    boolean classes = input.labelKind() == TrainingInput.LabelKind.CLASS_INDEX;
    blocks.setName("spark-backprop training blocks");
    try {
      DataSummary summary = SparkErrors.rethrowingInputErrors(() -> blocks.treeAggregate(
          new DataSummary(classes), DataSummary::add, DataSummary::merge, 2));
      if (summary.rows() == 0) {
        throw new IllegalArgumentException(summary.validationRows() == 0
            ? "The training dataset is empty"
            : "All " + summary.validationRows() + " rows are validation rows; none is left to train on");
      }
      if (!(summary.weightSum() > 0)) {
        throw new IllegalArgumentException("Column '" + input.weightCol()
            + "' weights sum to zero; at least one row needs a positive weight");
      }
      return new StackedData(blocks, summary, numFeatures, blockSize);
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
  }

  /** The feature width, from the column's ML attribute metadata or else from the first row. */
  static int numFeatures(Dataset<Row> selected, String featuresCol) {
    int fromMetadata = AttributeGroup.fromStructField(selected.schema().apply(featuresCol)).size();
    if (fromMetadata > 0) {
      return fromMetadata;
    }
    List<Row> first = selected.select(featuresCol).takeAsList(1);
    if (first.isEmpty()) {
      throw new IllegalArgumentException("The training dataset is empty");
    }
    Object value = first.get(0).get(0);
    if (value == null) {
      throw new IllegalArgumentException("Column '" + featuresCol + "' has a null vector (first row)");
    }
    int size = ((Vector) value).size();
    if (size == 0) {
      throw new IllegalArgumentException("Column '" + featuresCol + "' holds empty vectors");
    }
    return size;
  }

  /** Turns one partition's rows into training and validation blocks lazily, validating each row. */
  private static final class StackPartition
      implements Function2<Integer, Iterator<Row>, Iterator<DataBlock>> {
    private static final long serialVersionUID = 1L;
    /** Validation blocks get ids in their own range so sampling never confuses the two. */
    private static final long VALIDATION_ID_BIT = 1L << 62;

    private final RowValidator validator;
    private final boolean hasWeight;
    private final int validationColumn;
    private final double validationFraction;
    private final long seed;
    private final int numFeatures;
    private final int blockSize;

    StackPartition(RowValidator validator, TrainingInput input, int numFeatures, int blockSize) {
      this.validator = validator;
      this.hasWeight = input.weightCol() != null;
      this.validationColumn = input.validationCol() == null ? -1 : (hasWeight ? 3 : 2);
      this.validationFraction = input.validationFraction();
      this.seed = input.seed();
      this.numFeatures = numFeatures;
      this.blockSize = blockSize;
    }

    @Override
    public Iterator<DataBlock> call(Integer partition, Iterator<Row> rows) {
      return new Iterator<>() {
        private final BlockBuilder training = new BlockBuilder(false);
        private final BlockBuilder validation = new BlockBuilder(true);
        private final Deque<DataBlock> ready = new ArrayDeque<>();
        private long rowIndex;

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && rows.hasNext()) {
            addRow(rows.next());
          }
          if (ready.isEmpty() && !rows.hasNext()) {
            training.flushInto(ready, partition);
            validation.flushInto(ready, partition);
          }
          return !ready.isEmpty();
        }

        @Override
        public DataBlock next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }

        private void addRow(Row row) {
          RowValidator.Position at = new RowValidator.Position(partition, rowIndex);
          BlockBuilder target = isValidation(row, at) ? validation : training;
          rowIndex++;
          target.add(row, at);
          if (target.isFull()) {
            target.flushInto(ready, partition);
          }
        }

        private boolean isValidation(Row row, RowValidator.Position at) {
          if (validationColumn >= 0) {
            return validator.validationFlag(row.isNullAt(validationColumn)
                ? null : row.getBoolean(validationColumn), at);
          }
          return validationFraction > 0
              && BlockSampler.unitInterval(seed, partition, at.row()) < validationFraction;
        }
      };
    }

    /** Accumulates rows of one kind until a block is full. */
    private final class BlockBuilder {
      private final boolean validation;
      private float[] features;
      private float[] targets;
      private float[] weights;
      private int n;
      private int blockIndex;

      BlockBuilder(boolean validation) {
        this.validation = validation;
      }

      void add(Row row, RowValidator.Position at) {
        if (features == null) {
          features = new float[numFeatures * blockSize];
          targets = new float[blockSize];
          weights = new float[blockSize];
        }
        Vector v = validator.features(row.get(0), at);
        FeatureVectors.copy(v, features, n * numFeatures);
        targets[n] = (float) validator.label(row.isNullAt(1), row.isNullAt(1) ? 0 : row.getDouble(1),
            at);
        weights[n] = hasWeight
            ? (float) validator.weight(row.isNullAt(2), row.isNullAt(2) ? 0 : row.getDouble(2), at)
            : 1f;
        n++;
      }

      boolean isFull() {
        return n == blockSize;
      }

      void flushInto(Deque<DataBlock> ready, int partition) {
        if (n == 0) {
          return;
        }
        if (n < blockSize) {
          // Trim the last block so the cache holds no padding.
          features = Arrays.copyOf(features, n * numFeatures);
          targets = Arrays.copyOf(targets, n);
          weights = Arrays.copyOf(weights, n);
        }
        long id = ((long) partition << 32) | blockIndex++;
        ready.add(new DataBlock(validation ? id | VALIDATION_ID_BIT : id, n, numFeatures, features,
            1, targets, weights, validation));
        features = null;
        targets = null;
        weights = null;
        n = 0;
      }
    }
  }
}
