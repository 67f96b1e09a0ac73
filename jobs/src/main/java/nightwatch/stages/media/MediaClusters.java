package nightwatch.stages.media;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.stages.cluster.ClusterBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Media near-duplicate clusters of a day: messages whose images or videos are the same file (md5) or near-identical
 * images (PDQ within max-distance bits, found by bit-sampling LSH and verified exactly), posted by at least
 * min-accounts accounts. A message's media item is a node: its PDQ when it has one, else its md5.
 */
public final class MediaClusters {
  private MediaClusters() {}

  public static final String KIND = "media";

  /** message_id, account_id, pdq, md5 (lower case), node: one row per message and distinct media item. */
  public static Dataset<Row> items(Dataset<Row> messages) {
    return messages.filter(col("media").isNotNull())
        .select(col("message_id"), col("account_id"), explode(col("media")).as("_m"))
        .select(col("message_id"), col("account_id"), lower(col("_m.pdq")).as("pdq"), lower(col("_m.md5")).as("md5"))
        .filter(col("pdq").isNotNull().or(col("md5").isNotNull()))
        .withColumn("node", when(col("pdq").isNotNull(), xxhash64(lit("pdq"), col("pdq")))
            .otherwise(xxhash64(lit("md5"), col("md5"))))
        .dropDuplicates("message_id", "node");
  }

  /** node, pdq, words, band_keys: each distinct PDQ of the items once. */
  public static Dataset<Row> hashes(Dataset<Row> items, int bands, int bitsPerBand) {
    return items.filter(col("pdq").isNotNull()).select("node", "pdq").dropDuplicates("node")
        .withColumn("words", PdqBands.words(col("pdq")))
        .withColumn("_bits", PdqBands.bits(col("pdq")))
        .withColumn("band_keys", PdqBands.bandKeys(col("_bits"), bands, bitsPerBand))
        .drop("_bits");
  }

  /**
   * src, dst: each band bucket's nodes as star edges to its smallest node, kept when the two PDQs are within
   * {@code maxDistance} bits. Verified against the star's centre, so a chain of small changes cannot merge two images.
   */
  public static Dataset<Row> edges(Dataset<Row> hashes, int maxDistance) {
    Dataset<Row> star = hashes.select(col("node"), explode(col("band_keys")).as("band_key"))
        .withColumn("src", min("node").over(Window.partitionBy("band_key")))
        .filter(col("node").notEqual(col("src")))
        .select(col("src"), col("node").as("dst")).distinct();
    return star.join(hashes.select(col("node").as("src"), col("words").as("_ws")), "src")
        .join(hashes.select(col("node").as("dst"), col("words").as("_wd")), "dst")
        .filter(PdqBands.distance(col("_ws"), col("_wd")).leq(maxDistance))
        .select("src", "dst");
  }

  /**
   * message_id, node, component, media_hash, account_id of the items whose component (or node alone, without an edge) has
   * at least {@code minAccounts} accounts; media_hash is the component's least hash (PDQ, else md5).
   *
   * @param components node, component (ConnectedComponents)
   */
  public static Dataset<Row> members(Dataset<Row> items, Dataset<Row> components, int minAccounts) {
    Dataset<Row> withComponent = items.join(components, "node", "left")
        .withColumn("component", coalesce(col("component"), col("node")));
    Dataset<Row> qualifying = withComponent.groupBy("component")
        .agg(countDistinct("account_id").as("_accounts"), min(coalesce(col("pdq"), col("md5"))).as("media_hash"))
        .filter(col("_accounts").geq(minAccounts))
        .drop("_accounts");
    return withComponent.join(qualifying, "component")
        .select("message_id", "node", "component", "media_hash", "account_id");
  }

  /** The member messages as clustered rows: every column of {@code messages} plus component, cluster_id, kind. */
  public static Dataset<Row> assign(Dataset<Row> messages, Dataset<Row> members, LocalDate ds, boolean broadcast) {
    Dataset<Row> m = members.select("message_id", "component", "media_hash").dropDuplicates("message_id", "component");
    return messages.join(broadcast ? broadcast(m) : m, "message_id")
        .withColumn("cluster_id", ClusterBuilder.clusterId(ds))
        .withColumn("kind", lit(KIND));
  }
}
