package nightwatch.stages.scoring;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import nightwatch.privacy.Pseudonymizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Protected classes by behaviour, not only by list: accounts that act as propaganda's opponents get status
 * protected_review when they touch a flagged cluster, with the behaviour as their category (reason
 * PROTECTED_BEHAVIOUR_…). An account in protected_accounts keeps its listed category.
 * <ul>
 *   <li>{@code behaviour_upheld_reports}: reviewers upheld its earlier reports (ReporterPrecision);</li>
 *   <li>{@code behaviour_reporter}: an established account that reported others several times today;</li>
 *   <li>{@code behaviour_counter_speech}: most of its messages today quote or answer with condemning words.</li>
 * </ul>
 */
public final class ProtectiveBehaviour {
  private ProtectiveBehaviour() {}

  /**
   * @param touching  account_id of the accounts in a flagged cluster today: only they can need the status
   * @param messages  the day's messages after OwnWords.annotate (account_id, stance)
   * @param reports   the day's reports (reporter_id)
   * @param accounts  account_id, created_at
   * @param precision ReporterPrecision output (reporter_pseudonym, history_decided, history_precision)
   * @return account_id, category: one row per account with a protective behaviour, the strongest first
   */
  public static Dataset<Row> of(Dataset<Row> touching, Dataset<Row> messages, Dataset<Row> reports,
                                Dataset<Row> accounts, Dataset<Row> precision, Pseudonymizer pseudo, LocalDate ds,
                                NightwatchConfig.Scoring s) {
    NightwatchConfig.Safeguards g = s.safeguards();
    Dataset<Row> who = touching.select("account_id").distinct();
    Dataset<Row> upheld = who.withColumn("reporter_pseudonym", pseudo.column(col("account_id")))
        .join(precision, "reporter_pseudonym")
        .filter(col("history_decided").geq(g.upheldMinDecided())
            .and(col("history_precision").geq(g.upheldMinPrecision())))
        .select(col("account_id"), lit(1).as("_rank"), lit("behaviour_upheld_reports").as("category"));
    // Established reporters only: a brigade's reporters are days-old accounts.
    Column established = datediff(lit(ds.plusDays(1).toString()).cast("date"), col("created_at"))
        .geq(s.reports().newReporterDays());
    Dataset<Row> reporters = reports.select(col("reporter_id").as("account_id"))
        .join(who, "account_id", "left_semi")
        .groupBy("account_id").count().filter(col("count").geq(g.reporterMinReports()))
        .join(accounts.select("account_id", "created_at"), "account_id")
        .filter(established)
        .select(col("account_id"), lit(2).as("_rank"), lit("behaviour_reporter").as("category"));
    Dataset<Row> speakers = messages.join(who, "account_id", "left_semi")
        .groupBy("account_id").agg(count(lit(1)).as("_n"), sum(when(col("stance"), 1L).otherwise(0L)).as("_c"))
        .filter(col("_c").geq(g.counterSpeechMinMessages())
            .and(col("_c").geq(col("_n").multiply(g.counterSpeechDayShare()))))
        .select(col("account_id"), lit(3).as("_rank"), lit("behaviour_counter_speech").as("category"));
    return upheld.unionByName(reporters).unionByName(speakers)
        .groupBy("account_id").agg(min_by(col("category"), col("_rank")).as("category"));
  }

  /** The listed protected accounts and the behaviour ones, one row per account: a listed category wins. */
  public static Dataset<Row> withListed(Dataset<Row> listed, Dataset<Row> behaviour) {
    return listed.select(col("account_id"), col("category"), lit(0).as("_rank"))
        .unionByName(behaviour.select(col("account_id"), col("category"), lit(1).as("_rank")))
        .groupBy("account_id").agg(min_by(col("category"), col("_rank")).as("category"));
  }
}
