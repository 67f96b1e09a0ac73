package nightwatch.stages.text;

import static org.apache.spark.sql.functions.*;

import nightwatch.config.NightwatchConfig;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Shingles of a normalised text: word n-grams (MLlib RegexTokenizer and NGram) when the text has enough
 * words, character n-grams otherwise (short messages share too few word n-grams to be compared). The
 * character n-grams are a built-in expression inside the CASE branch, so they are only computed for the
 * short texts that need them.
 */
public final class Shingler {
  private Shingler() {}

  /** Input: rows with {@code norm_text}. Output: the same rows plus {@code shingles} (array of distinct strings). */
  public static Dataset<Row> apply(Dataset<Row> docs, NightwatchConfig.Text p) {
    Dataset<Row> words = new RegexTokenizer().setInputCol("norm_text").setOutputCol("_words")
        .setPattern("\\s+").setGaps(true).setToLowercase(false).setMinTokenLength(1).transform(docs);
    Dataset<Row> wgrams = new NGram().setN(p.wordShingleSize()).setInputCol("_words").setOutputCol("_wgrams")
        .transform(words);
    int k = p.charShingleSize();
    Column text = col("norm_text");
    Column charGrams = transform(sequence(lit(1), greatest(length(text).minus(k - 1), lit(1))),
        i -> substring(text, i, lit(k)));
    return wgrams
        .withColumn("shingles", array_distinct(
            when(size(col("_words")).geq(p.minWordsForWordShingles()), col("_wgrams")).otherwise(charGrams)))
        .drop("_words", "_wgrams");
  }
}
