package nightwatch.stages.scoring;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClusterScorerTest extends SparkTest {
  static final String STATS = "cluster_id string, distinct_accounts bigint, max_accounts_60s bigint, "
      + "max_accounts_1h bigint, young_account_share double, suspended_account_share double, "
      + "max_accounts_created_together bigint";

  static Dataset<Row> stats() {
    return df(spark, STATS,
        r("known", 10L, 1L, 2L, 0.0, 0.0, 1L),
        r("burst", 5L, 5L, 5L, 1.0, 0.0, 1L),
        r("quiet", 10L, 1L, 2L, 0.0, 0.0, 1L),
        r("reported", 10L, 1L, 2L, 0.0, 0.0, 1L),
        r("suspended", 4L, 1L, 1L, 0.0, 0.25, 2L),
        r("together", 20L, 4L, 10L, 0.0, 0.0, 6L),
        r("together-quiet", 20L, 1L, 1L, 0.0, 0.0, 6L));
  }

  @Test
  void scoresReasonsAndFlags() {
    Dataset<Row> known = df(spark, "cluster_id string, ref_id string, label string",
        r("known", "k2", "group-b"), r("known", "k1", "group-a"), r("known", "k1", "group-a"));
    Dataset<Row> reports = df(spark, "cluster_id string, cluster_reports_weighted double", r("reported", 5.0));
    Map<String, Row> c = new TreeMap<>();
    for (Row x : ClusterScorer.score(stats(), known, reports, NightwatchConfig.defaults().scoring()).collectAsList()) {
      c.put(x.getAs("cluster_id"), x);
    }
    // 10 accounts, at most 1 in a minute and 2 in an hour: burst = max(2 * 0.1 * 1/5, 0.2 * 2/10) = 0.04,
    // coordination = 0.04 * (0.4 + young 0) = 0.016.
    assertEquals(1 - 0.1 * (1 - 0.016 * 0.9), c.get("known").<Double>getAs("propaganda_score"), 1e-9,
        "known match (0.9) noisy-OR coordination 0.016*0.9");
    assertEquals(List.of("k1", "k2"), c.get("known").getList(c.get("known").fieldIndex("known_refs")), "refs");
    assertEquals(List.of("group-a", "group-b"), c.get("known").getList(c.get("known").fieldIndex("known_labels")),
        "labels");
    assertEquals(List.of("KNOWN_PROPAGANDA"), c.get("known").getList(c.get("known").fieldIndex("reasons")), "reasons");

    assertEquals(1.0, c.get("burst").<Double>getAs("coordination_score"), 1e-9, "all 5 in one minute, all young");
    assertEquals(0.9, c.get("burst").<Double>getAs("propaganda_score"), 1e-9, "coordination 1.0 weighs 0.9");
    assertEquals(List.of("COORDINATED_BURST", "YOUNG_ACCOUNTS"),
        c.get("burst").getList(c.get("burst").fieldIndex("reasons")), "burst reasons");

    // 4 accounts, 1 per minute and per hour: burst = max(2 * 0.25 * 1/5, 0.25 * 1/10) = 0.1, coordination 0.04.
    assertEquals(1 - (1 - 0.04 * 0.9) * (1 - 0.75 * 0.8), c.get("suspended").<Double>getAs("propaganda_score"), 1e-9,
        "suspended share 0.25 -> 0.75*0.8, noisy-OR coordination 0.04*0.9");
    assertEquals(List.of("SUSPENDED_OVERLAP"), c.get("suspended").getList(c.get("suspended").fieldIndex("reasons")),
        "suspended reasons");

    assertEquals(1 - (1 - 0.016 * 0.9) * (1 - 0.5 * 0.4), c.get("reported").<Double>getAs("propaganda_score"), 1e-9,
        "0.5 reports/account -> 0.2 (reports alone stay below the flag threshold), noisy-OR coordination 0.016*0.9");
    assertEquals(List.of("REPORTED"), c.get("reported").getList(c.get("reported").fieldIndex("reasons")), "reasons");

    Row quiet = c.get("quiet");
    assertEquals(0.016, quiet.<Double>getAs("coordination_score"), 1e-9, "burst 0.04 * (0.4 + 0)");
    assertEquals(List.of(), quiet.getList(quiet.fieldIndex("reasons")), "no signal, no reason");
    assertNull(quiet.getAs("known_refs"), "no known refs");

    // 20 accounts, 4 in a minute, 10 in an hour: burst = max(2 * 0.2 * 4/5, 0.5 * 10/10) = 0.5. Six created within
    // an hour: created = min(1, 6/20 * 4) * min(1, (6 - 2) / 3) = 1, so coordination = 0.5 * (0.4 + 0 + 1) = 0.7.
    Row together = c.get("together");
    assertEquals(0.7, together.<Double>getAs("coordination_score"), 1e-9, "burst weighted up by accounts created together");
    assertEquals(0.7 * 0.9, together.<Double>getAs("propaganda_score"), 1e-9, "coordination 0.7 weighs 0.9");
    assertEquals(List.of("COORDINATED_BURST", "CREATED_TOGETHER"), together.getList(together.fieldIndex("reasons")),
        "together reasons");
    // The same accounts posting one at a time: burst = max(2 * 0.05 * 1/5, 0.05 * 1/10) = 0.02.
    Row quietTogether = c.get("together-quiet");
    assertEquals(0.02 * 1.4, quietTogether.<Double>getAs("coordination_score"), 1e-9, "no burst, no coordination");
    assertEquals(List.of("CREATED_TOGETHER"), quietTogether.getList(quietTogether.fieldIndex("reasons")),
        "the signal is shown even when it does not flag");

    Map<String, Boolean> flagged = new TreeMap<>();
    c.forEach((k, v) -> flagged.put(k, v.getAs("flagged")));
    assertEquals(Map.of("known", true, "burst", true, "suspended", true, "reported", false, "quiet", false,
        "together", true, "together-quiet", false), flagged,
        "flagged at propaganda_score >= 0.5");
  }
}
