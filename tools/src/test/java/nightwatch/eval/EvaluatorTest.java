package nightwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nightwatch.SparkTest;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation of one day on a hand-made warehouse and truth: a few messages, one text and two link clusters. */
class EvaluatorTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2026, 11, 20);

  @Test
  void textClusterFiguresLeaveLinkClustersOutAndLinkClustersAreScoredApart(@TempDir Path dir) {
    String truthDir = dir.resolve("input").toString();
    Warehouse wh = new Warehouse(spark, dir.resolve("warehouse").toString());
    Date ds = Date.valueOf(DS);
    // t0..t3: one planted near-duplicate group of camp00; l0..l3: link campaign posts; n0..n3: a news link.
    List<Row> truth = new ArrayList<>();
    List<Row> posted = new ArrayList<>();
    List<Row> memberships = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      truth.add(RowFactory.create("t" + i, "camp00/s0/en", "propaganda", "camp00", null, null));
      truth.add(RowFactory.create("l" + i, null, "link_campaign", null, "link-1", null));
      truth.add(RowFactory.create("n" + i, null, "background", null, null, "news-1"));
      for (String m : List.of("t", "l", "n")) {
        posted.add(RowFactory.create(m + i, "acct-" + m + i));
      }
      memberships.add(RowFactory.create(ds, "t" + i, "c-text"));
      memberships.add(RowFactory.create(ds, "l" + i, "c-link"));
      memberships.add(RowFactory.create(ds, "n" + i, "c-news"));
    }
    memberships.add(RowFactory.create(ds, "t0", "c-link")); // t0 also shares the campaign's link
    spark.createDataFrame(truth, StructType.fromDDL("message_id STRING, truth_cluster STRING, kind STRING, "
        + "campaign_id STRING, link_campaign STRING, organic_link STRING"))
        .write().parquet(truthDir + "/_truth/messages");
    spark.createDataFrame(List.of(RowFactory.create("acct-t0", "propagandist", "camp00", null)),
        StructType.fromDDL("account_id STRING, role STRING, campaign_id STRING, evades_account_id STRING"))
        .write().parquet(truthDir + "/_truth/accounts");
    spark.createDataFrame(posted, StructType.fromDDL("message_id STRING, account_id STRING"))
        .write().json(truthDir + "/messages");
    spark.createDataFrame(memberships, StructType.fromDDL("ds DATE, message_id STRING, cluster_id STRING"))
        .write().format("delta").save(wh.path(Tables.MESSAGE_CLUSTERS));
    spark.createDataFrame(List.of(RowFactory.create(ds, "c-text", "text", 0.9, "camp-a"),
            RowFactory.create(ds, "c-link", "link", 0.9, null), RowFactory.create(ds, "c-news", "link", 0.6, null)),
        StructType.fromDDL("ds DATE, cluster_id STRING, kind STRING, propaganda_score DOUBLE, campaign_id STRING"))
        .write().format("delta").save(wh.path(Tables.CLUSTERS));
    spark.createDataFrame(List.of(), Tables.schema(Tables.SUSPENSION_CANDIDATES).struct())
        .write().format("delta").save(wh.path(Tables.SUSPENSION_CANDIDATES));

    Map<String, Object> m = Evaluator.evaluate(spark, wh, DS, truthDir, 0.5);

    assertEquals(1.0, m.get("cluster_pair_precision"), "the link clusters' pairs are no text pairs");
    assertEquals(1.0, m.get("cluster_pair_recall"));
    assertEquals(1.0, m.get("cluster_ari"));
    assertEquals(2L, m.get("link_clusters_flagged"));
    assertEquals(0.5, m.get("link_cluster_precision"), "c-link of c-link and c-news");
    assertEquals(1.0, m.get("link_cluster_recall"));
    assertEquals(1L, m.get("organic_link_false_clusters"), "c-news");
    assertEquals(true, m.containsKey("media_match_recall") && m.get("media_match_recall") == null,
        "no media campaign planted (a truth without media_campaign)");
    assertEquals(0L, m.get("media_clusters_flagged"));
  }
}
