package io.sparkbackprop.distributed;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Turns a Dataset of sequences into cached blocks of up to {@code blockSize} sequences, time-major
 * and padded to the longest sequence of each block (see {@link BatchShape}), validating every row
 * on the way; the same job computes the {@link DataSummary}. Within a partition the rows are
 * shuffled (seeded), then sorted by length inside windows of {@value #WINDOW_BLOCKS} blocks so that
 * a block holds sequences of similar length and pads little.
 */
public final class SequenceStacker {
  /** Blocks per length-sorting window: wide enough to group lengths, narrow enough to mix rows. */
  static final int WINDOW_BLOCKS = 16;

  private SequenceStacker() {}

  public static StackedData stack(Dataset<?> dataset, SequenceInput input, int blockSize,
      StorageLevel storageLevel) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
    }
    TrainingInput columns = input.columns();
    List<Column> selected = new ArrayList<>();
    selected.add(functions.col(columns.featuresCol()));
    selected.add(input.perStepLabels() ? functions.col(columns.labelCol())
        : functions.col(columns.labelCol()).cast("double"));
    if (columns.weightCol() != null) {
      selected.add(functions.col(columns.weightCol()).cast("double"));
    }
    if (columns.validationCol() != null) {
      selected.add(functions.col(columns.validationCol()).cast("boolean"));
    }
    JavaRDD<DataBlock> blocks = dataset.select(selected.toArray(new Column[0]))
        .toJavaRDD()
        .mapPartitionsWithIndex(new StackSequences(input, blockSize), true)
        .persist(storageLevel);
    blocks.setName("spark-backprop training sequences");
    boolean classes = columns.labelKind() == TrainingInput.LabelKind.CLASS_INDEX;
    try {
      DataSummary summary = SparkErrors.rethrowingInputErrors(() -> blocks.treeAggregate(
          new DataSummary(classes), DataSummary::add, DataSummary::merge, 2));
      if (summary.rows() == 0) {
        throw new IllegalArgumentException(summary.validationRows() == 0
            ? "The training dataset is empty"
            : "All " + summary.validationRows() + " rows are validation rows; none is left to train on");
      }
      if (!(summary.weightSum() > 0)) {
        throw new IllegalArgumentException("Column '" + columns.weightCol()
            + "' weights sum to zero; at least one row needs a positive weight");
      }
      return new StackedData(blocks, summary, input.encoding().width(), blockSize, 0);
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
  }

  /** One row read from the Dataset: its steps, per-step or single labels, and weight. */
  private record Sequence(float[] steps, int length, float[] labels, float weight) {}

  private static final class StackSequences
      implements Function2<Integer, Iterator<Row>, Iterator<DataBlock>> {
    private static final long serialVersionUID = 1L;

    private final SequenceInput input;
    private final int blockSize;

    StackSequences(SequenceInput input, int blockSize) {
      this.input = input;
      this.blockSize = blockSize;
    }

    @Override
    public Iterator<DataBlock> call(Integer partition, Iterator<Row> rows) {
      TrainingInput columns = input.columns();
      RowValidator validator = new RowValidator(columns, input.encoding().width());
      boolean hasWeight = columns.weightCol() != null;
      int validationColumn = columns.validationCol() == null ? -1 : (hasWeight ? 3 : 2);
      int width = input.encoding().width();
      float[] scratch = new float[input.maxSequenceLength() * width];
      List<Sequence> training = new ArrayList<>();
      List<Sequence> validation = new ArrayList<>();
      long index = 0;
      while (rows.hasNext()) {
        Row row = rows.next();
        RowValidator.Position at = new RowValidator.Position(partition, index++);
        int length = input.encoding().read(row.get(0), scratch, input.maxSequenceLength(),
            columns.featuresCol(), at);
        float[] labels = labels(row, length, validator, at);
        float weight = hasWeight ? (float) validator.weight(row.isNullAt(2),
            row.isNullAt(2) ? 0 : row.getDouble(2), at) : 1f;
        Sequence sequence = new Sequence(Arrays.copyOf(scratch, length * width), length, labels,
            weight);
        boolean held;
        if (validationColumn >= 0) {
          held = validator.validationFlag(row.isNullAt(validationColumn)
              ? null : row.getBoolean(validationColumn), at);
        } else {
          held = columns.validationFraction() > 0 && BlockSampler.unitInterval(columns.seed(),
              partition, at.row()) < columns.validationFraction();
        }
        (held ? validation : training).add(sequence);
      }
      shuffle(training, new SplittableRandom(BlockSampler.mix64(columns.seed() ^ (partition + 1L))));
      List<DataBlock> blocks = new ArrayList<>();
      emit(training, partition, false, blocks);
      emit(validation, partition, true, blocks);
      return blocks.iterator();
    }

    private float[] labels(Row row, int length, RowValidator validator,
        RowValidator.Position at) {
      String column = input.columns().labelCol();
      if (!input.perStepLabels()) {
        return new float[] {(float) validator.label(row.isNullAt(1),
            row.isNullAt(1) ? 0 : row.getDouble(1), at)};
      }
      if (row.isNullAt(1)) {
        throw new InvalidRowException("Column '" + column + "' has a null label sequence ("
            + at + ")");
      }
      List<?> values = SequenceEncoding.asList(row.get(1));
      if (values.size() != length) {
        throw new InvalidRowException("Column '" + column + "' has " + values.size()
            + " labels but column '" + input.columns().featuresCol() + "' has " + length
            + " steps (" + at + "); outputMode 'sequence' needs one label per step");
      }
      float[] labels = new float[length];
      for (int t = 0; t < length; t++) {
        Object v = values.get(t);
        if (input.tokenLabels()) {
          if (v == null) {
            throw new InvalidRowException("Column '" + column + "' has a null at step " + t
                + " (" + at + ")");
          }
          labels[t] = input.encoding().id(String.valueOf(v));
        } else {
          labels[t] = (float) validator.label(v == null,
              v instanceof Number n ? n.doubleValue() : 0, at);
        }
      }
      return labels;
    }

    private static void shuffle(List<Sequence> rows, SplittableRandom random) {
      for (int i = rows.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Sequence t = rows.get(i);
        rows.set(i, rows.get(j));
        rows.set(j, t);
      }
    }

    /** Sorts windows of rows by length, then cuts them into blocks. */
    private void emit(List<Sequence> rows, int partition, boolean validation,
        List<DataBlock> out) {
      int window = WINDOW_BLOCKS * blockSize;
      int count = 0;
      for (int from = 0; from < rows.size(); from += window) {
        List<Sequence> part = new ArrayList<>(rows.subList(from, Math.min(rows.size(),
            from + window)));
        part.sort(Comparator.comparingInt(Sequence::length));
        for (int b = 0; b < part.size(); b += blockSize) {
          List<Sequence> members = part.subList(b, Math.min(part.size(), b + blockSize));
          long id = ((long) partition << 32) | count++;
          out.add(block(members, validation ? id | BlockStacker.VALIDATION_ID_BIT : id, validation));
        }
      }
    }

    private DataBlock block(List<Sequence> members, long id, boolean validation) {
      int rows = members.size();
      int width = input.encoding().width();
      int steps = members.stream().mapToInt(Sequence::length).max().orElse(1);
      int[] lengths = new int[rows];
      float[] features = new float[width * rows * steps];
      boolean perStep = input.perStepLabels();
      int targetColumns = perStep ? rows * steps : rows;
      float[] targets = new float[targetColumns];
      float[] weights = new float[targetColumns];
      for (int j = 0; j < rows; j++) {
        Sequence s = members.get(j);
        lengths[j] = s.length();
        for (int t = 0; t < s.length(); t++) {
          System.arraycopy(s.steps(), t * width, features, (t * rows + j) * width, width);
          if (perStep) {
            targets[t * rows + j] = s.labels()[t];
            weights[t * rows + j] = s.weight();
          }
        }
        if (!perStep) {
          targets[j] = s.labels()[0];
          weights[j] = s.weight();
        }
      }
      return DataBlock.sequences(id, BatchShape.sequences(rows, steps, lengths), width, features, 1,
          perStep, targets, weights, validation);
    }
  }
}
