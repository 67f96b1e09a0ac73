package nightwatch.bench;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Plants the two skews that break naive jobs into a generated day of messages, keeping its size: one text
 * posted by very many messages (a viral retweet) or one account posting very many messages. The chosen
 * rows are a deterministic hash sample, so the same input gives the same skewed day.
 */
public final class SkewedDay {
  private SkewedDay() {}

  public enum Kind { none, text, account }

  public static final String VIRAL_TEXT = "Breaking: share this everywhere before it is taken down #viral #news";
  /** Replaces the text (or the account, with {@code heavyAccount}) of about {@code rows} of the {@code total} messages. */
  public static Dataset<Row> apply(Dataset<Row> messages, Kind kind, long rows, long total, String heavyAccount) {
    if (kind == Kind.none || rows <= 0) {
      return messages;
    }
    // pmod of a 64-bit hash over a 1e6 grid: fraction rows/total within one part in a million.
    long cut = Math.round(1_000_000.0 * Math.min(1.0, (double) rows / total));
    Column chosen = pmod(xxhash64(col("message_id"), lit("bench-skew")), lit(1_000_000L)).lt(cut);
    return kind == Kind.text
        ? messages.withColumn("text", when(chosen, lit(VIRAL_TEXT)).otherwise(col("text")))
        : messages.withColumn("account_id", when(chosen, lit(heavyAccount)).otherwise(col("account_id")));
  }
}
