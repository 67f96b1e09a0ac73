package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Link clusters against the generator's planted link campaigns. A flagged link cluster (kind link, propaganda score at
 * least the flagged-cluster score) belongs to whatever holds more than half of its messages: one planted link campaign
 * or one planted text campaign (its members share their texts' links too; both count as right for precision), or no
 * planted campaign at all (organic links and ordinary messages: a false cluster). Recall is over the link campaigns.
 */
public final class LinkClusterEval {
  private LinkClusterEval() {}

  /**
   * @param truth       truth messages: message_id, campaign_id, and link_campaign when the generator planted links
   * @param memberships the day's message_clusters rows: message_id, cluster_id
   * @param clusters    the day's clusters: cluster_id, propaganda_score, and kind when the job writes link clusters
   */
  public static Map<String, Object> evaluate(Dataset<Row> truth, Dataset<Row> memberships, Dataset<Row> clusters,
                                             double flaggedClusterScore) {
    Dataset<Row> t = withNullColumn(truth, "link_campaign").select("message_id", "link_campaign", "campaign_id");
    Dataset<Row> flagged = withNullColumn(clusters, "kind")
        .filter(col("kind").equalTo("link").and(col("propaganda_score").geq(flaggedClusterScore)))
        .select("cluster_id");
    // Small (the flagged link clusters' messages), and read by each figure below.
    Dataset<Row> members = memberships.select("message_id", "cluster_id").join(flagged, "cluster_id")
        .join(t, new String[] {"message_id"}, "left").localCheckpoint();
    Dataset<Row> sizes = members.groupBy("cluster_id").agg(count(lit(1)).as("_n"),
        sum(when(col("link_campaign").isNull().and(col("campaign_id").isNull()), 1L).otherwise(0L)).as("_unplanted"));
    Dataset<Row> linkOwned = majority(members.filter(col("link_campaign").isNotNull()), "link_campaign", sizes);
    Dataset<Row> textOwned = majority(members.filter(col("link_campaign").isNull().and(col("campaign_id").isNotNull())),
        "campaign_id", sizes);
    long flaggedN = sizes.count();
    long ofText = textOwned.count();
    // A link cluster of a planted text campaign is coordinated sharing too: right, not a false cluster.
    long matched = linkOwned.count() + ofText;
    long found = linkOwned.select("link_campaign").distinct().count();
    long planted = t.filter(col("link_campaign").isNotNull()).select("link_campaign").distinct().count();

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("link_clusters_flagged", flaggedN);
    m.put("link_cluster_precision", planted == 0 || flaggedN == 0 ? null : round((double) matched / flaggedN));
    m.put("link_cluster_recall", planted == 0 ? null : round((double) found / planted));
    m.put("link_campaigns_planted", planted);
    m.put("link_clusters_of_text_campaigns", ofText);
    m.put("organic_link_false_clusters", sizes.filter(col("_unplanted").multiply(2).gt(col("_n"))).count());
    // Not computed yet: clusters found from the network alone.
    m.put("network_only_recall", null);
    return m;
  }

  /** cluster_id and {@code owner}: the clusters of which one owner holds more than half of the messages. */
  static Dataset<Row> majority(Dataset<Row> members, String owner, Dataset<Row> sizes) {
    return members.groupBy("cluster_id", owner).agg(count(lit(1)).as("_k"))
        .join(sizes, "cluster_id")
        .filter(col("_k").multiply(2).gt(col("_n")))
        .select("cluster_id", owner);
  }

  /** The frame with {@code name} as a null string column when it does not have it (an older truth or warehouse). */
  static Dataset<Row> withNullColumn(Dataset<Row> df, String name) {
    return Arrays.asList(df.columns()).contains(name) ? df : df.withColumn(name, lit(null).cast("string"));
  }

  static Double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }
}
