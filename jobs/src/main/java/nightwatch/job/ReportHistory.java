package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import nightwatch.stages.trends.TrendBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The report's look back at earlier days, as Dataset-to-Dataset steps over the Delta tables. Each returns
 * per-day aggregates only (a handful of rows per day), so what reaches the driver does not grow with input.
 */
public final class ReportHistory {
  private ReportHistory() {}

  /** Headline metrics compared with earlier days. Tier names are the tier values of suspension_candidates. */
  public static final List<String> METRICS = List.of("messages", "clusters", "flagged_clusters", "flagged_messages",
      "T1", "T2", "T3", "reports", "rejected_rows");

  /**
   * Headline metrics per day in [from, to], long format: ds, metric, value (bigint). messages, reports and
   * rejected_rows come from the day's latest successful job_runs row (row_counts); clusters and flagged_clusters
   * (propaganda_score at or above flaggedScore, as the job flags them) and flagged_messages (messages of clusters
   * in a campaign) from clusters; T1..T3 from suspension_candidates. A day is present when any of the three has
   * rows for it; there the table metrics default to 0 (nothing found), job_runs metrics are left out when the
   * day has no successful run (unknown, so they stay out of medians).
   */
  public static Dataset<Row> dailyMetrics(Dataset<Row> jobRuns, Dataset<Row> clusters, Dataset<Row> candidates,
                                          double flaggedScore, LocalDate from, LocalDate to) {
    Column window = col("ds").between(lit(from.toString()).cast("date"), lit(to.toString()).cast("date"));
    Dataset<Row> runs = jobRuns.filter(window.and(col("outcome").equalTo("success")))
        .groupBy("ds").agg(max_by(col("row_counts"), col("ended_at")).as("_rc"))
        .select(col("ds"), col("_rc").getItem("messages").as("messages"),
            col("_rc").getItem("reports").as("reports"), col("_rc").getItem("rejected_rows").as("rejected_rows"));
    Dataset<Row> cl = clusters.filter(window).groupBy("ds").agg(
        count(lit(1)).as("clusters"),
        count_if(col("propaganda_score").geq(flaggedScore)).as("flagged_clusters"),
        sum(when(col("campaign_id").isNotNull(), col("messages")).otherwise(0L)).as("flagged_messages"));
    Dataset<Row> cand = candidates.filter(window.and(col("tier").isNotNull())).groupBy("ds").agg(
        count_if(col("tier").equalTo("T1")).as("T1"),
        count_if(col("tier").equalTo("T2")).as("T2"),
        count_if(col("tier").equalTo("T3")).as("T3"));
    Dataset<Row> wide = runs.join(cl, new String[] {"ds"}, "full_outer").join(cand, new String[] {"ds"}, "full_outer")
        .na().fill(0L, new String[] {"clusters", "flagged_clusters", "flagged_messages", "T1", "T2", "T3"});
    StringBuilder stack = new StringBuilder("stack(" + METRICS.size());
    for (String m : METRICS) {
      stack.append(", '").append(m).append("', cast(`").append(m).append("` as bigint)");
    }
    return wide.selectExpr("ds", stack + ") as (metric, value)").filter(col("value").isNotNull());
  }

  /**
   * Per metric of {@code metrics} (ds, metric, value; the earlier days only): the latest day present (prev_ds,
   * the same for every metric) with the metric's value there (prev_value, null when that day lacks it), and
   * the exact median of the metric over all days (median; an even count averages the middle two) with the
   * number of days behind it (days).
   */
  public static Dataset<Row> baseline(Dataset<Row> metrics) {
    Dataset<Row> latest = metrics.agg(max("ds").as("prev_ds"));
    return metrics.crossJoin(latest).groupBy("metric").agg(
        max("prev_ds").as("prev_ds"),
        max(when(col("ds").equalTo(col("prev_ds")), col("value"))).as("prev_value"),
        median(col("value")).as("median"),
        count(lit(1)).as("days"));
  }

  /**
   * Precision of the candidate lists of the days in [from, to], per list day and tier: candidates, decided
   * (reviewers confirmed or dismissed the account for that list day), confirmed ('suspend'), dismissed
   * ('dismiss' or 'counter_speech', never 'suspend'), precision = confirmed / decided (null when none decided).
   * Other decisions are not verdicts and do not count, as in ReporterPrecision and the classifier labels.
   */
  public static Dataset<Row> reviewOutcomes(Dataset<Row> candidates, Dataset<Row> decisions, LocalDate from,
                                            LocalDate to) {
    Column window = col("ds").between(lit(from.toString()).cast("date"), lit(to.toString()).cast("date"));
    Column decision = lower(col("decision"));
    Dataset<Row> verdicts = decisions.filter(window).groupBy("ds", "account_id").agg(
        max(when(decision.equalTo("suspend"), 1).otherwise(0)).as("_confirmed"),
        max(when(decision.isin("dismiss", "counter_speech"), 1).otherwise(0)).as("_dismissed"));
    return candidates.filter(window.and(col("tier").isNotNull())).select("ds", "account_id", "tier")
        .join(verdicts, new String[] {"ds", "account_id"}, "left")
        .groupBy("ds", "tier").agg(
            count(lit(1)).as("candidates"),
            count_if(col("_confirmed").equalTo(1).or(col("_dismissed").equalTo(1))).as("decided"),
            count_if(col("_confirmed").equalTo(1)).as("confirmed"),
            count_if(col("_confirmed").equalTo(0).and(col("_dismissed").equalTo(1))).as("dismissed"))
        .withColumn("precision", try_divide(col("confirmed"), col("decided")));
  }

  /**
   * New, growing and returned campaigns per day in [from, to], by the campaigns table's status rules
   * (TrendBuilder.campaignState): new = first seen that day (campaigns.first_seen); returned = seen before but
   * not the day before (no prev_messages); growing = messages up by GROWING_CHANGE or more against the day
   * before. Returns ds, new_campaigns, growing, returned, campaigns (all campaigns active that day).
   */
  public static Dataset<Row> campaignDays(Dataset<Row> campaignTrends, Dataset<Row> campaigns, LocalDate from,
                                          LocalDate to) {
    Column window = col("ds").between(lit(from.toString()).cast("date"), lit(to.toString()).cast("date"));
    Column isNew = col("first_seen").equalTo(col("ds"));
    Column seenBefore = col("first_seen").lt(col("ds"));
    return campaignTrends.filter(window).select("ds", "campaign_id", "prev_messages", "messages_change")
        .join(campaigns.select("campaign_id", "first_seen"), "campaign_id", "left")
        .groupBy("ds").agg(
            count_if(isNew).as("new_campaigns"),
            count_if(seenBefore.and(col("messages_change").geq(TrendBuilder.GROWING_CHANGE))).as("growing"),
            count_if(seenBefore.and(col("prev_messages").isNull())).as("returned"),
            count(lit(1)).as("campaigns"));
  }
}
