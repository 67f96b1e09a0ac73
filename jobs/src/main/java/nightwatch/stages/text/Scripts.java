package nightwatch.stages.text;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * The writing system of a text: {@code arabic}, {@code cyrillic}, {@code latin} or {@code other}, the first
 * that has a letter in the text, in that order (a Latin hashtag or link in an Arabic message is common; the
 * reverse is not). The classifier records how many negative texts it was trained on per script, and its
 * evidence is trusted for a review tier only in scripts where it has seen enough ordinary speech.
 */
public final class Scripts {
  private Scripts() {}

  public static Column of(Column text) {
    return when(text.rlike("\\p{IsArabic}"), lit("arabic"))
        .when(text.rlike("\\p{IsCyrillic}"), lit("cyrillic"))
        .when(text.rlike("\\p{IsLatin}"), lit("latin"))
        .otherwise(lit("other"));
  }
}
