package nightwatch.stages.trends;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Daily trend rows: per campaign, per hashtag, and the campaigns table's state. */
public final class TrendBuilder {
  private TrendBuilder() {}

  /** messages_change at or above which a campaign is 'growing' (the report counts growing days with it too). */
  public static final double GROWING_CHANGE = 0.5;
  /** messages_change at or below which a campaign is 'declining'. */
  public static final double DECLINING_CHANGE = -0.5;

  /**
   * @param flaggedMessages  messages of flagged clusters with campaign_id, cluster_id, account_id
   * @param earlierAccounts  campaign_id, account_id seen on earlier days (bounded look-back)
   * @param previousDay      campaign_trends rows of the previous day
   */
  public static Dataset<Row> campaignTrends(Dataset<Row> flaggedMessages, Dataset<Row> earlierAccounts,
                                            Dataset<Row> previousDay, LocalDate ds) {
    Dataset<Row> accounts = flaggedMessages.select("campaign_id", "account_id").distinct()
        .join(earlierAccounts.select("campaign_id", "account_id").distinct().withColumn("_seen", lit(true)),
            new String[] {"campaign_id", "account_id"}, "left")
        .groupBy("campaign_id").agg(count(lit(1)).as("accounts"),
            sum(when(col("_seen").isNull(), 1L).otherwise(0L)).as("new_accounts"));
    Dataset<Row> today = flaggedMessages.groupBy("campaign_id").agg(
        countDistinct("cluster_id").as("clusters"), count(lit(1)).as("messages"));
    Dataset<Row> prev = previousDay.select(col("campaign_id"), col("messages").as("prev_messages"));
    return today.join(accounts, "campaign_id").join(prev, "campaign_id", "left")
        .withColumn("messages_change", try_divide(col("messages").minus(col("prev_messages")), col("prev_messages")))
        .withColumn("ds", lit(ds.toString()).cast("date"));
  }

  /**
   * Hashtags used in flagged clusters, with their counts in flagged clusters and in all traffic.
   * Only hashtags seen in flagged clusters are kept, so the table stays bounded.
   */
  public static Dataset<Row> hashtagTrends(Dataset<Row> allMessages, Dataset<Row> flaggedMessages, LocalDate ds) {
    // A message in two flagged clusters (a text and a link cluster) counts once.
    Dataset<Row> flagged = flaggedMessages.select("message_id", "hashtags").dropDuplicates("message_id")
        .select(explode(col("hashtags")).as("hashtag"))
        .groupBy("hashtag").agg(count(lit(1)).as("messages_flagged"));
    Dataset<Row> all = allMessages.select(explode(col("hashtags")).as("hashtag"))
        .join(flagged.select("hashtag"), "hashtag", "left_semi")
        .groupBy("hashtag").agg(count(lit(1)).as("messages_all"));
    return flagged.join(all, "hashtag")
        .withColumn("flagged_share", col("messages_flagged").divide(col("messages_all")))
        .withColumn("ds", lit(ds.toString()).cast("date"));
  }

  /**
   * Campaign state for today's campaigns from the whole trend history (so a rerun gives the same state):
   * first and last day seen, days active, and status.
   *
   * @param trendHistory campaign_trends rows up to and including ds, for today's campaigns
   */
  public static Dataset<Row> campaignState(Dataset<Row> trendHistory, Dataset<Row> todayTrends,
                                           Dataset<Row> clusters, Dataset<Row> newKeys, LocalDate ds) {
    Dataset<Row> hist = trendHistory.groupBy("campaign_id").agg(
        min("ds").as("first_seen"), max("ds").as("last_seen"), countDistinct("ds").as("days_active"),
        max(when(col("ds").lt(lit(ds.toString()).cast("date")), col("ds"))).as("_prev_seen"));
    Dataset<Row> perCampaign = clusters.groupBy("campaign_id").agg(
        max_by(col("representative_text"), col("messages")).as("representative_text"),
        sort_array(array_distinct(flatten(collect_list(coalesce(col("known_refs"), array().cast("array<string>"))))))
            .as("known_refs"),
        min(element_at(col("known_labels"), 1)).as("label"));
    Column day = lit(ds.toString()).cast("date");
    Column status = when(col("first_seen").equalTo(day), lit("new"))
        .when(col("_prev_seen").lt(date_sub(day, 1)), lit("returned"))
        .when(col("messages_change").geq(GROWING_CHANGE), lit("growing"))
        .when(col("messages_change").leq(DECLINING_CHANGE), lit("declining"))
        .otherwise(lit("steady"));
    return todayTrends.select("campaign_id", "messages", "messages_change")
        .join(hist, "campaign_id").join(perCampaign, "campaign_id", "left").join(newKeys, "campaign_id", "left")
        .withColumn("status", status)
        .withColumn("last_messages", col("messages"));
  }
}
