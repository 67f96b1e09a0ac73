package nightwatch.stages.dedup;

import static org.apache.spark.sql.functions.*;

import nightwatch.stages.text.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Collapses exact duplicates after normalisation (retweets, copy-paste) before MinHash: on social data this
 * removes a large share of rows and the worst skew. A text's id is the 64-bit hash of its normalised form,
 * so ids do not depend on partitioning. Near-empty texts never share an id: each keeps its own, derived
 * from the message id, so thousands of empty messages cannot collapse into one giant group. A text is
 * near-empty when, without its placeholders ({@code @user}, {@code url_<domain>}), it has fewer than
 * {@code minChars} characters: every "mention and a t.co link" tweet normalises alike whatever it links to,
 * so unrelated accounts would form one cluster.
 */
public final class ExactDuplicates {
  private ExactDuplicates() {}

  /**
   * Adds {@code comparable} (false for a near-empty text) and {@code doc_id} (long) to messages that have
   * {@code norm_text} and {@code message_id}. The flag is kept so that {@link #docs} does not run the
   * placeholder expression a second time over every message.
   */
  public static Dataset<Row> assignDocIds(Dataset<Row> messages, int minChars) {
    return messages
        .withColumn("comparable", coalesce(Normalizer.contentLength(col("norm_text")), lit(0)).geq(minChars))
        .withColumn("doc_id", when(col("comparable"), xxhash64(col("norm_text")))
            .otherwise(xxhash64(lit("empty"), col("message_id"))));
  }

  /**
   * One row per distinct text: {@code doc_id}, {@code norm_text}, {@code messages} (copies), hash-partitioned by
   * {@code doc_id}. Near-empty excluded.
   *
   * <p>Grouped by the text itself as well as its id: an aggregate whose buffer holds a string (min of the text) is a
   * sort aggregate in Spark, one with only a count is a hash aggregate. The rows are shuffled by {@code doc_id} first,
   * so the result is partitioned as the kept signatures need it (no second shuffle) and a text's copies meet in one
   * task. Two distinct texts with the same 64-bit id (odds about n^2 / 2^65 for n texts) are then two rows of
   * one id: both are signed, and every later step treats them as one text, as the messages' doc_id already does.
   */
  public static Dataset<Row> docs(Dataset<Row> messagesWithDocIds) {
    return messagesWithDocIds
        .filter(col("comparable"))
        .repartition(col("doc_id"))
        .groupBy("doc_id", "norm_text")
        .agg(count(lit(1)).as("messages"));
  }
}
