package nightwatch.eval;

import static nightwatch.eval.LinkClusterEval.majority;
import static nightwatch.eval.LinkClusterEval.round;
import static nightwatch.eval.LinkClusterEval.withNullColumn;
import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Media clusters against the generator's planted media campaigns. A flagged media cluster (kind media, propaganda
 * score at least the flagged-cluster score) belongs to whatever holds more than half of its messages: one planted
 * media campaign, or one planted text or link campaign (its members sharing one image is coordination too; both count
 * as right for precision). A flagged media cluster that no planted campaign owns (organic memes and ordinary
 * messages) is a false cluster. Recall is over the media campaigns.
 */
public final class MediaClusterEval {
  private MediaClusterEval() {}

  /**
   * @param truth       truth messages: message_id, campaign_id, and link_campaign and media_campaign when the generator
   *                    planted links and media
   * @param memberships the day's message_clusters rows: message_id, cluster_id
   * @param clusters    the day's clusters: cluster_id, propaganda_score, and kind when the job writes other clusters
   *                    than text ones
   */
  public static Map<String, Object> evaluate(Dataset<Row> truth, Dataset<Row> memberships, Dataset<Row> clusters,
                                             double flaggedClusterScore) {
    Dataset<Row> t = withNullColumn(withNullColumn(truth, "link_campaign"), "media_campaign")
        .select("message_id", "media_campaign", "link_campaign", "campaign_id");
    Dataset<Row> flagged = withNullColumn(clusters, "kind")
        .filter(col("kind").equalTo("media").and(col("propaganda_score").geq(flaggedClusterScore)))
        .select("cluster_id");
    // Small (the flagged media clusters' messages), and read by each figure below.
    Dataset<Row> members = memberships.select("message_id", "cluster_id").join(flagged, "cluster_id")
        .join(t, new String[] {"message_id"}, "left").localCheckpoint();
    Dataset<Row> sizes = members.groupBy("cluster_id").agg(count(lit(1)).as("_n"));
    Dataset<Row> mediaOwned = majority(members.filter(col("media_campaign").isNotNull()), "media_campaign", sizes);
    long ofOthers = majority(members.filter(col("media_campaign").isNull().and(col("campaign_id").isNotNull())),
        "campaign_id", sizes).count()
        + majority(members.filter(col("media_campaign").isNull().and(col("link_campaign").isNotNull())),
        "link_campaign", sizes).count();
    long flaggedN = sizes.count();
    long matched = mediaOwned.count() + ofOthers;
    long found = mediaOwned.select("media_campaign").distinct().count();
    long planted = t.filter(col("media_campaign").isNotNull()).select("media_campaign").distinct().count();

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("media_clusters_flagged", flaggedN);
    m.put("media_match_precision", planted == 0 || flaggedN == 0 ? null : round((double) matched / flaggedN));
    m.put("media_match_recall", planted == 0 ? null : round((double) found / planted));
    m.put("media_campaigns_planted", planted);
    m.put("media_clusters_of_text_or_link_campaigns", ofOthers);
    m.put("organic_media_false_clusters", flaggedN - matched);
    return m;
  }
}
