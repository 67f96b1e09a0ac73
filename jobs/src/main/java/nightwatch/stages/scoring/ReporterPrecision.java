package nightwatch.stages.scoring;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each reporter's historical precision, from earlier nights' report_log and the reviewers' review_decisions:
 * a report is confirmed when reviewers later decided 'suspend' on the reported account, dismissed when they
 * decided 'dismiss' or 'counter_speech' (and never 'suspend'). Reports without a decision do not count.
 * Reports by one reporter on one account on one day count once. The precision is smoothed towards a prior
 * (prior-weight pseudo-reports), so one dismissal does not silence a reporter, and a long record moves it.
 */
public final class ReporterPrecision {
  private ReporterPrecision() {}

  /**
   * @param reportLog report_log rows (ds, reporter_pseudonym, reported_account_id); only days before ds
   *                  and within history-days are used
   * @param decisions review_decisions (ds, account_id, decision); decisions about the report's day or later
   * @return reporter_pseudonym, history_decided, history_confirmed, history_precision
   */
  public static Dataset<Row> compute(Dataset<Row> reportLog, Dataset<Row> decisions, LocalDate ds,
                                     NightwatchConfig.Reports p) {
    Column from = lit(ds.minusDays(p.historyDays()).toString()).cast("date");
    Column today = lit(ds.toString()).cast("date");
    Dataset<Row> reports = reportLog.filter(col("ds").geq(from).and(col("ds").lt(today)))
        .select(col("ds").as("_rds"), col("reporter_pseudonym"), col("reported_account_id")).distinct();
    Dataset<Row> d = decisions.filter(col("ds").leq(today))
        .select(col("ds").as("_dds"), col("account_id").as("reported_account_id"),
            lower(col("decision")).as("_decision"));
    Dataset<Row> outcomes = reports.join(d, "reported_account_id")
        .filter(col("_dds").geq(col("_rds")))
        .groupBy("_rds", "reporter_pseudonym", "reported_account_id").agg(
            max(when(col("_decision").equalTo("suspend"), 1).otherwise(0)).as("_confirmed"),
            max(when(col("_decision").isin("dismiss", "counter_speech"), 1).otherwise(0)).as("_dismissed"))
        .filter(col("_confirmed").plus(col("_dismissed")).gt(0));
    Column decided = count(lit(1));
    Column confirmed = sum(col("_confirmed")).cast("bigint");
    return outcomes.groupBy("reporter_pseudonym").agg(decided.as("history_decided"),
            confirmed.as("history_confirmed"))
        .withColumn("history_precision", col("history_confirmed").plus(p.precisionPrior() * p.precisionPriorWeight())
            .divide(col("history_decided").plus(p.precisionPriorWeight())));
  }
}
