package nightwatch.job;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ReportHistoryTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-03-10");

  static Date d(String s) {
    return Date.valueOf(s);
  }

  static Object map(Map<String, Long> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(m);
  }

  static Dataset<Row> metrics(Object[]... rows) {
    return df(spark, "ds date, metric string, value bigint", rows);
  }

  /** metric -> row of baseline(), for asserting. */
  static Map<String, Row> byMetric(Dataset<Row> d) {
    Map<String, Row> m = new TreeMap<>();
    for (Row x : d.collectAsList()) {
      m.put(x.getAs("metric"), x);
    }
    return m;
  }

  @Test
  void baselineIsTheLatestDayAndTheMedianOfTheEarlierDays() {
    Map<String, Row> b = byMetric(ReportHistory.baseline(metrics(
        // messages on four days: median of 100, 200, 300, 1000 is (200 + 300) / 2
        r(d("2026-03-03"), "messages", 300L), r(d("2026-03-05"), "messages", 100L),
        r(d("2026-03-08"), "messages", 200L), r(d("2026-03-09"), "messages", 1000L),
        // T1 on three days: median 4; reports missing on the latest day (no successful run recorded)
        r(d("2026-03-05"), "T1", 4L), r(d("2026-03-08"), "T1", 9L), r(d("2026-03-09"), "T1", 0L),
        r(d("2026-03-05"), "reports", 7L))));
    assertEquals(Date.valueOf("2026-03-09"), b.get("messages").getAs("prev_ds"));
    assertEquals(1000L, b.get("messages").<Long>getAs("prev_value"));
    assertEquals(250.0, b.get("messages").<Double>getAs("median"), 0.0);
    assertEquals(4L, b.get("messages").<Long>getAs("days"));
    assertEquals(0L, b.get("T1").<Long>getAs("prev_value"));
    assertEquals(4.0, b.get("T1").<Double>getAs("median"), 0.0);
    assertEquals(3L, b.get("T1").<Long>getAs("days"));
    assertEquals(Date.valueOf("2026-03-09"), b.get("reports").getAs("prev_ds"), "the same previous day for all");
    assertNull(b.get("reports").getAs("prev_value"), "not known on the previous day");
    assertEquals(7.0, b.get("reports").<Double>getAs("median"), 0.0);
  }

  @Test
  void baselineOfNoEarlierDayIsEmpty() {
    assertEquals(0, ReportHistory.baseline(metrics()).count());
  }

  static Row run(String ds, String outcome, int minute, Map<String, Long> counts) {
    Timestamp t = Timestamp.valueOf("2026-03-10 00:0" + minute + ":00");
    return RowFactory.create(d(ds), outcome, t, map(counts));
  }

  @Test
  void dailyMetricsReadLatestSuccessfulRunsClustersAndCandidates() {
    List<Row> runs = new ArrayList<>();
    runs.add(run("2026-03-08", "success", 1, Map.of("messages", 100L, "reports", 5L, "rejected_rows", 1L)));
    runs.add(run("2026-03-08", "success", 2, Map.of("messages", 120L, "reports", 6L, "rejected_rows", 0L)));
    runs.add(run("2026-03-08", "failed", 3, Map.of("messages", 999L)));
    runs.add(run("2026-03-02", "success", 1, Map.of("messages", 777L))); // outside the window
    Dataset<Row> jobRuns = spark.createDataFrame(runs,
        StructType.fromDDL("ds date, outcome string, ended_at timestamp, row_counts map<string,bigint>"));
    Dataset<Row> clusters = df(spark, "ds date, cluster_id string, messages bigint, propaganda_score double, "
            + "campaign_id string",
        r(d("2026-03-08"), "a", 10L, 0.9, "cmp-a"), r(d("2026-03-08"), "b", 4L, 0.2, null),
        r(d("2026-03-08"), "c", 6L, 0.7, "cmp-c"),
        // 03-09: clusters but no successful run recorded: job_runs metrics unknown, not zero
        r(d("2026-03-09"), "d", 3L, 0.1, null),
        r(d("2026-03-01"), "z", 50L, 0.9, "cmp-z"));
    Dataset<Row> candidates = df(spark, "ds date, account_id string, tier string",
        r(d("2026-03-08"), "u1", "T1"), r(d("2026-03-08"), "u2", "T3"), r(d("2026-03-08"), "u3", "T3"),
        r(d("2026-03-08"), "u4", null));
    Map<String, Long> got = new TreeMap<>();
    for (Row x : ReportHistory.dailyMetrics(jobRuns, clusters, candidates, 0.7, LocalDate.parse("2026-03-03"),
        LocalDate.parse("2026-03-09")).collectAsList()) {
      got.put(x.getAs("ds").toString() + " " + x.getAs("metric"), x.getAs("value"));
    }
    Map<String, Long> want = new TreeMap<>();
    want.put("2026-03-08 messages", 120L); // the later successful run wins
    want.put("2026-03-08 reports", 6L);
    want.put("2026-03-08 rejected_rows", 0L);
    want.put("2026-03-08 clusters", 3L);
    want.put("2026-03-08 flagged_clusters", 2L); // score >= 0.7
    want.put("2026-03-08 flagged_messages", 16L); // clusters with a campaign
    want.put("2026-03-08 T1", 1L);
    want.put("2026-03-08 T2", 0L);
    want.put("2026-03-08 T3", 2L);
    want.put("2026-03-09 clusters", 1L);
    want.put("2026-03-09 flagged_clusters", 0L);
    want.put("2026-03-09 flagged_messages", 0L);
    want.put("2026-03-09 T1", 0L);
    want.put("2026-03-09 T2", 0L);
    want.put("2026-03-09 T3", 0L);
    assertEquals(want, got);
  }

  @Test
  void reviewPrecisionPerListDayAndTier() {
    Dataset<Row> candidates = df(spark, "ds date, account_id string, tier string",
        r(d("2026-03-08"), "a", "T1"), r(d("2026-03-08"), "b", "T1"), r(d("2026-03-08"), "c", "T1"),
        r(d("2026-03-08"), "e", "T1"),
        r(d("2026-03-08"), "f", "T2"), r(d("2026-03-08"), "g", "T2"),
        r(d("2026-03-09"), "a", "T1"),
        r(d("2026-03-08"), "p", null), // protected_review: no tier, not a list entry
        r(d("2026-02-01"), "old", "T1")); // outside the window
    Dataset<Row> decisions = df(spark, "ds date, account_id string, decision string",
        r(d("2026-03-08"), "a", "suspend"), r(d("2026-03-08"), "b", "SUSPEND"),
        r(d("2026-03-08"), "c", "dismiss"), r(d("2026-03-08"), "e", "escalate"), // not a verdict
        r(d("2026-03-08"), "f", "counter_speech"),
        // a decision about a's 03-08 entry does not decide its 03-09 entry (decisions are per list day)
        r(d("2026-03-08"), "p", "dismiss"), r(d("2026-02-01"), "old", "suspend"));
    Map<String, Row> got = new TreeMap<>();
    for (Row x : ReportHistory.reviewOutcomes(candidates, decisions, LocalDate.parse("2026-02-24"),
        LocalDate.parse("2026-03-09")).collectAsList()) {
      got.put(x.getAs("ds").toString() + " " + x.getAs("tier"), x);
    }
    assertEquals(List.of("2026-03-08 T1", "2026-03-08 T2", "2026-03-09 T1"), new ArrayList<>(got.keySet()));
    Row t1 = got.get("2026-03-08 T1");
    assertEquals(List.of(4L, 3L, 2L, 1L), List.of(t1.<Long>getAs("candidates"), t1.<Long>getAs("decided"),
        t1.<Long>getAs("confirmed"), t1.<Long>getAs("dismissed")));
    assertEquals(2.0 / 3, t1.<Double>getAs("precision"), 1e-12);
    Row t2 = got.get("2026-03-08 T2");
    assertEquals(List.of(2L, 1L, 0L, 1L), List.of(t2.<Long>getAs("candidates"), t2.<Long>getAs("decided"),
        t2.<Long>getAs("confirmed"), t2.<Long>getAs("dismissed")));
    assertEquals(0.0, t2.<Double>getAs("precision"), 0.0);
    Row undecided = got.get("2026-03-09 T1");
    assertEquals(0L, undecided.<Long>getAs("decided"));
    assertNull(undecided.getAs("precision"), "no decision: precision unknown, not 0");
  }

  @Test
  void campaignDaysCountNewGrowingAndReturned() {
    Dataset<Row> trends = df(spark, "ds date, campaign_id string, messages bigint, prev_messages bigint, "
            + "messages_change double",
        r(d("2026-03-09"), "new1", 10L, null, null),
        r(d("2026-03-09"), "grow", 15L, 10L, 0.5),      // exactly +50%: growing
        r(d("2026-03-09"), "steady", 11L, 10L, 0.1),
        r(d("2026-03-09"), "back", 8L, null, null),     // seen on 03-01, not on 03-08: returned
        r(d("2026-03-10"), "grow", 40L, 15L, 40.0 / 15 - 1),
        r(d("2026-03-10"), "new2", 5L, null, null));
    Dataset<Row> campaigns = df(spark, "campaign_id string, first_seen date",
        r("new1", d("2026-03-09")), r("grow", d("2026-03-05")), r("steady", d("2026-03-01")),
        r("back", d("2026-03-01")), r("new2", d("2026-03-10")));
    Map<String, List<Long>> got = new TreeMap<>();
    for (Row x : ReportHistory.campaignDays(trends, campaigns, LocalDate.parse("2026-02-25"), DS).collectAsList()) {
      got.put(x.getAs("ds").toString(), List.of(x.<Long>getAs("new_campaigns"), x.<Long>getAs("growing"),
          x.<Long>getAs("returned"), x.<Long>getAs("campaigns")));
    }
    assertEquals(Map.of("2026-03-09", List.of(1L, 1L, 1L, 4L), "2026-03-10", List.of(1L, 1L, 0L, 2L)), got);
    assertTrue(ReportHistory.campaignDays(trends, campaigns, LocalDate.parse("2026-03-11"),
        LocalDate.parse("2026-03-12")).isEmpty());
  }
}
