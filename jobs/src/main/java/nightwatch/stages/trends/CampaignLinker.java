package nightwatch.stages.trends;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Follows flagged clusters across days: a cluster joins the campaign whose stored band keys (from the
 * representative texts of its earlier days) share the most LSH bands with the cluster's texts; a cluster
 * that shares none starts a campaign named after itself. The index is the campaigns table itself.
 */
public final class CampaignLinker {
  private CampaignLinker() {}

  /** Most band keys kept per campaign, so the index stays bounded as a campaign drifts. */
  public static final int MAX_KEYS = 256;

  /**
   * @param clusterBands flagged clusters' {@code cluster_id}, {@code band_key} (bands of all their texts)
   * @param campaigns    the campaigns table ({@code campaign_id}, {@code band_keys})
   * @return {@code cluster_id}, {@code campaign_id} for every cluster in clusterBands
   */
  public static Dataset<Row> link(Dataset<Row> clusterBands, Dataset<Row> campaigns) {
    Dataset<Row> index = campaigns.select(col("campaign_id"), explode(col("band_keys")).as("band_key"));
    Dataset<Row> votes = clusterBands.distinct().join(index, "band_key")
        .groupBy("cluster_id", "campaign_id").agg(count(lit(1)).as("_shared"));
    Dataset<Row> best = votes
        .withColumn("_rn", row_number().over(Window.partitionBy("cluster_id")
            .orderBy(col("_shared").desc(), col("campaign_id"))))
        .filter(col("_rn").equalTo(1)).select("cluster_id", "campaign_id");
    return clusterBands.select("cluster_id").distinct()
        .join(best, "cluster_id", "left")
        .withColumn("campaign_id", coalesce(col("campaign_id"), concat(lit("cmp-"), col("cluster_id"))));
  }

  /** New band keys per campaign: the bands of each linked cluster's most copied text. */
  public static Dataset<Row> newKeys(Dataset<Row> repBands, Dataset<Row> links) {
    return repBands.join(links, "cluster_id")
        .groupBy("campaign_id").agg(slice(sort_array(collect_set("band_key")), 1, MAX_KEYS).as("band_keys"));
  }
}
