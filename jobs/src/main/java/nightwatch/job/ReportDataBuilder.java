package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.report.ReportData;
import nightwatch.schema.Tables;
import nightwatch.spark.Parallel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the day's tables into the report model; every query is an aggregate or a bounded top-N. */
public final class ReportDataBuilder {
  private ReportDataBuilder() {}

  /** Days in the history charts, today included. */
  static final int HISTORY_DAYS = 14;
  /** Earlier days whose median the headline numbers are compared with. */
  static final int BASELINE_DAYS = 7;
  /** Earlier candidate lists whose review outcomes are shown. */
  static final int REVIEW_DAYS = 14;

  public static ReportData build(SparkSession spark, Warehouse wh, LocalDate ds, NightwatchConfig cfg,
                                 Map<String, Long> counts, Map<String, Long> stageMillis) {
    Column day = lit(ds.toString()).cast("date");
    Dataset<Row> clusters = wh.read(Tables.CLUSTERS).filter(col("ds").equalTo(day));
    Dataset<Row> candidates = wh.read(Tables.SUSPENSION_CANDIDATES).filter(col("ds").equalTo(day));
    // The queries are independent and small (a few Spark jobs each, mostly Delta log reads on the driver): run side
    // by side, so the cores do not idle through them one after the other.
    Parallel.Batch queries = new Parallel.Batch();
    Supplier<Daily> daily = queries.add(() -> daily(wh, ds, cfg));
    Supplier<List<ReportData.ReviewRow>> review = queries.add(() -> review(wh, ds));
    Supplier<List<ReportData.CampaignDay>> campaignDays = queries.add(() -> campaignDays(wh, ds));
    Supplier<List<ReportData.ClusterRow>> top = queries.add(() -> topClusters(clusters, cfg));
    Supplier<List<ReportData.CandidateRow>> tiered = queries.add(
        () -> candidateRows(candidates.filter(col("tier").isNotNull()), cfg));
    Supplier<List<ReportData.CandidateRow>> touched = queries.add(
        () -> candidateRows(candidates.filter(col("status").notEqual("candidate")), cfg));
    Supplier<Map<String, Long>> byTier = queries.add(
        () -> counted(candidates.groupBy(coalesce(col("tier"), col("status")).as("k")).count().orderBy("k")));
    Supplier<Map<String, Long>> byReason = queries.add(() -> counted(candidates.filter(col("tier").isNotNull())
        .select(explode(col("reasons")).as("k")).groupBy("k").count().orderBy(col("count").desc(), col("k"))));
    Supplier<Map<String, Long>> rejected = queries.add(() -> counted(wh.read(Tables.REJECTED_RECORDS)
        .filter(col("ds").equalTo(day)).groupBy(concat(col("source"), lit(": "), col("reason")).as("k")).count()
        .orderBy("k")));
    queries.run(Parallel.TABLE_THREADS);
    Map<String, Long> today = daily.get().today();
    return new ReportData(ds.toString(), Instant.now().toString(), inputCounts(counts), rejected.get(),
        new LinkedHashMap<>(stageMillis), today.getOrDefault("clusters", 0L),
        today.getOrDefault("flagged_clusters", 0L), today.getOrDefault("flagged_messages", 0L), byTier.get(),
        byReason.get(), daily.get().history(), top.get(), tiered.get(), touched.get(), reportBands(counts),
        counts.getOrDefault("model_present", 0L) == 1L, daily.get().baselines(), review.get(), campaignDays.get());
  }

  /** The day's figures, the charts' points and the baselines, which share their definitions. */
  private record Daily(Map<String, Long> today, List<ReportData.DayPoint> history,
                       Map<String, ReportData.Baseline> baselines) {}

  private static Daily daily(Warehouse wh, LocalDate ds, NightwatchConfig cfg) {
    // The last 14 days, today included: one small aggregate of job_runs, clusters and candidates (a few rows per
    // day), cached because today's numbers, the charts and the baselines all read it.
    Dataset<Row> daily = ReportHistory.dailyMetrics(wh.read(Tables.JOB_RUNS), wh.read(Tables.CLUSTERS),
        wh.read(Tables.SUSPENSION_CANDIDATES), cfg.scoring().flaggedClusterScore(),
        ds.minusDays(HISTORY_DAYS - 1), ds).cache();
    try {
      List<Row> days = daily.collectAsList();
      Map<String, Long> today = new LinkedHashMap<>();
      for (Row r : days) {
        if (r.getDate(r.fieldIndex("ds")).toLocalDate().equals(ds)) {
          today.put(r.getAs("metric"), r.getAs("value"));
        }
      }
      Dataset<Row> earlier = daily.filter(col("ds").between(
          lit(ds.minusDays(BASELINE_DAYS).toString()).cast("date"), lit(ds.minusDays(1).toString()).cast("date")));
      Map<String, ReportData.Baseline> baselines = new LinkedHashMap<>();
      for (Row r : ReportHistory.baseline(earlier).collectAsList()) {
        baselines.put(r.getAs("metric"), new ReportData.Baseline(r.getDate(r.fieldIndex("prev_ds")).toString(),
            r.isNullAt(r.fieldIndex("prev_value")) ? null : r.<Long>getAs("prev_value"),
            r.<Double>getAs("median"), r.<Long>getAs("days")));
      }
      return new Daily(today, history(days), baselines);
    } finally {
      daily.unpersist();
    }
  }

  private static List<ReportData.ReviewRow> review(Warehouse wh, LocalDate ds) {
    List<ReportData.ReviewRow> review = new ArrayList<>();
    for (Row r : ReportHistory.reviewOutcomes(wh.read(Tables.SUSPENSION_CANDIDATES),
        wh.read(Tables.REVIEW_DECISIONS), ds.minusDays(REVIEW_DAYS), ds.minusDays(1)).orderBy("ds", "tier")
        .collectAsList()) {
      review.add(new ReportData.ReviewRow(r.getDate(r.fieldIndex("ds")).toString(), r.getAs("tier"),
          r.<Long>getAs("candidates"), r.<Long>getAs("decided"), r.<Long>getAs("confirmed"),
          r.<Long>getAs("dismissed"), r.isNullAt(r.fieldIndex("precision")) ? null : r.<Double>getAs("precision")));
    }
    return review;
  }

  private static List<ReportData.CampaignDay> campaignDays(Warehouse wh, LocalDate ds) {
    List<ReportData.CampaignDay> out = new ArrayList<>();
    for (Row r : ReportHistory.campaignDays(wh.read(Tables.CAMPAIGN_TRENDS), wh.read(Tables.CAMPAIGNS),
        ds.minusDays(HISTORY_DAYS - 1), ds).orderBy("ds").collectAsList()) {
      out.add(new ReportData.CampaignDay(r.getDate(r.fieldIndex("ds")).toString(),
          r.<Long>getAs("new_campaigns"), r.<Long>getAs("growing"), r.<Long>getAs("returned"),
          r.<Long>getAs("campaigns")));
    }
    return out;
  }

  private static List<ReportData.ClusterRow> topClusters(Dataset<Row> clusters, NightwatchConfig cfg) {
    List<ReportData.ClusterRow> top = new ArrayList<>();
    for (Row r : clusters.orderBy(col("propaganda_score").desc(), col("messages").desc(), col("cluster_id"))
        .limit(cfg.report().topClusters()).collectAsList()) {
      top.add(new ReportData.ClusterRow(r.getAs("cluster_id"), r.getAs("campaign_id"), r.getAs("kind"), r.getAs("link"),
          r.getAs("representative_text"), list(r, "languages"), r.<Long>getAs("distinct_accounts"),
          r.<Long>getAs("messages"), list(r, "known_refs"), r.<Double>getAs("propaganda_score"),
          list(r, "reasons")));
    }
    return top;
  }

  /** Rows (k, count) as an ordered map. */
  private static Map<String, Long> counted(Dataset<Row> keyCounts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Row r : keyCounts.collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  private static Map<String, Long> inputCounts(Map<String, Long> counts) {
    Map<String, Long> input = new LinkedHashMap<>();
    for (String k : List.of("input_lines_messages", "messages", "accounts", "reports", "rejected_rows",
        "review_decisions", "reports_with_reporter_history", "ban_evasion_links")) {
      if (counts.containsKey(k)) {
        input.put(k, counts.get(k));
      }
    }
    return input;
  }

  private static Map<String, Long> reportBands(Map<String, Long> counts) {
    Map<String, Long> bands = new LinkedHashMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith("reports_band_")) {
        bands.put(k.substring("reports_band_".length()), v);
      }
    });
    return bands;
  }

  /** Chart points from dailyMetrics rows (ds, metric, value), oldest first. */
  static List<ReportData.DayPoint> history(List<Row> daily) {
    Map<String, Map<String, Long>> byDay = new TreeMap<>();
    for (Row r : daily) {
      byDay.computeIfAbsent(r.getDate(r.fieldIndex("ds")).toString(), k -> new LinkedHashMap<>())
          .put(r.getAs("metric"), r.<Long>getAs("value"));
    }
    List<ReportData.DayPoint> out = new ArrayList<>();
    byDay.forEach((day, m) -> out.add(new ReportData.DayPoint(day, m.getOrDefault("flagged_messages", 0L),
        m.getOrDefault("flagged_clusters", 0L),
        m.getOrDefault("T1", 0L) + m.getOrDefault("T2", 0L) + m.getOrDefault("T3", 0L))));
    return out;
  }

  private static List<ReportData.CandidateRow> candidateRows(Dataset<Row> d, NightwatchConfig cfg) {
    List<ReportData.CandidateRow> out = new ArrayList<>();
    for (Row r : d.orderBy("rank").limit(cfg.report().maxCandidates()).collectAsList()) {
      out.add(new ReportData.CandidateRow(r.getAs("account_id"), r.getAs("handle"), r.<Integer>getAs("rank"),
          r.getAs("tier"), r.getAs("status"), r.<Double>getAs("score"), r.getAs("role"), list(r, "reasons"),
          list(r, "cluster_ids"), list(r, "sample_message_ids")));
    }
    return out;
  }

  private static List<String> list(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? List.of() : r.getList(i);
  }
}
