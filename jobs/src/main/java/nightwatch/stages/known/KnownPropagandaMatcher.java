package nightwatch.stages.known;

import static org.apache.spark.sql.functions.*;

import nightwatch.stages.lsh.Banding;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Near-duplicate matches of the day's texts against known_propaganda through the same banded index as
 * clustering: a shared band makes a candidate, the estimated Jaccard of the signatures confirms it.
 * The reference list is small, so it is broadcast.
 */
public final class KnownPropagandaMatcher {
  private KnownPropagandaMatcher() {}

  /**
   * @param docBands  day's {@code doc_id}, {@code band_key}
   * @param docSigs   day's {@code doc_id}, {@code sig}
   * @param refSigned known refs with {@code ref_id}, {@code label}, {@code sig}
   * @param refBands  known refs' {@code ref_id}, {@code band_key}
   * @return {@code doc_id}, {@code ref_id}, {@code label}, {@code jaccard}
   */
  public static Dataset<Row> match(Dataset<Row> docBands, Dataset<Row> docSigs, Dataset<Row> refSigned,
                                   Dataset<Row> refBands, double minJaccard) {
    Dataset<Row> candidates = docBands.join(broadcast(refBands), "band_key").select("doc_id", "ref_id").distinct();
    return candidates
        .join(docSigs.select("doc_id", "sig"), "doc_id")
        .join(broadcast(refSigned.select(col("ref_id"), col("label"), col("sig").as("ref_sig"))), "ref_id")
        .withColumn("jaccard", Banding.estimatedJaccard(col("sig"), col("ref_sig")))
        .filter(col("jaccard").geq(minJaccard))
        .select("doc_id", "ref_id", "label", "jaccard");
  }
}
