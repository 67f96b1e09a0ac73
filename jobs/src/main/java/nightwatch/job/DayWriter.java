package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import nightwatch.io.Warehouse;
import nightwatch.job.DayClustering.Clustered;
import nightwatch.job.DayReader.DayInputs;
import nightwatch.job.DayScoring.Campaigns;
import nightwatch.job.DayScoring.ClusterScores;
import nightwatch.schema.Tables;
import nightwatch.spark.Parallel;
import nightwatch.stages.scoring.ReportWeighting;
import nightwatch.stages.trends.CampaignLinker;
import nightwatch.stages.trends.TrendBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a night's tables: each daily table's day replaced in one commit (a rerun duplicates nothing), side by side,
 * then the campaigns' state merged, since it reads today's campaign_trends.
 */
final class DayWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DayWriter.class);

  private DayWriter() {}

  static void write(SparkSession spark, Warehouse wh, Run run, DayInputs day, Clustered c, ClusterScores s,
                    Campaigns camp, Dataset<Row> candidates) {
    run.timer().stage("write", () -> {
      LocalDate ds = run.ds();
      Dataset<Row> flaggedMessages = c.clustered().join(camp.links(), "cluster_id");
      // Earlier days only, so the trends do not depend on today's writes running beside them.
      Dataset<Row> earlier = DayScoring.campaignMembers(wh, ds.minusDays(7), ds.minusDays(1), null)
          .select("campaign_id", "account_id");
      Dataset<Row> prevDay = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").equalTo(lit(ds.minusDays(1).toString())
          .cast("date")));
      Parallel.run(Parallel.TABLE_THREADS, List.of(
          () -> wh.replaceDay(Tables.MESSAGE_CLUSTERS, c.clustered().withColumn("ds", lit(run.day()).cast("date")), ds),
          () -> wh.replaceDay(Tables.CLUSTERS, camp.clustersOut(), ds),
          () -> wh.replaceDay(Tables.CAMPAIGN_TRENDS,
              TrendBuilder.campaignTrends(flaggedMessages, earlier, prevDay, ds), ds),
          () -> wh.replaceDay(Tables.HASHTAG_TRENDS, TrendBuilder.hashtagTrends(day.messages(), flaggedMessages, ds), ds),
          () -> wh.replaceDay(Tables.SUSPENSION_CANDIDATES, candidates, ds),
          () -> wh.replaceDay(Tables.REPORT_LOG, ReportWeighting.log(s.weighted(), ds), ds),
          () -> wh.replaceDay(Tables.REJECTED_RECORDS, day.allRejected(), ds)));
      mergeCampaigns(spark, wh, ds, camp);
    });
  }

  /** Rejected rows of the day, in total and by source and reason (rejected.source.reason), into counts. */
  static long countRejected(Warehouse wh, LocalDate ds, Map<String, Long> counts) {
    long total = 0;
    for (Row r : wh.read(Tables.REJECTED_RECORDS).filter(col("ds").equalTo(lit(ds.toString()).cast("date")))
        .groupBy("source", "reason").count().orderBy("source", "reason").collectAsList()) {
      counts.put("rejected." + r.getString(0) + "." + r.getString(1), r.getLong(2));
      total += r.getLong(2);
    }
    counts.put("rejected_rows", total);
    if (total > 0) {
      LOG.warn("{} input rows rejected for {}: see table rejected_records", total, ds);
    }
    return total;
  }

  private static void mergeCampaigns(SparkSession spark, Warehouse wh, LocalDate ds, Campaigns camp) {
    Column day = lit(ds.toString()).cast("date");
    Dataset<Row> today = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").equalTo(day));
    Dataset<Row> history = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").leq(day))
        .join(today.select("campaign_id"), "campaign_id", "left_semi");
    Dataset<Row> state = TrendBuilder.campaignState(history, today, camp.clustersOut().filter(col("flagged")),
        CampaignLinker.newKeys(camp.repBands(), camp.links()), ds);
    // Materialised once: MERGE would otherwise evaluate the source plan twice.
    Dataset<Row> source = Warehouse.conform(state, Tables.CAMPAIGNS).localCheckpoint();
    // Another day's run may merge at the same time: the loser of the race merges again on top of the winner.
    Warehouse.retryOnConflict(Tables.CAMPAIGNS + " merge", () -> {
      wh.beforeCommit();
      DeltaTable.forPath(spark, wh.path(Tables.CAMPAIGNS)).as("t")
          .merge(source.as("s"), t("campaign_id").equalTo(s("campaign_id")))
          .whenMatched().update(Map.of(
              "first_seen", s("first_seen"), "last_seen", s("last_seen"), "days_active", s("days_active"),
              "status", s("status"), "label", coalesce(s("label"), t("label")),
              "known_refs", array_sort(union("known_refs")),
              "representative_text", s("representative_text"), "last_messages", s("last_messages"),
              "band_keys", slice(union("band_keys"), 1, CampaignLinker.MAX_KEYS)))
          .whenNotMatched().insertAll()
          // Campaigns not seen since before yesterday go dormant.
          .whenNotMatchedBySource(t("last_seen").lt(lit(ds.minusDays(1).toString()).cast("date"))
              .and(t("status").notEqual(lit("dormant"))))
          .update(Map.of("status", lit("dormant")))
          .execute();
    });
  }

  private static Column t(String column) {
    return col("t." + column);
  }

  private static Column s(String column) {
    return col("s." + column);
  }

  /** The distinct union of an array column's old and new values. */
  private static Column union(String column) {
    return array_distinct(concat(coalesce(s(column), array()), coalesce(t(column), array())));
  }
}
