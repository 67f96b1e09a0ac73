package nightwatch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.report.ReportData;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReportDataBuilder against real Delta tables (created from schemas/) holding a few hand-written rows on
 * earlier days: what the report model gets for the comparisons, review outcomes and campaign chart.
 */
class ReportDataBuilderTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-03-10");

  @TempDir
  static Path tmp;
  static ReportData data;

  static Date d(String s) {
    return Date.valueOf(s);
  }

  /** One row of table with the given columns; other columns null, or a neutral value where not nullable. */
  static Row row(String table, Object... kv) {
    Map<String, Object> given = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      given.put((String) kv[i], kv[i + 1]);
    }
    StructType s = Tables.schema(table).struct();
    List<Object> values = new ArrayList<>();
    for (StructField f : s.fields()) {
      values.add(given.containsKey(f.name()) ? given.remove(f.name()) : f.nullable() ? null : neutral(f.dataType()));
    }
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("not columns of " + table + ": " + given.keySet());
    }
    return RowFactory.create(values.toArray());
  }

  static Object neutral(DataType t) {
    if (t instanceof ArrayType) {
      return List.of();
    }
    if (t instanceof MapType) {
      return scala.jdk.javaapi.CollectionConverters.asScala(Map.of());
    }
    if (t.equals(DataTypes.StringType)) {
      return "";
    }
    if (t.equals(DataTypes.LongType)) {
      return 0L;
    }
    if (t.equals(DataTypes.IntegerType)) {
      return 0;
    }
    if (t.equals(DataTypes.DoubleType)) {
      return 0.0;
    }
    if (t.equals(DataTypes.BooleanType)) {
      return false;
    }
    if (t.equals(DataTypes.TimestampType)) {
      return Timestamp.valueOf("2026-03-01 00:00:00");
    }
    throw new IllegalArgumentException("no neutral value for " + t);
  }

  static void append(Warehouse wh, String table, Row... rows) {
    wh.append(table, spark.createDataFrame(List.of(rows), Tables.schema(table).struct()));
  }

  static Row run(String ds, int minute, long messages, long reports, long rejected) {
    Timestamp t = Timestamp.valueOf("2026-03-10 00:0" + minute + ":00");
    return row(Tables.JOB_RUNS, "ds", d(ds), "run_id", ds + minute, "started_at", t, "ended_at", t,
        "outcome", "success", "row_counts", scala.jdk.javaapi.CollectionConverters.asScala(
            Map.of("messages", messages, "reports", reports, "rejected_rows", rejected)));
  }

  static Row cluster(String ds, String id, long messages, double score, String campaign) {
    return row(Tables.CLUSTERS, "ds", d(ds), "cluster_id", id, "messages", messages, "propaganda_score", score,
        "campaign_id", campaign, "first_seen", Timestamp.valueOf(ds + " 10:00:00"),
        "last_seen", Timestamp.valueOf(ds + " 11:00:00"));
  }

  static Row candidate(String ds, String account, String tier) {
    return row(Tables.SUSPENSION_CANDIDATES, "ds", d(ds), "account_id", account, "tier", tier,
        "status", tier == null ? "protected_review" : "candidate");
  }

  static Row decision(String ds, String account, String decision) {
    return row(Tables.REVIEW_DECISIONS, "ds", d(ds), "account_id", account, "decision", decision);
  }

  @BeforeAll
  static void build() {
    Map<String, Object> o = new java.util.HashMap<>();
    o.put("nightwatch.warehouse", tmp.resolve("wh").toString());
    NightwatchConfig cfg = NightwatchConfig.load(null, o);
    Warehouse wh = new Warehouse(spark, cfg.warehouse());
    for (String t : List.of(Tables.JOB_RUNS, Tables.CLUSTERS, Tables.SUSPENSION_CANDIDATES, Tables.REJECTED_RECORDS,
        Tables.REVIEW_DECISIONS, Tables.CAMPAIGN_TRENDS, Tables.CAMPAIGNS)) {
      wh.ensureTable(t); // the tables the report reads
    }
    append(wh, Tables.JOB_RUNS, run("2026-03-01", 1, 5000, 0, 0), // 9 days back: in the chart, not the median
        run("2026-03-08", 1, 100, 4, 2), run("2026-03-09", 1, 250, 9, 9), run("2026-03-09", 2, 300, 6, 0));
    append(wh, Tables.CLUSTERS, cluster("2026-03-08", "a", 10, 0.9, "cmp-1"), cluster("2026-03-08", "b", 20, 0.8,
        "cmp-2"), cluster("2026-03-08", "c", 5, 0.1, null), cluster("2026-03-09", "d", 40, 0.9, "cmp-1"),
        cluster("2026-03-10", "e", 50, 0.9, "cmp-1"));
    append(wh, Tables.SUSPENSION_CANDIDATES, candidate("2026-03-08", "u1", "T1"),
        candidate("2026-03-08", "u2", "T1"), candidate("2026-03-09", "u3", "T1"), candidate("2026-03-09", "u4", "T2"),
        candidate("2026-03-09", "news", null), candidate("2026-03-10", "u5", "T1"));
    append(wh, Tables.REVIEW_DECISIONS, decision("2026-03-08", "u1", "suspend"), decision("2026-03-08", "u2",
        "dismiss"), decision("2026-03-09", "u3", "suspend"), decision("2026-03-09", "news", "dismiss"));
    append(wh, Tables.CAMPAIGN_TRENDS,
        row(Tables.CAMPAIGN_TRENDS, "ds", d("2026-03-08"), "campaign_id", "cmp-1", "messages", 10L),
        row(Tables.CAMPAIGN_TRENDS, "ds", d("2026-03-08"), "campaign_id", "cmp-2", "messages", 20L),
        row(Tables.CAMPAIGN_TRENDS, "ds", d("2026-03-09"), "campaign_id", "cmp-1", "messages", 40L,
            "prev_messages", 10L, "messages_change", 3.0),
        row(Tables.CAMPAIGN_TRENDS, "ds", d("2026-03-10"), "campaign_id", "cmp-1", "messages", 50L,
            "prev_messages", 40L, "messages_change", 0.25));
    append(wh, Tables.CAMPAIGNS, row(Tables.CAMPAIGNS, "campaign_id", "cmp-1", "first_seen", d("2026-03-08"),
            "last_seen", d("2026-03-10"), "status", "steady"),
        row(Tables.CAMPAIGNS, "campaign_id", "cmp-2", "first_seen", d("2026-03-08"), "last_seen", d("2026-03-08"),
            "status", "dormant"));
    // Today's job_runs row is written after the report: today's run counts come from the job.
    data = ReportDataBuilder.build(spark, wh, DS, cfg, Map.of("messages", 200L, "reports", 5L, "rejected_rows", 1L),
        Map.of());
  }

  @Test
  void baselinesArePreviousDayAndMedianOfTheSevenDaysBefore() {
    Map<String, ReportData.Baseline> b = data.baselines();
    assertEquals(new ReportData.Baseline("2026-03-09", 300L, 200.0, 2), b.get("messages"),
        "latest run of 03-09; median of 100 and 300 (03-01 is more than 7 days back)");
    assertEquals(new ReportData.Baseline("2026-03-09", 6L, 5.0, 2), b.get("reports"));
    assertEquals(new ReportData.Baseline("2026-03-09", 0L, 1.0, 2), b.get("rejected_rows"));
    assertEquals(new ReportData.Baseline("2026-03-09", 40L, 35.0, 2), b.get("flagged_messages"));
    assertEquals(new ReportData.Baseline("2026-03-09", 1L, 1.5, 2), b.get("flagged_clusters"));
    assertEquals(new ReportData.Baseline("2026-03-09", 1L, 1.5, 2), b.get("T1"));
    assertEquals(new ReportData.Baseline("2026-03-09", 1L, 0.5, 2), b.get("T2"));
    assertEquals(1L, data.flaggedClusters());
    assertEquals(50L, data.flaggedMessages());
  }

  @Test
  void historyHasEveryDayWithDataInTheLastFourteen() {
    assertEquals(List.of(new ReportData.DayPoint("2026-03-01", 0, 0, 0), new ReportData.DayPoint("2026-03-08", 30, 2, 2),
        new ReportData.DayPoint("2026-03-09", 40, 1, 2), new ReportData.DayPoint("2026-03-10", 50, 1, 1)),
        data.history());
  }

  @Test
  void reviewOutcomesOfEarlierListsPerTier() {
    assertEquals(List.of(new ReportData.ReviewRow("2026-03-08", "T1", 2, 2, 1, 1, 0.5),
        new ReportData.ReviewRow("2026-03-09", "T1", 1, 1, 1, 0, 1.0),
        new ReportData.ReviewRow("2026-03-09", "T2", 1, 0, 0, 0, null)), data.reviewOutcomes(),
        "the protected account's dismissal is not a list entry");
  }

  @Test
  void campaignDaysFromTrendsAndFirstSeen() {
    assertEquals(List.of(new ReportData.CampaignDay("2026-03-08", 2, 0, 0, 2),
        new ReportData.CampaignDay("2026-03-09", 0, 1, 0, 1), new ReportData.CampaignDay("2026-03-10", 0, 0, 0, 1)),
        data.campaignDays());
  }
}
