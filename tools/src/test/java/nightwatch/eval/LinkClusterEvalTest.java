package nightwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class LinkClusterEvalTest extends SparkTest {
  static final StructType TRUTH = StructType.fromDDL("message_id STRING, campaign_id STRING, link_campaign STRING");
  static final StructType MEMBERS = StructType.fromDDL("message_id STRING, cluster_id STRING");
  static final StructType CLUSTERS = StructType.fromDDL("cluster_id STRING, kind STRING, propaganda_score DOUBLE");

  /** n messages "prefix0".."prefix(n-1)", each with the given campaign and link campaign. */
  private static List<Row> messages(String prefix, int n, String campaign, String linkCampaign) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(prefix + i, campaign, linkCampaign));
    }
    return out;
  }

  private static List<Row> members(String cluster, String prefix, int n) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(prefix + i, cluster));
    }
    return out;
  }

  private static Dataset<Row> df(List<Row> rows, StructType schema) {
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void aFlaggedLinkClusterMatchesTheLinkCampaignThatHoldsMostOfItsMessages() {
    List<Row> truth = new ArrayList<>();
    truth.addAll(messages("a", 6, null, "link-a"));
    truth.addAll(messages("b", 6, null, "link-b"));
    truth.addAll(messages("c", 6, "camp01", null));
    truth.addAll(messages("o", 6, null, null));
    List<Row> mem = new ArrayList<>();
    mem.addAll(members("k-a", "a", 6)); // link-a, found
    mem.addAll(members("k-a", "c", 2)); // two text campaign messages share its link: link-a still holds most
    mem.addAll(members("k-b", "b", 6)); // link-b, below the flagged score: not found
    mem.addAll(members("k-c", "c", 6)); // a text campaign's link
    mem.addAll(members("k-o", "o", 6)); // an organic link
    mem.addAll(members("t-a", "a", 6)); // a text cluster of the same messages: not a link cluster
    Dataset<Row> clusters = df(List.of(RowFactory.create("k-a", "link", 0.9), RowFactory.create("k-b", "link", 0.3),
        RowFactory.create("k-c", "link", 0.8), RowFactory.create("k-o", "link", 0.7),
        RowFactory.create("t-a", "text", 0.9)), CLUSTERS);

    Map<String, Object> m = LinkClusterEval.evaluate(df(truth, TRUTH), df(mem, MEMBERS), clusters, 0.5);

    assertEquals(3L, m.get("link_clusters_flagged"), "k-a, k-c and k-o are flagged link clusters");
    assertEquals(0.6667, m.get("link_cluster_precision"), "k-a (a link campaign) and k-c (a text campaign) of the three");
    assertEquals(0.5, m.get("link_cluster_recall"), "link-a of link-a and link-b is found");
    assertEquals(1L, m.get("link_clusters_of_text_campaigns"));
    assertEquals(1L, m.get("organic_link_false_clusters"), "k-o: most of its messages are in no planted campaign");
    assertEquals(false, m.containsKey("media_match_precision"), "media figures are MediaClusterEval's");
    assertNull(m.get("network_only_recall"));
  }

  @Test
  void withoutPlantedLinkCampaignsOrLinkClustersPrecisionAndRecallAreNull() {
    Dataset<Row> oldTruth = df(messages("c", 4, "camp01", null), TRUTH).drop("link_campaign");
    Dataset<Row> oldClusters = df(List.of(RowFactory.create("t-c", "text", 0.9)), CLUSTERS).drop("kind");
    Map<String, Object> m = LinkClusterEval.evaluate(oldTruth, df(members("t-c", "c", 4), MEMBERS), oldClusters, 0.5);
    assertNull(m.get("link_cluster_precision"));
    assertNull(m.get("link_cluster_recall"));
    assertEquals(0L, m.get("link_clusters_flagged"), "a warehouse without kind has text clusters only");
    assertEquals(0L, m.get("organic_link_false_clusters"));
  }
}
