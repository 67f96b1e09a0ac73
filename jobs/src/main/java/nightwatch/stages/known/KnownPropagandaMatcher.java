package nightwatch.stages.known;

import static org.apache.spark.sql.functions.*;

import nightwatch.stages.lsh.Banding;
import nightwatch.stages.text.Normalizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Near-duplicate matches of the day's texts against known_propaganda through the same banded index as
 * clustering: a shared band makes a candidate, the estimated Jaccard of the signatures filters it cheaply,
 * and the exact Jaccard of the shingle sets confirms it (at the clustering threshold), as for clustering
 * edges. The reference list is small, so it is broadcast.
 */
public final class KnownPropagandaMatcher {
  private KnownPropagandaMatcher() {}

  /**
   * @param docBands  day's {@code doc_id}, {@code band_key}
   * @param docSigs   day's {@code doc_id}, {@code sig}, {@code sh}
   * @param refSigned known refs with {@code ref_id}, {@code label}, {@code sig}, {@code sh}
   * @param refBands  known refs' {@code ref_id}, {@code band_key}
   * @param minEstimated the signatures' estimate a candidate needs before the exact check
   * @param threshold the exact Jaccard a match needs
   * @return {@code doc_id}, {@code ref_id}, {@code label}, {@code jaccard} (exact)
   */
  public static Dataset<Row> match(Dataset<Row> docBands, Dataset<Row> docSigs, Dataset<Row> refSigned,
                                   Dataset<Row> refBands, double minEstimated, double threshold) {
    Dataset<Row> candidates = docBands.join(broadcast(refBands), "band_key").select("doc_id", "ref_id").distinct();
    return candidates
        .join(docSigs.select("doc_id", "sig", "sh"), "doc_id")
        .join(broadcast(refSigned.select(col("ref_id"), col("label"), col("sig").as("ref_sig"),
            col("sh").as("ref_sh"))), "ref_id")
        .filter(Banding.estimatedJaccard(col("sig"), col("ref_sig")).geq(minEstimated))
        .withColumn("jaccard", Banding.exactJaccard(col("sh"), col("ref_sh")))
        .filter(col("jaccard").geq(threshold))
        .select("doc_id", "ref_id", "label", "jaccard");
  }

  /** Words (beyond placeholders) a known item needs to be matchable. */
  public static final int MIN_WORDS = 3;

  /**
   * The known items that can be matched: those whose normalised text says something beyond placeholders, at
   * least {@code minChars} characters and {@link #MIN_WORDS} words without {@code @user} and link tokens.
   * Otherwise items such as "Thanks you", "Beautiful <link>" or "Cowards !!! <link>" (tweets of pro-ISIS accounts, not
   * propaganda) would put ordinary accounts in review tiers through near-duplicates.
   */
  public static Dataset<Row> matchable(Dataset<Row> normalizedRefs, int minChars) {
    return normalizedRefs.filter(Normalizer.contentLength(col("norm_text")).geq(minChars)
        .and(Normalizer.contentWords(col("norm_text")).geq(MIN_WORDS)));
  }
}
