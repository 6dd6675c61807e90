package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.distributed.SequenceInput;
import io.sparkbackprop.distributed.SequenceStacker;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.distributed.Vocabulary;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.layer.RecurrentCell;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What the recurrent estimators share: reading the sequence column (kind, width, vocabulary),
 * checking the label column against the output mode, sizing blocks so a task's working memory stays
 * bounded, and the training plan.
 */
final class RecurrentTraining {
  /**
   * Working memory a training task may use for one block's activations and gradients when
   * {@code blockSize} is left at its default; blocks hold fewer sequences when they are long.
   */
  static final long WORKSPACE_BUDGET_BYTES = 64L << 20;

  private RecurrentTraining() {}

  /** Checks the feature and label columns for this output mode. */
  static void checkColumns(StructType schema, RecurrentParams params, String featuresCol,
      String labelCol, boolean fitting) {
    SequenceEncoding.kindOf(schema, featuresCol);
    if (!fitting) {
      return;
    }
    DataType label = field(schema, labelCol);
    if (params.isSequenceOutput()) {
      if (!(label instanceof ArrayType array) || !(array.elementType() instanceof NumericType
          || array.elementType() instanceof StringType)) {
        throw new IllegalArgumentException("outputMode 'sequence' needs column '" + labelCol
            + "' to hold one label per step (an array), but it has type " + label.simpleString());
      }
    } else if (!(label instanceof NumericType)) {
      throw new IllegalArgumentException("Column '" + labelCol + "' must hold one number per "
          + "sequence, but it has type " + label.simpleString()
          + (label instanceof ArrayType ? "; set outputMode to 'sequence' for one label per step"
              : ""));
    }
  }

  private static DataType field(StructType schema, String column) {
    for (org.apache.spark.sql.types.StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f.dataType();
      }
    }
    throw new IllegalArgumentException("Column '" + column + "' does not exist; the columns are "
        + String.join(", ", schema.fieldNames()));
  }

  /** A regressor's labels are numbers (one, or an array of them). */
  static void requireNumericLabels(StructType schema, String labelCol) {
    DataType label = field(schema, labelCol);
    if (label instanceof ArrayType array && array.elementType() instanceof StringType) {
      throw new IllegalArgumentException("Column '" + labelCol + "' holds strings; a regressor "
          + "needs numbers (use RecurrentClassifier to predict tokens)");
    }
  }

  /** Whether per-step labels are tokens of the features' vocabulary (a language model). */
  static boolean tokenLabels(StructType schema, RecurrentParams params, String labelCol,
      SequenceEncoding.Kind featuresKind) {
    if (!params.isSequenceOutput()) {
      return false;
    }
    DataType element = ((ArrayType) field(schema, labelCol)).elementType();
    if (element instanceof StringType) {
      if (featuresKind != SequenceEncoding.Kind.TOKENS) {
        throw new IllegalArgumentException("Column '" + labelCol + "' holds strings, which only "
            + "token sequences can predict (the features' vocabulary gives their ids)");
      }
      return true;
    }
    return false;
  }

  /**
   * The encoding of the features column: the initial model's when warm-starting (same kind and
   * vocabulary), else from the column's type, the first row's width, or a vocabulary built now.
   */
  static SequenceEncoding encoding(Dataset<?> dataset, RecurrentParams params, String featuresCol,
      String labelCol, boolean tokenLabels, ModelContent initial) {
    if (initial != null) {
      SequenceEncoding given = initial.recurrent().encoding();
      given.checkColumn(dataset.schema(), featuresCol);
      return given;
    }
    switch (SequenceEncoding.kindOf(dataset.schema(), featuresCol)) {
      case NUMBERS:
        return SequenceEncoding.numbers();
      case VECTORS:
        return SequenceEncoding.vectors(firstWidth(dataset, featuresCol));
      default:
        List<String> columns = new ArrayList<>();
        columns.add(featuresCol);
        if (tokenLabels) {
          columns.add(labelCol);
        }
        return SequenceEncoding.tokens(Vocabulary.build(dataset, columns, params.getVocabSize()));
    }
  }

  private static int firstWidth(Dataset<?> dataset, String featuresCol) {
    List<Row> first = dataset.select(featuresCol).where(functions.size(functions.col(featuresCol))
        .gt(0)).takeAsList(1);
    if (first.isEmpty()) {
      throw new IllegalArgumentException("Column '" + featuresCol + "' holds no non-empty sequence");
    }
    int width = io.sparkbackprop.distributed.SequenceEncoding.vectorWidth(first.get(0).get(0));
    if (width <= 0) {
      throw new IllegalArgumentException("Column '" + featuresCol + "' has steps without features");
    }
    return width;
  }

  /** The longest sequence in the column (one cheap aggregation). */
  static int longest(Dataset<?> dataset, String featuresCol) {
    Row row = dataset.agg(functions.max(functions.size(functions.col(featuresCol)))).head();
    return row.isNullAt(0) ? 1 : Math.max(1, row.getInt(0));
  }

  /**
   * Rows per block: the {@code blockSize} param when set, else its default reduced so that one
   * block's training workspace stays within {@link #WORKSPACE_BUDGET_BYTES}.
   */
  static int blockSize(RecurrentParams params, RecurrentNetwork network, int longest) {
    if (params.isSet(params.blockSize())) {
      return params.getBlockSize();
    }
    long perRow = 4L * network.trainingFloatsPerRowStep() * longest;
    long fits = Math.max(1, WORKSPACE_BUDGET_BYTES / Math.max(1, perRow));
    return (int) Math.min(params.getBlockSize(), fits);
  }

  /** The architecture the params ask for, for this input and output width. */
  static RecurrentNetwork.Architecture architecture(RecurrentParams params,
      SequenceEncoding encoding, int outputWidth, int maxSteps) {
    boolean tokens = encoding.kind() == SequenceEncoding.Kind.TOKENS;
    return new RecurrentNetwork.Architecture(tokens ? encoding.vocabularySize() : encoding.width(),
        tokens, params.getEmbeddingSize(), RecurrentCell.fromParamName(params.getCell()),
        params.getHiddenSize(), params.getNumLayers(), params.getBidirectional(), 0,
        params.getBpttSteps(), params.isSequenceOutput(), outputWidth, maxSteps);
  }

  /** The plan of recurrent estimators: sequence blocks and the network the params describe. */
  abstract static class RecurrentPlan implements TrainingRun.Plan {
    final RecurrentParams params;
    final SequenceEncoding encoding;
    final boolean tokenLabels;
    final int longest;

    RecurrentPlan(RecurrentParams params, SequenceEncoding encoding, boolean tokenLabels,
        int longest) {
      this.params = params;
      this.encoding = encoding;
      this.tokenLabels = tokenLabels;
      this.longest = longest;
    }

    /** Output width the data requires (classes, or 1), before the data is stacked if possible. */
    abstract int outputWidth(StackedData data);

    /** Output width known without the data (for sizing blocks): classes if known, else 1. */
    abstract int provisionalOutputWidth();

    /** The spec for this architecture and data (loss and scalings). */
    abstract RecurrentSpec spec(RecurrentNetwork.Architecture architecture, StackedData data);

    @Override
    public StackedData stack(Dataset<?> dataset, TrainingInput input, int ignoredBlockSize) {
      RecurrentNetwork provisional = new RecurrentNetwork(architecture(params, encoding,
          provisionalOutputWidth(), longest), new io.sparkbackprop.nn.loss.SquaredError(), null);
      int blockSize = blockSize(params, provisional, longest);
      SequenceInput sequences = new SequenceInput(input, encoding, params.isSequenceOutput(),
          tokenLabels, params.getMaxSequenceLength());
      return SequenceStacker.stack(dataset, sequences, blockSize, StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    public ModelSpec freshSpec(StackedData data) {
      return spec(architecture(params, encoding, outputWidth(data), data.summary().maxSteps()),
          data);
    }

    /** Standardisation of numeric steps when the param asks for it; tokens are never scaled. */
    InputScaling inputScaling(StackedData data) {
      return encoding.kind() != SequenceEncoding.Kind.TOKENS && params.getStandardization()
          ? InputScaling.standardizing(data.summary().features()) : null;
    }

    @Override
    public ModelSpec checkedInitialSpec(ModelSpec initial, StackedData data) {
      if (!(initial instanceof RecurrentSpec spec)) {
        throw new IllegalArgumentException("initialModelPath " + params.getInitialModelPath()
            + " holds a feed-forward network; a recurrent estimator needs a recurrent model");
      }
      RecurrentNetwork.Architecture a = spec.architecture();
      RecurrentNetwork.Architecture wanted = architecture(params, encoding, outputWidth(data),
          a.maxSteps());
      String where = "initialModelPath " + params.getInitialModelPath();
      if (a.outputWidth() != wanted.outputWidth()) {
        throw new IllegalArgumentException(where + " has " + a.outputWidth()
            + " outputs but the data needs " + wanted.outputWidth());
      }
      checkSame(where, "cell", a.cell().paramName(), wanted.cell().paramName(), params.cell());
      checkSame(where, "hiddenSize", a.hiddenSize(), wanted.hiddenSize(), params.hiddenSize());
      checkSame(where, "numLayers", a.numLayers(), wanted.numLayers(), params.numLayers());
      checkSame(where, "bidirectional", a.bidirectional(), wanted.bidirectional(),
          params.bidirectional());
      checkSame(where, "outputMode", a.sequenceOutput(), wanted.sequenceOutput(),
          params.outputMode());
      return spec.withMaxSteps(Math.max(a.maxSteps(), data.summary().maxSteps()));
    }

    private void checkSame(String where, String name, Object saved, Object wanted,
        org.apache.spark.ml.param.Param<?> param) {
      if (params.isSet(param) && !saved.equals(wanted)) {
        throw new IllegalArgumentException(where + " was trained with " + name + " " + saved
            + " but " + name + " is set to " + wanted);
      }
    }

    @Override
    public double[] initialWeights(Network network) {
      return network.initialParams(params.getSeed());
    }
  }
}
