package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.BatchShape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Inference over sequence columns a block at a time: each task reads up to {@code blockSize}
 * sequences, lays them out time-major padded to the block's longest (the layout training uses),
 * evaluates the network once per block and appends the output columns to the rows. Rows keep their
 * order.
 */
public final class SequenceInference {
  private SequenceInference() {}

  /** Computes the appended column values of a block of sequences. */
  public interface BlockFunction extends Serializable {
    /**
     * @param features {@code width x shape.columns()}, time-major
     * @return one array of appended values per row
     */
    Object[][] apply(float[] features, BatchShape shape);
  }

  /** Adds what a block of sequences contributes to a running sum (a global summary). */
  public interface BlockSum extends Serializable {
    /**
     * @param features {@code width x shape.columns()}, time-major
     * @param sum the task's running sum, to add to
     */
    void add(float[] features, BatchShape shape, double[] sum);
  }

  /**
   * Sums {@code function} over every block of sequences of the Dataset: each task folds its blocks
   * into one array of {@code size} doubles, and {@code treeAggregate} adds the tasks' arrays. Only
   * the sum reaches the driver.
   */
  public static double[] sum(Dataset<?> dataset, String featuresCol, SequenceEncoding encoding,
      int maxSequenceLength, int blockSize, int size, BlockSum function) {
    JavaRDD<Row> rows = dataset.toDF().select(featuresCol).toJavaRDD();
    Mapper reader = new Mapper(0, featuresCol, encoding, maxSequenceLength, blockSize,
        (features, shape) -> new Object[shape.rows()][0]);
    return SparkErrors.rethrowingInputErrors(() -> rows.mapPartitions(input -> {
      double[] sum = new double[size];
      reader.blocks(input, (features, shape) -> function.add(features, shape, sum));
      return List.of(sum).iterator();
    }).treeAggregate(new double[size], BlockInference::addInto, BlockInference::addInto, 2));
  }

  public static Dataset<Row> appendColumns(Dataset<?> dataset, String featuresCol,
      SequenceEncoding encoding, int maxSequenceLength, int blockSize, StructType outputSchema,
      BlockFunction function) {
    int featuresIndex = dataset.schema().fieldIndex(featuresCol);
    return dataset.toDF().mapPartitions(new Mapper(featuresIndex, featuresCol, encoding,
        maxSequenceLength, blockSize, function), Encoders.row(outputSchema));
  }

  private static final class Mapper implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final int featuresIndex;
    private final String featuresCol;
    private final SequenceEncoding encoding;
    private final int maxSequenceLength;
    private final int blockSize;
    private final BlockFunction function;

    Mapper(int featuresIndex, String featuresCol, SequenceEncoding encoding, int maxSequenceLength,
        int blockSize, BlockFunction function) {
      this.featuresIndex = featuresIndex;
      this.featuresCol = featuresCol;
      this.encoding = encoding;
      this.maxSequenceLength = maxSequenceLength;
      this.blockSize = blockSize;
      this.function = function;
    }

    /** Hands every block of the partition, stacked, to {@code consumer}. */
    void blocks(Iterator<Row> input, java.util.function.BiConsumer<float[], BatchShape> consumer) {
      BlockReader reader = new BlockReader(input);
      while (reader.next()) {
        consumer.accept(reader.block, reader.shape);
      }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      BlockReader reader = new BlockReader(input);
      return new Iterator<>() {
        private Object[][] outputs;
        private int position;

        @Override
        public boolean hasNext() {
          if (outputs != null && position < reader.pending.size()) {
            return true;
          }
          position = 0;
          if (!reader.next()) {
            return false;
          }
          outputs = function.apply(reader.block, reader.shape);
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row row = reader.pending.get(position);
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

    /**
     * Reads up to {@code blockSize} sequences at a time and lays them out time-major, padded to
     * the block's longest.
     */
    private final class BlockReader {
      private final Iterator<Row> input;
      private final int width = encoding.width();
      final List<Row> pending = new ArrayList<>(blockSize);
      private final List<float[]> steps = new ArrayList<>(blockSize);
      private final int[] lengths = new int[blockSize];
      private final float[] scratch = new float[maxSequenceLength * width];
      private long rowIndex;
      float[] block;
      BatchShape shape;

      BlockReader(Iterator<Row> input) {
        this.input = input;
      }

      /** Reads the next block; false when the partition is exhausted. */
      boolean next() {
        pending.clear();
        steps.clear();
        int longest = 0;
        while (pending.size() < blockSize && input.hasNext()) {
          Row row = input.next();
          int n = encoding.read(row.get(featuresIndex), scratch, maxSequenceLength, featuresCol,
              "row " + rowIndex++ + " of this partition");
          lengths[pending.size()] = n;
          steps.add(java.util.Arrays.copyOf(scratch, n * width));
          pending.add(row);
          longest = Math.max(longest, n);
        }
        if (pending.isEmpty()) {
          return false;
        }
        int rows = pending.size();
        block = new float[width * rows * longest];
        for (int j = 0; j < rows; j++) {
          float[] s = steps.get(j);
          for (int t = 0; t < lengths[j]; t++) {
            System.arraycopy(s, t * width, block, (t * rows + j) * width, width);
          }
        }
        shape = BatchShape.sequences(rows, longest, java.util.Arrays.copyOf(lengths, rows));
        return true;
      }
    }
  }
}
