package nightwatch.stages.stance;

import static org.apache.spark.sql.functions.*;

import java.util.Arrays;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * A message's own words apart from the words it quotes. Text between quotation marks ("…", “…”, «…», „…“) of at
 * least {@code min-quoted-chars} is quoted; a retweet ("RT @x: …", or retweet_of) has no words of its own. Adds:
 * <ul>
 *   <li>{@code own_text}: the text without its quoted parts;</li>
 *   <li>{@code quote_own}: the message quotes (quote_of, or a quoted part) and adds at least {@code min-own-words}
 *       words of its own (mentions and links do not count): its place in a cluster is a quote of that cluster;</li>
 *   <li>{@code responds}: a quote with words of its own, or a reply: what StanceModel learns from and scores;</li>
 *   <li>{@code stance}: a quote or a reply whose own words condemn or expose (StanceAnalyzer).</li>
 * </ul>
 */
public final class OwnWords {
  private OwnWords() {}

  private static final StanceAnalyzer ANALYZER = new StanceAnalyzer();
  // Lucene's analysers have no Spark built-in; the UDF runs only on quotes and replies.
  private static final UserDefinedFunction CONDEMNS = udf(
      (org.apache.spark.sql.api.java.UDF1<String, Boolean>) ANALYZER::condemns, DataTypes.BooleanType)
      .withName("nightwatch_condemns");

  /** @param messages message_id, text, and the contract's quote_of, reply_to, retweet_of (each optional) */
  public static Dataset<Row> annotate(Dataset<Row> messages, NightwatchConfig.Safeguards g) {
    int n = g.minQuotedChars();
    String quoted = "\"[^\"]{" + n + ",}\"|“[^”]{" + n + ",}”|«[^»]{" + n + ",}»|„[^“”]{" + n + ",}[“”]";
    Column text = coalesce(col("text"), lit(""));
    Column retweet = optional(messages, "retweet_of").isNotNull().or(text.rlike("^\\s*RT @[\\p{L}\\p{N}_]+:"));
    Column own = when(retweet, lit("")).otherwise(regexp_replace(text, quoted, " "));
    Column bare = trim(regexp_replace(col("own_text"), "https?://\\S+|www\\.\\S+|@[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}]+",
        " "));
    Column words = when(bare.equalTo(""), lit(0)).otherwise(size(split(bare, " ")));
    Column quotes = not(retweet).and(optional(messages, "quote_of").isNotNull().or(text.rlike(quoted)));
    Column replies = not(retweet).and(optional(messages, "reply_to").isNotNull());
    return messages
        .withColumn("own_text", own)
        .withColumn("quote_own", quotes.and(words.geq(g.minOwnWords())))
        .withColumn("responds", col("quote_own").or(replies))
        .withColumn("stance", when(col("responds"), coalesce(CONDEMNS.apply(col("own_text")), lit(false)))
            .otherwise(lit(false)));
  }

  private static Column optional(Dataset<Row> d, String name) {
    return Arrays.asList(d.columns()).contains(name) ? col(name) : lit(null).cast("string");
  }
}
