package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.BatchShape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      int width = encoding.width();
      return new Iterator<>() {
        private final List<Row> pending = new ArrayList<>(blockSize);
        private final List<float[]> steps = new ArrayList<>(blockSize);
        private final int[] lengths = new int[blockSize];
        private final float[] scratch = new float[maxSequenceLength * width];
        private Object[][] outputs;
        private int position;
        private long rowIndex;

        @Override
        public boolean hasNext() {
          if (position < pending.size()) {
            return true;
          }
          pending.clear();
          steps.clear();
          position = 0;
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
          float[] block = new float[width * rows * longest];
          for (int j = 0; j < rows; j++) {
            float[] s = steps.get(j);
            for (int t = 0; t < lengths[j]; t++) {
              System.arraycopy(s, t * width, block, (t * rows + j) * width, width);
            }
          }
          outputs = function.apply(block, BatchShape.sequences(rows, longest,
              java.util.Arrays.copyOf(lengths, rows)));
          return true;
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
