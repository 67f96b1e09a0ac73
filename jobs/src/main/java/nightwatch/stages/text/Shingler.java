package nightwatch.stages.text;

import static org.apache.spark.sql.functions.*;

import nightwatch.config.NightwatchConfig;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Shingles of a normalised text with MLlib transformers: word n-grams when the text has enough words,
 * character n-grams otherwise (short messages share too few word n-grams to be compared).
 */
public final class Shingler {
  private Shingler() {}

  /** Input: rows with {@code norm_text}. Output: the same rows plus {@code shingles} (array of distinct strings). */
  public static Dataset<Row> apply(Dataset<Row> docs, NightwatchConfig.Text p) {
    Dataset<Row> words = new RegexTokenizer().setInputCol("norm_text").setOutputCol("_words")
        .setPattern("\\s+").setGaps(true).setToLowercase(false).setMinTokenLength(1).transform(docs);
    Dataset<Row> wgrams = new NGram().setN(p.wordShingleSize()).setInputCol("_words").setOutputCol("_wgrams")
        .transform(words);
    Dataset<Row> chars = new RegexTokenizer().setInputCol("norm_text").setOutputCol("_chars")
        .setPattern("").setGaps(true).setToLowercase(false).setMinTokenLength(1).transform(wgrams);
    Dataset<Row> cgrams = new NGram().setN(p.charShingleSize()).setInputCol("_chars").setOutputCol("_cgrams")
        .transform(chars);
    return cgrams
        .withColumn("shingles", array_distinct(
            when(size(col("_words")).geq(p.minWordsForWordShingles()), col("_wgrams")).otherwise(col("_cgrams"))))
        .drop("_words", "_wgrams", "_chars", "_cgrams");
  }
}
