package io.sparkbackprop.distributed;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Builds the vocabulary of a token column at fit: the {@code size - 1} most frequent tokens (ties
 * broken by the token's text, so the result is deterministic), after id 0, which stands for every
 * other token. One aggregation job; only the vocabulary reaches the driver.
 */
public final class Vocabulary {
  /** How id 0 appears in the vocabulary. */
  public static final String UNKNOWN_TOKEN = "<unk>";

  private Vocabulary() {}

  /**
   * @param columns the token columns counted together (features, and token labels if any)
   */
  public static String[] build(Dataset<?> dataset, List<String> columns, int size) {
    if (size < 2) {
      throw new IllegalArgumentException("vocabSize must be at least 2, got " + size);
    }
    Dataset<Row> tokens = null;
    for (String column : columns) {
      Dataset<Row> part = dataset.select(functions.explode(functions.col(column)).as("token"))
          .select(functions.col("token").cast("string").as("token"));
      tokens = tokens == null ? part : tokens.union(part);
    }
    Column count = functions.count(functions.lit(1)).as("n");
    List<Row> top = tokens.where(functions.col("token").isNotNull()).groupBy("token").agg(count)
        .orderBy(functions.col("n").desc(), functions.col("token").asc())
        .limit(size - 1).collectAsList();
    List<String> vocabulary = new ArrayList<>();
    vocabulary.add(UNKNOWN_TOKEN);
    for (Row row : top) {
      vocabulary.add(row.getString(0));
    }
    if (vocabulary.size() < 2) {
      throw new IllegalArgumentException("Column '" + columns.get(0) + "' holds no tokens");
    }
    return vocabulary.toArray(new String[0]);
  }
}
