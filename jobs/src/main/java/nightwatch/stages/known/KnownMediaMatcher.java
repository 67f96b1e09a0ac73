package nightwatch.stages.known;

import static org.apache.spark.sql.functions.*;

import nightwatch.stages.media.PdqBands;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Media of the day's clusters against known_media (a hash list like GIFCT's): an md5 that equals a listed md5, or a
 * PDQ within max-distance bits of a listed PDQ (candidates through the same bit-sampling bands as the clustering,
 * verified exactly).
 */
public final class KnownMediaMatcher {
  private KnownMediaMatcher() {}

  /** The prefix of a known-media ref id in a cluster's known_refs. */
  public static final String REF_PREFIX = "media:";

  /**
   * @param clusterItems cluster_id, pdq, md5 (lower case), and for a PDQ its words and band_keys
   *                     (MediaClusters.hashes), of the clustered media items
   * @param knownMedia   the known_media table (hash, kind, label)
   * @return cluster_id, ref_id ({@value #REF_PREFIX}, kind, ':' and the hash), label
   */
  public static Dataset<Row> match(Dataset<Row> clusterItems, Dataset<Row> knownMedia, int maxDistance, int bands,
                                   int bitsPerBand) {
    Dataset<Row> known = knownMedia.select(lower(col("hash")).as("hash"), lower(col("kind")).as("kind"), col("label"))
        .withColumn("ref_id", concat(lit(REF_PREFIX), col("kind"), lit(":"), col("hash")));
    Dataset<Row> byMd5 = clusterItems.filter(col("md5").isNotNull())
        .join(known.filter(col("kind").equalTo("md5")), col("md5").equalTo(col("hash")))
        .select("cluster_id", "ref_id", "label");
    Dataset<Row> knownPdq = known.filter(col("kind").equalTo("pdq"))
        .withColumn("_kw", PdqBands.words(col("hash")))
        .withColumn("_bits", PdqBands.bits(col("hash")))
        .withColumn("band_key", explode(PdqBands.bandKeys(col("_bits"), bands, bitsPerBand)));
    // The day's words and band keys come with the items (computed once, by the clustering).
    Dataset<Row> byPdq = clusterItems.filter(col("pdq").isNotNull())
        .select(col("cluster_id"), col("words"), explode(col("band_keys")).as("band_key"))
        .join(knownPdq, "band_key")
        .filter(PdqBands.distance(col("words"), col("_kw")).leq(maxDistance))
        .select("cluster_id", "ref_id", "label");
    return byMd5.unionByName(byPdq).distinct();
  }
}
