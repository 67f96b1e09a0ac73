package nightwatch.stages.scoring;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import nightwatch.privacy.Pseudonymizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Weighs each report by its reporter's credibility and detects brigades. Trusted flaggers weigh their
 * listed weight; reporters whose accounts are days old weigh little; a burst of reports from new accounts
 * against one target within the brigade window is a brigade: those reports are marked and weigh nothing.
 * Each weight is then scaled by the reporter's historical precision (ReporterPrecision) relative to the
 * prior: reporters whose past reports reviewers dismissed weigh less, confirmed ones more (capped).
 * Raw reporter ids are used for the joins here and leave this stage only as keyed pseudonyms.
 */
public final class ReportWeighting {
  private ReportWeighting() {}

  /**
   * @param reports   input contract rows (reporter_id, reported_account_id, created_at, ...)
   * @param accounts  account_id, created_at
   * @param trusted   trusted_flaggers (account_id, weight)
   * @param precision ReporterPrecision output (reporter_pseudonym, history_decided, history_precision), or null
   * @return one row per report: reporter_pseudonym, reported_account_id, reported_message_id, created_at,
   *         weight, brigade (boolean), band (credibility band), history_precision, history_decided
   */
  public static Dataset<Row> weigh(Dataset<Row> reports, Dataset<Row> accounts, Dataset<Row> trusted,
                                   Dataset<Row> precision, Pseudonymizer pseudo, LocalDate ds,
                                   NightwatchConfig.Scoring s) {
    NightwatchConfig.Reports p = s.reports();
    Column dayEnd = lit(ds.plusDays(1) + "T00:00:00Z").cast("timestamp");
    Dataset<Row> r = reports
        .join(accounts.select(col("account_id").as("reporter_id"), col("created_at").as("_reporter_created")),
            "reporter_id", "left")
        .join(broadcast(trusted.select(col("account_id").as("reporter_id"), col("weight").as("_trusted_weight"))),
            "reporter_id", "left")
        .withColumn("reporter_pseudonym", pseudo.column(col("reporter_id")))
        .drop("reporter_id")
        .withColumn("_age_days", datediff(dayEnd, col("_reporter_created")))
        .withColumn("_new", coalesce(col("_age_days").lt(p.newReporterDays()), lit(true))
            .and(col("_trusted_weight").isNull()));
    if (precision != null) {
      r = r.join(precision.select("reporter_pseudonym", "history_decided", "history_precision"),
          "reporter_pseudonym", "left");
    } else {
      r = r.withColumn("history_decided", lit(null).cast("bigint"))
          .withColumn("history_precision", lit(null).cast("double"));
    }
    // Young-reporter reports against the same target within +-window/2 of this one.
    long half = p.brigadeWindowSeconds() / 2;
    Column around = sum(when(col("_new"), 1).otherwise(0)).over(Window.partitionBy("reported_account_id")
        .orderBy(unix_seconds(col("created_at"))).rangeBetween(-half, half));
    r = r.withColumn("brigade", col("_new").and(around.geq(p.brigadeMinReports())));
    Column band = when(col("_trusted_weight").isNotNull(), lit("trusted_flagger"))
        .when(col("brigade"), lit("brigade"))
        .when(col("_new"), lit("new_account"))
        .when(col("_age_days").lt(s.youngAccountDays()), lit("young_account"))
        .otherwise(lit("established"));
    Column base = when(col("_trusted_weight").isNotNull(), col("_trusted_weight"))
        .when(col("brigade"), lit(0.0))
        .when(col("_new"), lit(p.newReporterWeight()))
        .when(col("_age_days").lt(s.youngAccountDays()), lit(p.youngReporterWeight()))
        .otherwise(lit(1.0));
    // (least() skips nulls, so a reporter without a record is handled explicitly.)
    Column factor = when(col("history_precision").isNull(), lit(1.0))
        .otherwise(least(lit(p.precisionMaxFactor()), col("history_precision").divide(p.precisionPrior())));
    return r.select(col("reporter_pseudonym"), col("reported_account_id"), col("reported_message_id"),
        col("created_at"), base.multiply(factor).as("weight"), col("brigade"), band.as("band"),
        col("history_precision"), coalesce(col("history_decided"), lit(0L)).as("history_decided"));
  }

  /**
   * Per reported account: reports_raw, reports_weighted, brigade_reports, reporter_precision (mean historical
   * precision of its reporters that have a record, null if none), reports_low_precision (reports from
   * reporters whose record is below the prior).
   */
  public static Dataset<Row> perTarget(Dataset<Row> weighted, NightwatchConfig.Reports p) {
    return weighted.groupBy(col("reported_account_id").as("account_id")).agg(
        count(lit(1)).as("reports_raw"),
        sum("weight").as("reports_weighted"),
        sum(when(col("brigade"), 1L).otherwise(0L)).as("brigade_reports"),
        avg(col("history_precision")).as("reporter_precision"),
        sum(when(col("history_precision").lt(p.precisionPrior()), 1L).otherwise(0L)).as("reports_low_precision"));
  }

  /**
   * Credible reports against a cluster's accounts: the sum over its distinct accounts of their weighted
   * reports, each account counting at most 1. One heavily reported account (noise or a grudge) in a small
   * cluster of its friends' retweets must not read as "the cluster's accounts are reported".
   *
   * @param clustered cluster_id, account_id (one row per message)
   * @param perTarget {@link #perTarget} output
   * @return cluster_id, cluster_reports_weighted
   */
  public static Dataset<Row> perCluster(Dataset<Row> clustered, Dataset<Row> perTarget) {
    return clustered.select("cluster_id", "account_id").distinct()
        .join(perTarget.select("account_id", "reports_weighted"), "account_id")
        .groupBy("cluster_id").agg(sum(least(col("reports_weighted"), lit(1.0))).as("cluster_reports_weighted"));
  }

  /** The rows of report_log for the day (no raw reporter id exists in {@code weighted}). */
  public static Dataset<Row> log(Dataset<Row> weighted, LocalDate ds) {
    return weighted.withColumn("ds", lit(ds.toString()).cast("date"));
  }
}
