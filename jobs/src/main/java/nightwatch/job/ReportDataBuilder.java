package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    Map<String, Long> input = new LinkedHashMap<>();
    for (String k : List.of("input_lines_messages", "messages", "accounts", "reports", "rejected_rows",
        "review_decisions", "reports_with_reporter_history", "ban_evasion_links")) {
      if (counts.containsKey(k)) {
        input.put(k, counts.get(k));
      }
    }
    // The last 14 days, today included: one small aggregate of job_runs, clusters and candidates (a few rows per
    // day), cached because today's numbers, the charts and the baselines all read it, so they share definitions.
    Dataset<Row> daily = ReportHistory.dailyMetrics(wh.read(Tables.JOB_RUNS), wh.read(Tables.CLUSTERS),
        wh.read(Tables.SUSPENSION_CANDIDATES), cfg.scoring().flaggedClusterScore(),
        ds.minusDays(HISTORY_DAYS - 1), ds).cache();
    // The queries are independent and small (a few Spark jobs each, mostly Delta log reads on the driver): run side
    // by side, so the cores do not idle through them one after the other.
    List<List<ReportData.DayPoint>> history = new ArrayList<>(List.of(List.of()));
    Map<String, ReportData.Baseline> baselines = new LinkedHashMap<>();
    Map<String, Long> today = new LinkedHashMap<>();
    List<ReportData.ReviewRow> review = new ArrayList<>();
    List<ReportData.CampaignDay> campaignDays = new ArrayList<>();
    List<ReportData.ClusterRow> top = new ArrayList<>();
    List<List<ReportData.CandidateRow>> tiered = new ArrayList<>(List.of(List.of()));
    List<List<ReportData.CandidateRow>> touched = new ArrayList<>(List.of(List.of()));
    Map<String, Long> byTier = new LinkedHashMap<>();
    Map<String, Long> byReason = new LinkedHashMap<>();
    Map<String, Long> rejected = new LinkedHashMap<>();
    Parallel.run(Parallel.TABLE_THREADS, List.of(
        () -> {
          try {
            List<Row> days = daily.collectAsList();
            history.set(0, history(days));
            for (Row r : days) {
              if (r.getDate(r.fieldIndex("ds")).toLocalDate().equals(ds)) {
                today.put(r.getAs("metric"), r.getAs("value"));
              }
            }
            Dataset<Row> earlier = daily.filter(col("ds").between(
                lit(ds.minusDays(BASELINE_DAYS).toString()).cast("date"), lit(ds.minusDays(1).toString()).cast("date")));
            for (Row r : ReportHistory.baseline(earlier).collectAsList()) {
              baselines.put(r.getAs("metric"), new ReportData.Baseline(r.getDate(r.fieldIndex("prev_ds")).toString(),
                  r.isNullAt(r.fieldIndex("prev_value")) ? null : r.<Long>getAs("prev_value"),
                  r.<Double>getAs("median"), r.<Long>getAs("days")));
            }
          } finally {
            daily.unpersist();
          }
        },
        () -> {
          for (Row r : ReportHistory.reviewOutcomes(wh.read(Tables.SUSPENSION_CANDIDATES),
              wh.read(Tables.REVIEW_DECISIONS), ds.minusDays(REVIEW_DAYS), ds.minusDays(1)).orderBy("ds", "tier")
              .collectAsList()) {
            review.add(new ReportData.ReviewRow(r.getDate(r.fieldIndex("ds")).toString(), r.getAs("tier"),
                r.<Long>getAs("candidates"), r.<Long>getAs("decided"), r.<Long>getAs("confirmed"),
                r.<Long>getAs("dismissed"), r.isNullAt(r.fieldIndex("precision")) ? null : r.<Double>getAs("precision")));
          }
        },
        () -> {
          for (Row r : ReportHistory.campaignDays(wh.read(Tables.CAMPAIGN_TRENDS), wh.read(Tables.CAMPAIGNS),
              ds.minusDays(HISTORY_DAYS - 1), ds).orderBy("ds").collectAsList()) {
            campaignDays.add(new ReportData.CampaignDay(r.getDate(r.fieldIndex("ds")).toString(),
                r.<Long>getAs("new_campaigns"), r.<Long>getAs("growing"), r.<Long>getAs("returned"),
                r.<Long>getAs("campaigns")));
          }
        },
        () -> {
          for (Row r : clusters.orderBy(col("propaganda_score").desc(), col("messages").desc(), col("cluster_id"))
              .limit(cfg.report().topClusters()).collectAsList()) {
            top.add(new ReportData.ClusterRow(r.getAs("cluster_id"), r.getAs("campaign_id"),
                r.getAs("representative_text"), list(r, "languages"), r.<Long>getAs("distinct_accounts"),
                r.<Long>getAs("messages"), list(r, "known_refs"), r.<Double>getAs("propaganda_score"),
                list(r, "reasons")));
          }
        },
        () -> tiered.set(0, candidateRows(candidates.filter(col("tier").isNotNull()), cfg)),
        () -> touched.set(0, candidateRows(candidates.filter(col("status").notEqual("candidate")), cfg)),
        () -> {
          for (Row r : candidates.groupBy(coalesce(col("tier"), col("status")).as("k")).count().orderBy("k")
              .collectAsList()) {
            byTier.put(r.getString(0), r.getLong(1));
          }
        },
        () -> {
          for (Row r : candidates.filter(col("tier").isNotNull()).select(explode(col("reasons")).as("k"))
              .groupBy("k").count().orderBy(col("count").desc(), col("k")).collectAsList()) {
            byReason.put(r.getString(0), r.getLong(1));
          }
        },
        () -> {
          for (Row r : wh.read(Tables.REJECTED_RECORDS).filter(col("ds").equalTo(day))
              .groupBy(concat(col("source"), lit(": "), col("reason")).as("k")).count().orderBy("k").collectAsList()) {
            rejected.put(r.getString(0), r.getLong(1));
          }
        }));
    Map<String, Long> bands = new LinkedHashMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith("reports_band_")) {
        bands.put(k.substring("reports_band_".length()), v);
      }
    });
    return new ReportData(ds.toString(), Instant.now().toString(), input, rejected, new LinkedHashMap<>(stageMillis),
        today.getOrDefault("clusters", 0L), today.getOrDefault("flagged_clusters", 0L),
        today.getOrDefault("flagged_messages", 0L), byTier, byReason,
        history.get(0), top, tiered.get(0), touched.get(0), bands, counts.getOrDefault("model_present", 0L) == 1L, baselines, review,
        campaignDays);
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
