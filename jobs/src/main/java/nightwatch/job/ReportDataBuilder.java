package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.report.ReportData;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the day's tables into the report model; every query is an aggregate or a bounded top-N. */
public final class ReportDataBuilder {
  private ReportDataBuilder() {}

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
    Row cl = clusters.agg(count(lit(1)), sum(when(col("propaganda_score").geq(cfg.scoring().flaggedClusterScore()), 1L)
        .otherwise(0L)), sum(when(col("campaign_id").isNotNull(), col("messages")).otherwise(0L))).first();

    List<ReportData.DayPoint> history = new ArrayList<>();
    Column window = col("ds").between(lit(ds.minusDays(14).toString()).cast("date"), day);
    Dataset<Row> h = wh.read(Tables.CLUSTERS).filter(window).groupBy("ds").agg(
            sum(when(col("campaign_id").isNotNull(), col("messages")).otherwise(0L)).as("fm"),
            sum(when(col("campaign_id").isNotNull(), 1L).otherwise(0L)).as("fc"))
        .join(wh.read(Tables.SUSPENSION_CANDIDATES).filter(window.and(col("tier").isNotNull())).groupBy("ds")
            .agg(count(lit(1)).as("cand")), new String[] {"ds"}, "full_outer")
        .orderBy("ds");
    for (Row r : h.collectAsList()) {
      history.add(new ReportData.DayPoint(r.getDate(r.fieldIndex("ds")).toString(), nz(r, "fm"), nz(r, "fc"),
          nz(r, "cand")));
    }

    List<ReportData.ClusterRow> top = new ArrayList<>();
    for (Row r : clusters.orderBy(col("propaganda_score").desc(), col("messages").desc(), col("cluster_id"))
        .limit(cfg.report().topClusters()).collectAsList()) {
      top.add(new ReportData.ClusterRow(r.getAs("cluster_id"), r.getAs("campaign_id"), r.getAs("representative_text"),
          list(r, "languages"), r.<Long>getAs("distinct_accounts"), r.<Long>getAs("messages"), list(r, "known_refs"),
          r.<Double>getAs("propaganda_score"), list(r, "reasons")));
    }
    List<ReportData.CandidateRow> tiered = candidateRows(candidates.filter(col("tier").isNotNull()), cfg);
    List<ReportData.CandidateRow> touched = candidateRows(candidates.filter(col("status").notEqual("candidate")), cfg);

    Map<String, Long> byTier = new LinkedHashMap<>();
    for (Row r : candidates.groupBy(coalesce(col("tier"), col("status")).as("k")).count().orderBy("k").collectAsList()) {
      byTier.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Row r : candidates.filter(col("tier").isNotNull()).select(explode(col("reasons")).as("k"))
        .groupBy("k").count().orderBy(col("count").desc(), col("k")).collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> rejected = new LinkedHashMap<>();
    for (Row r : wh.read(Tables.REJECTED_RECORDS).filter(col("ds").equalTo(day))
        .groupBy(concat(col("source"), lit(": "), col("reason")).as("k")).count().orderBy("k").collectAsList()) {
      rejected.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> bands = new LinkedHashMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith("reports_band_")) {
        bands.put(k.substring("reports_band_".length()), v);
      }
    });
    return new ReportData(ds.toString(), Instant.now().toString(), input, rejected, new LinkedHashMap<>(stageMillis),
        cl.getLong(0), cl.isNullAt(1) ? 0 : cl.getLong(1), cl.isNullAt(2) ? 0 : cl.getLong(2), byTier, byReason,
        history, top, tiered, touched, bands, counts.getOrDefault("model_present", 0L) == 1L);
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

  private static long nz(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
  }
}
