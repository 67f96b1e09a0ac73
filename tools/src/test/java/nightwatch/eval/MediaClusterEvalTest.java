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

class MediaClusterEvalTest extends SparkTest {
  static final StructType TRUTH = StructType.fromDDL(
      "message_id STRING, campaign_id STRING, link_campaign STRING, media_campaign STRING, organic_media STRING");
  static final StructType MEMBERS = StructType.fromDDL("message_id STRING, cluster_id STRING");
  static final StructType CLUSTERS = StructType.fromDDL("cluster_id STRING, kind STRING, propaganda_score DOUBLE");

  /** n messages "prefix0".."prefix(n-1)", each with the given truth. */
  private static List<Row> messages(String prefix, int n, String campaign, String media, String meme) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(prefix + i, campaign, null, media, meme));
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
  void aFlaggedMediaClusterMatchesTheMediaCampaignThatHoldsMostOfItsMessages() {
    List<Row> truth = new ArrayList<>();
    truth.addAll(messages("a", 6, null, "media-a", null));
    truth.addAll(messages("b", 6, null, "media-b", null));
    truth.addAll(messages("c", 6, "camp01", null, null));
    truth.addAll(messages("m", 6, null, null, "meme-0"));
    List<Row> mem = new ArrayList<>();
    mem.addAll(members("k-a", "a", 6)); // media-a, found
    mem.addAll(members("k-a", "m", 2)); // two meme posts near the image: media-a still holds most
    mem.addAll(members("k-b", "b", 6)); // media-b, below the flagged score: not found
    mem.addAll(members("k-c", "c", 6)); // a text campaign's image: right
    mem.addAll(members("k-m", "m", 6)); // a meme: a false cluster
    mem.addAll(members("t-b", "b", 6)); // a text cluster of media-b's messages: not a media cluster
    mem.addAll(members("l-b", "b", 6)); // a link cluster of them: not a media cluster either
    Dataset<Row> clusters = df(List.of(RowFactory.create("k-a", "media", 0.9), RowFactory.create("k-b", "media", 0.3),
        RowFactory.create("k-c", "media", 0.8), RowFactory.create("k-m", "media", 0.7),
        RowFactory.create("t-b", "text", 0.9), RowFactory.create("l-b", "link", 0.9)), CLUSTERS);

    Map<String, Object> m = MediaClusterEval.evaluate(df(truth, TRUTH), df(mem, MEMBERS), clusters, 0.5);

    assertEquals(3L, m.get("media_clusters_flagged"), "k-a, k-c and k-m are flagged media clusters");
    assertEquals(0.6667, m.get("media_match_precision"), "k-a (a media campaign) and k-c (a text campaign) of three");
    assertEquals(0.5, m.get("media_match_recall"), "media-a of media-a and media-b is found");
    assertEquals(2L, m.get("media_campaigns_planted"));
    assertEquals(1L, m.get("media_clusters_of_text_or_link_campaigns"));
    assertEquals(1L, m.get("organic_media_false_clusters"), "k-m: a meme, no planted campaign");
  }

  @Test
  void withoutPlantedMediaCampaignsPrecisionAndRecallAreNull() {
    Dataset<Row> oldTruth = df(messages("c", 4, "camp01", null, null), TRUTH)
        .drop("link_campaign", "media_campaign", "organic_media");
    Dataset<Row> oldClusters = df(List.of(RowFactory.create("t-c", "text", 0.9)), CLUSTERS).drop("kind");
    Map<String, Object> m = MediaClusterEval.evaluate(oldTruth, df(members("t-c", "c", 4), MEMBERS), oldClusters, 0.5);
    assertNull(m.get("media_match_precision"));
    assertNull(m.get("media_match_recall"));
    assertEquals(0L, m.get("media_clusters_flagged"), "a warehouse without kind has text clusters only");
    assertEquals(0L, m.get("organic_media_false_clusters"));
  }
}
