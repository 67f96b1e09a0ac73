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
 * and in the real-tweet replay 64 such unrelated accounts formed one cluster.
 */
public final class ExactDuplicates {
  private ExactDuplicates() {}

  /** Adds {@code doc_id} (long) to messages that have {@code norm_text} and {@code message_id}. */
  public static Dataset<Row> assignDocIds(Dataset<Row> messages, int minChars) {
    Column nearEmpty = coalesce(Normalizer.contentLength(col("norm_text")), lit(0)).lt(minChars);
    return messages.withColumn("doc_id",
        when(nearEmpty, xxhash64(lit("empty"), col("message_id"))).otherwise(xxhash64(col("norm_text"))));
  }

  /** One row per distinct text: {@code doc_id}, {@code norm_text}, {@code messages} (copies). Near-empty excluded. */
  public static Dataset<Row> docs(Dataset<Row> messagesWithDocIds, int minChars) {
    return messagesWithDocIds
        .filter(Normalizer.contentLength(col("norm_text")).geq(minChars))
        .groupBy("doc_id")
        .agg(min("norm_text").as("norm_text"), count(lit(1)).as("messages"));
  }
}
