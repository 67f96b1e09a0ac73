package nightwatch;

import static org.apache.spark.sql.functions.col;

import nightwatch.config.NightwatchConfig;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Normalizer;
import nightwatch.stages.text.Shingler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The text stages chained with default config, for tests of the stages after them. */
public final class TextPipeline {
  public static final NightwatchConfig CONFIG = NightwatchConfig.defaults();
  public static final LshParams LSH = LshParams.choose(CONFIG.lsh().threshold(), CONFIG.lsh().numHashes());

  private TextPipeline() {}

  public static MinHashSigner signer(SparkSession spark) {
    return new MinHashSigner(CONFIG.lsh().numHashes(), CONFIG.lsh().seed(), CONFIG.text().minShingles());
  }

  /** Rows with {@code text}: adds norm_text, shingles and sig (rows with too few shingles dropped). */
  public static Dataset<Row> sign(SparkSession spark, Dataset<Row> texts) {
    Dataset<Row> norm = texts.withColumn("norm_text", Normalizer.normalizeUdf().apply(col("text")));
    return signer(spark).sign(Shingler.apply(norm, CONFIG.text()));
  }
}
