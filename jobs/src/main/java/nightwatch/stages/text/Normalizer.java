package nightwatch.stages.text;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
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
  public static Column contentLength(Column normText) {
    return length(content(normText));
  }

  /** Number of words of a normalised text without its placeholders (see {@link #contentLength}). */
  public static Column contentWords(Column normText) {
    return when(length(content(normText)).equalTo(0), lit(0)).otherwise(size(split(content(normText), "\\s+")));
  }

  /**
   * The normalised text without its placeholders, trimmed. The pattern runs only on texts that contain a
   * placeholder's literal: for the others its result is the trimmed text, and the regular expression is a costly
   * part of the normalise stage.
   */
  private static Column content(Column normText) {
    Column hasPlaceholder = normText.contains("@user").or(normText.contains("url_"));
    return when(hasPlaceholder, trim(regexp_replace(normText, "(^|\\s)(@user|url_\\S*)(?=\\s|$)", " ")))
        .otherwise(trim(normText));
  }

  /**
   * Input: any rows with a {@code text} column. Output: the same rows plus three columns. Each pattern runs only
   * on texts that contain its literal ("#", "://"); the others get the empty array the pattern would find.
   *
   * <p>The patterns run on the text as posted and only what they find is lower-cased: lower-casing every text first
   * would run Spark's Unicode case mapping over each non-ASCII text, while the hashtags and hosts are a few short
   * strings. The link pattern ignores ASCII case ({@code (?i)}); no other character lower-cases to an ASCII letter of
   * "http", "www" or "://", so it finds the same hosts. A hashtag is lower-cased as a whole: "#İstanbul" gives
   * "i̇stanbul" (lower-cased first, the dot that U+0130 becomes would end the tag after "i").
   */
  public static Dataset<Row> apply(Dataset<Row> messages) {
    Column text = col("text");
    return messages
        .withColumn("norm_text", normalizeUdf().apply(text))
        .withColumn("hashtags", onlyWhere(text.contains("#"), text,
            lowerDistinct(regexp_extract_all(text, lit("#([\\p{L}\\p{N}_]+)"), lit(1)))))
        .withColumn("domains", onlyWhere(text.contains("://"), text,
            lowerDistinct(regexp_extract_all(text, lit("(?i)https?://(?:www\\.)?([^\\s/?#:]+)"), lit(1)))));
  }

  private static Column lowerDistinct(Column found) {
    return array_distinct(transform(found, org.apache.spark.sql.functions::lower));
  }

  /** {@code found} where {@code literalPresent} or the text is null (null then), else an empty array of strings. */
  private static Column onlyWhere(Column literalPresent, Column text, Column found) {
    return when(literalPresent.or(text.isNull()), found)
        .otherwise(array().cast(DataTypes.createArrayType(DataTypes.StringType, true)));
  }
}
