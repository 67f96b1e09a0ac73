package nightwatch.stages.text;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/** Adds {@code norm_text} (see {@link TextNormalizer}), {@code hashtags} and link {@code domains} to messages. */
public final class Normalizer {
  private Normalizer() {}


  public static UserDefinedFunction normalizeUdf() {
    return udf((UDF1<String, String>) TextNormalizer::normalize, DataTypes.StringType);
  }

  /**
   * Length of a normalised text without its placeholders ({@code @user}, {@code url_<domain>}): what it says
   * beyond "a mention and a link". A text of placeholders alone ("https://t.co/x" -> "url_t_co") carries
   * nothing to match: any other link-only tweet would look like a copy of it.
   */
  public static org.apache.spark.sql.Column contentLength(org.apache.spark.sql.Column normText) {
    return length(content(normText));
  }

  /** Number of words of a normalised text without its placeholders (see {@link #contentLength}). */
  public static org.apache.spark.sql.Column contentWords(org.apache.spark.sql.Column normText) {
    return when(length(content(normText)).equalTo(0), lit(0)).otherwise(size(split(content(normText), "\\s+")));
  }

  /** The normalised text without its placeholders, trimmed. */
  private static org.apache.spark.sql.Column content(org.apache.spark.sql.Column normText) {
    return trim(regexp_replace(normText, "(^|\\s)(@user|url_\\S*)(?=\\s|$)", " "));
  }

  /** Input: any rows with a {@code text} column. Output: the same rows plus three columns. */
  public static Dataset<Row> apply(Dataset<Row> messages) {
    return messages
        .withColumn("norm_text", normalizeUdf().apply(col("text")))
        .withColumn("hashtags", array_distinct(regexp_extract_all(lower(col("text")),
            lit("#([\\p{L}\\p{N}_]+)"), lit(1))))
        .withColumn("domains", array_distinct(regexp_extract_all(lower(col("text")),
            lit("https?://(?:www\\.)?([^\\s/?#:]+)"), lit(1))));
  }
}
