package nightwatch.stages.scoring;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Weighs each report by its reporter's credibility and detects brigades. Trusted flaggers weigh their
 * listed weight; reporters whose accounts are days old weigh little; a burst of reports from new accounts
 * against one target within the brigade window is a brigade: those reports are marked and weigh nothing.
 * Reporter ids are used here and never leave this stage.
 */
public final class ReportWeighting {
  private ReportWeighting() {}

  /**
   * @param reports  input contract rows (reporter_id, reported_account_id, created_at, ...)
   * @param accounts account_id, created_at
   * @param trusted  trusted_flaggers (account_id, weight)
   * @return one row per report: reported_account_id, created_at, weight, brigade (boolean), band (credibility band)
   */
  public static Dataset<Row> weigh(Dataset<Row> reports, Dataset<Row> accounts, Dataset<Row> trusted, LocalDate ds,
                                   NightwatchConfig.Scoring s) {
    NightwatchConfig.Reports p = s.reports();
    Column dayEnd = lit(ds.plusDays(1) + "T00:00:00Z").cast("timestamp");
    Dataset<Row> r = reports
        .join(accounts.select(col("account_id").as("reporter_id"), col("created_at").as("_reporter_created")),
            "reporter_id", "left")
        .join(broadcast(trusted.select(col("account_id").as("reporter_id"), col("weight").as("_trusted_weight"))),
            "reporter_id", "left")
        .withColumn("_age_days", datediff(dayEnd, col("_reporter_created")))
        .withColumn("_new", coalesce(col("_age_days").lt(p.newReporterDays()), lit(true))
            .and(col("_trusted_weight").isNull()));
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
    Column weight = when(col("_trusted_weight").isNotNull(), col("_trusted_weight"))
        .when(col("brigade"), lit(0.0))
        .when(col("_new"), lit(p.newReporterWeight()))
        .when(col("_age_days").lt(s.youngAccountDays()), lit(p.youngReporterWeight()))
        .otherwise(lit(1.0));
    return r.select(col("reported_account_id"), col("reported_message_id"), col("created_at"),
        weight.as("weight"), col("brigade"), band.as("band"));
  }

  /** Per reported account: reports_raw, reports_weighted, brigade_reports. */
  public static Dataset<Row> perTarget(Dataset<Row> weighted) {
    return weighted.groupBy(col("reported_account_id").as("account_id")).agg(
        count(lit(1)).as("reports_raw"),
        sum("weight").as("reports_weighted"),
        sum(when(col("brigade"), 1L).otherwise(0L)).as("brigade_reports"));
  }
}
