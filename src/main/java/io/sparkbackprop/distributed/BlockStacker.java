package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
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
  /** Validation blocks get ids in their own range so sampling never confuses the two. */
  static final long VALIDATION_ID_BIT = 1L << 62;

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
    boolean classes = input.labelKind() == TrainingInput.LabelKind.CLASS_INDEX;
    double labelOffset = classes ? 0 : labelOffset(selected);

    JavaRDD<DataBlock> blocks = selected.toJavaRDD()
        .mapPartitionsWithIndex(
            new StackPartition(new RowValidator(input, numFeatures), input, numFeatures, blockSize,
                labelOffset),
            true)
        .persist(storageLevel);
    blocks.setName("spark-backprop training blocks");
    try {
      DataSummary summary = SparkErrors.rethrowingInputErrors(() -> blocks.treeAggregate(
          new DataSummary(classes, labelOffset), DataSummary::add, DataSummary::merge, 2));
      if (summary.rows() == 0) {
        throw new IllegalArgumentException(summary.validationRows() == 0
            ? "The training dataset is empty"
            : "All " + summary.validationRows() + " rows are validation rows; none is left to train on");
      }
      if (!(summary.weightSum() > 0)) {
        throw new IllegalArgumentException("Column '" + input.weightCol()
            + "' weights sum to zero; at least one row needs a positive weight");
      }
      return new StackedData(blocks, summary, numFeatures, blockSize, labelOffset);
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
  }

  /**
   * A regression label of the data (the first finite one), subtracted in double precision from
   * every label before it is stored as float32, so that the stored values are of the order of the
   * labels' spread, not of their magnitude (1.7e9 + a signal of a few units would round to multiples
   * of 128). Any label of the data does; 0 when there is none (validation then reports the error).
   */
  static double labelOffset(Dataset<Row> selected) {
    Column label = functions.col(selected.columns()[1]);
    List<Row> first = selected.select(label)
        .where(label.between(-Double.MAX_VALUE, Double.MAX_VALUE)).takeAsList(1);
    return first.isEmpty() ? 0 : first.get(0).getDouble(0);
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

  /**
   * Turns one partition's rows into training and validation blocks, validating each row. The rows of
   * each kind are shuffled within the partition (seeded) before they form blocks: data sorted by
   * label (as {@code randomSplit} leaves it) would otherwise give blocks of a single class, which
   * ruins block-sampled mini-batches and local steps.
   */
  private static final class StackPartition
      implements Function2<Integer, Iterator<Row>, Iterator<DataBlock>> {
    private static final long serialVersionUID = 1L;

    private final RowValidator validator;
    private final boolean hasWeight;
    private final int validationColumn;
    private final double validationFraction;
    private final long seed;
    private final int numFeatures;
    private final int blockSize;
    private final double labelOffset;

    StackPartition(RowValidator validator, TrainingInput input, int numFeatures, int blockSize,
        double labelOffset) {
      this.validator = validator;
      this.hasWeight = input.weightCol() != null;
      this.validationColumn = input.validationCol() == null ? -1 : (hasWeight ? 3 : 2);
      this.validationFraction = input.validationFraction();
      this.seed = input.seed();
      this.numFeatures = numFeatures;
      this.blockSize = blockSize;
      this.labelOffset = labelOffset;
    }

    @Override
    public Iterator<DataBlock> call(Integer partition, Iterator<Row> rows) {
      RowChunks training = new RowChunks();
      RowChunks validation = new RowChunks();
      long rowIndex = 0;
      while (rows.hasNext()) {
        Row row = rows.next();
        RowValidator.Position at = new RowValidator.Position(partition, rowIndex++);
        (isValidation(row, partition, at) ? validation : training).add(row, at);
      }
      List<DataBlock> blocks = new ArrayList<>();
      training.shuffle(new SplittableRandom(BlockSampler.mix64(seed ^ (partition + 1L))));
      training.emit(blocks, partition, false);
      validation.emit(blocks, partition, true);
      return blocks.iterator();
    }

    private boolean isValidation(Row row, int partition, RowValidator.Position at) {
      if (validationColumn >= 0) {
        return validator.validationFlag(row.isNullAt(validationColumn)
            ? null : row.getBoolean(validationColumn), at);
      }
      return validationFraction > 0
          && BlockSampler.unitInterval(seed, partition, at.row()) < validationFraction;
    }

    /** Rows of one kind stacked into block-sized chunks of float arrays. */
    private final class RowChunks {
      private final List<float[]> features = new ArrayList<>();
      private final List<float[]> targets = new ArrayList<>();
      private final List<float[]> weights = new ArrayList<>();
      private int rows;

      void add(Row row, RowValidator.Position at) {
        int slot = rows % blockSize;
        if (slot == 0) {
          features.add(new float[numFeatures * blockSize]);
          targets.add(new float[blockSize]);
          weights.add(new float[blockSize]);
        }
        int chunk = rows / blockSize;
        Vector v = validator.features(row.get(0), at);
        FeatureVectors.copy(v, features.get(chunk), slot * numFeatures);
        targets.get(chunk)[slot] = (float) (validator.label(row.isNullAt(1),
            row.isNullAt(1) ? 0 : row.getDouble(1), at) - labelOffset);
        weights.get(chunk)[slot] = hasWeight
            ? (float) validator.weight(row.isNullAt(2), row.isNullAt(2) ? 0 : row.getDouble(2), at)
            : 1f;
        rows++;
      }

      /** Fisher-Yates over all rows of the chunks. */
      void shuffle(SplittableRandom random) {
        float[] scratch = new float[numFeatures];
        for (int i = rows - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          if (j != i) {
            swap(i, j, scratch);
          }
        }
      }

      private void swap(int i, int j, float[] scratch) {
        float[] fi = features.get(i / blockSize);
        float[] fj = features.get(j / blockSize);
        int oi = (i % blockSize) * numFeatures;
        int oj = (j % blockSize) * numFeatures;
        System.arraycopy(fi, oi, scratch, 0, numFeatures);
        System.arraycopy(fj, oj, fi, oi, numFeatures);
        System.arraycopy(scratch, 0, fj, oj, numFeatures);
        swapValue(targets, i, j);
        swapValue(weights, i, j);
      }

      private void swapValue(List<float[]> chunks, int i, int j) {
        float[] ci = chunks.get(i / blockSize);
        float[] cj = chunks.get(j / blockSize);
        float t = ci[i % blockSize];
        ci[i % blockSize] = cj[j % blockSize];
        cj[j % blockSize] = t;
      }

      void emit(List<DataBlock> out, int partition, boolean validation) {
        for (int c = 0; c < features.size(); c++) {
          int n = Math.min(blockSize, rows - c * blockSize);
          float[] f = features.get(c);
          float[] t = targets.get(c);
          float[] w = weights.get(c);
          if (n < blockSize) {
            // Trim the last block so the cache holds no padding.
            f = Arrays.copyOf(f, n * numFeatures);
            t = Arrays.copyOf(t, n);
            w = Arrays.copyOf(w, n);
          }
          long id = ((long) partition << 32) | c;
          out.add(new DataBlock(validation ? id | VALIDATION_ID_BIT : id, n, numFeatures, f, 1, t, w,
              validation));
        }
      }
    }
  }
}
