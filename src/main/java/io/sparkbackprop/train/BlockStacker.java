package io.sparkbackprop.train;

import io.sparkbackprop.nn.DataBlock;
import java.util.ArrayList;
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
    Dataset<Row> selected = dataset.select(columns.toArray(new Column[0]));
    int numFeatures = numFeatures(selected, input.featuresCol());

    JavaRDD<DataBlock> blocks = selected.toJavaRDD()
        .mapPartitionsWithIndex(
            new StackPartition(new RowValidator(input, numFeatures), input, numFeatures, blockSize),
            true)
        .persist(storageLevel);
    blocks.setName("spark-backprop training blocks");
    try {
      DataSummary summary = SparkErrors.rethrowingInputErrors(() -> blocks.treeAggregate(
          new DataSummary(), DataSummary::add, DataSummary::merge, 2));
      if (summary.rows() == 0) {
        throw new IllegalArgumentException("The training dataset is empty");
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

  /** Turns one partition's rows into blocks lazily, validating each row. */
  private static final class StackPartition
      implements Function2<Integer, Iterator<Row>, Iterator<DataBlock>> {
    private static final long serialVersionUID = 1L;

    private final RowValidator validator;
    private final boolean hasWeight;
    private final int numFeatures;
    private final int blockSize;

    StackPartition(RowValidator validator, TrainingInput input, int numFeatures, int blockSize) {
      this.validator = validator;
      this.hasWeight = input.weightCol() != null;
      this.numFeatures = numFeatures;
      this.blockSize = blockSize;
    }

    @Override
    public Iterator<DataBlock> call(Integer partition, Iterator<Row> rows) {
      return new Iterator<>() {
        private int blockIndex;
        private long rowIndex;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public DataBlock next() {
          if (!rows.hasNext()) {
            throw new NoSuchElementException();
          }
          float[] features = new float[numFeatures * blockSize];
          float[] targets = new float[blockSize];
          float[] weights = new float[blockSize];
          int n = 0;
          while (n < blockSize && rows.hasNext()) {
            Row row = rows.next();
            RowValidator.Position at = new RowValidator.Position(partition, rowIndex++);
            Vector v = validator.features(row.get(0), at);
            FeatureVectors.copy(v, features, n * numFeatures);
            targets[n] = (float) validator.label(row.isNullAt(1), row.isNullAt(1) ? 0 : row.getDouble(1),
                at);
            weights[n] = hasWeight
                ? (float) validator.weight(row.isNullAt(2), row.isNullAt(2) ? 0 : row.getDouble(2), at)
                : 1f;
            n++;
          }
          if (n < blockSize) {
            // Trim the last block so the cache holds no padding.
            features = java.util.Arrays.copyOf(features, n * numFeatures);
            targets = java.util.Arrays.copyOf(targets, n);
            weights = java.util.Arrays.copyOf(weights, n);
          }
          long id = ((long) partition << 32) | blockIndex++;
          return new DataBlock(id, n, numFeatures, features, 1, targets, weights);
        }
      };
    }
  }
}
