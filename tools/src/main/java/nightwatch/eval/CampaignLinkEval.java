package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import java.io.File;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * How well campaigns are followed across days, against the generator's planted campaigns, over every day up
 * to {@code ds} whose ground truth and outputs exist (at most {@link #MAX_DAYS}).
 *
 * <p>The unit followed is a planted near-duplicate family (the truth cluster: one campaign's seed text in one
 * language, drifting from day to day), which is what a Nightwatch campaign is. On each day, a family's id
 * is the campaign id that most of its detected messages carry. A family seen on two or more days keeps one
 * id when that id is the same on all of them ({@code campaign_link_accuracy}). A false merge is a campaign
 * id that is the id of families of two different planted campaigns ({@code campaign_false_merges}).
 */
public final class CampaignLinkEval {
  private CampaignLinkEval() {}

  public static final int MAX_DAYS = 14;

  /** Per message of a planted campaign: day, planted campaign, family, and the campaign id it got (if any). */
  public static Dataset<Row> labelled(SparkSession spark, Warehouse wh, LocalDate ds,
                                      Function<LocalDate, String> truthDirFor) {
    List<Dataset<Row>> days = new ArrayList<>();
    for (int i = 0; i < MAX_DAYS; i++) {
      LocalDate d = ds.minusDays(i);
      String dir = truthDirFor.apply(d);
      if (dir == null || !new File(dir + "/_truth/messages").exists()) {
        break;
      }
      days.add(read(spark, dir + "/_truth/messages")
          .filter(col("campaign_id").isNotNull().and(col("truth_cluster").isNotNull()))
          .select(lit(d.toString()).cast("date").as("ds"), col("message_id"), col("campaign_id").as("planted"),
              col("truth_cluster").as("family")));
    }
    if (days.isEmpty()) {
      return null;
    }
    Dataset<Row> truth = days.stream().reduce(Dataset::unionByName).orElseThrow();
    Dataset<Row> predicted = wh.read(Tables.MESSAGE_CLUSTERS).select("ds", "message_id", "cluster_id")
        .join(wh.read(Tables.CLUSTERS).filter(col("campaign_id").isNotNull()).select("ds", "cluster_id", "campaign_id"),
            new String[] {"ds", "cluster_id"})
        .select("ds", "message_id", "campaign_id");
    return truth.join(predicted, new String[] {"ds", "message_id"}, "left");
  }

  public static Map<String, Object> evaluate(SparkSession spark, Warehouse wh, LocalDate ds,
                                             Function<LocalDate, String> truthDirFor) {
    Map<String, Object> m = new LinkedHashMap<>();
    Dataset<Row> lab = labelled(spark, wh, ds, truthDirFor);
    if (lab == null) {
      return m;
    }
    // Computed once: the figures below are several aggregates over it (truth of up to 14 days, two tables).
    lab = lab.localCheckpoint();
    // A family's id on a day: the campaign id most of its detected messages carry (ties: smallest id).
    Dataset<Row> daily = lab.filter(col("campaign_id").isNotNull())
        .groupBy("planted", "family", "ds", "campaign_id").count()
        .withColumn("_rn", row_number().over(Window.partitionBy("family", "ds")
            .orderBy(col("count").desc(), col("campaign_id"))))
        .filter(col("_rn").equalTo(1)).drop("_rn", "count")
        .localCheckpoint();
    Row f = daily.groupBy("family").agg(countDistinct("ds").as("days"), countDistinct("campaign_id").as("ids"))
        .filter(col("days").geq(2))
        .agg(count(lit(1)), sum(when(col("ids").equalTo(1), 1L).otherwise(0L))).first();
    long multiDay = f.getLong(0);
    long kept = f.isNullAt(1) ? 0 : f.getLong(1);
    long falseMerges = daily.groupBy("campaign_id").agg(countDistinct("planted").as("planted"))
        .filter(col("planted").geq(2)).count();
    Row c = daily.groupBy("planted").agg(countDistinct("ds").as("days"), countDistinct("campaign_id").as("ids"))
        .filter(col("days").geq(2)).agg(count(lit(1)), coalesce(avg("ids"), lit(0.0))).first();
    long days = lab.select("ds").distinct().count();
    m.put("campaign_link_days", days);
    m.put("campaign_link_accuracy", multiDay == 0 ? null : Math.round(10000.0 * kept / multiDay) / 10000.0);
    m.put("campaign_link_families_multi_day", multiDay);
    m.put("campaign_link_families_kept", kept);
    m.put("campaign_false_merges", falseMerges);
    m.put("campaign_planted_multi_day", c.getLong(0));
    m.put("campaign_ids_per_planted_campaign", Math.round(c.getDouble(1) * 100) / 100.0);
    return m;
  }

  private static Dataset<Row> read(SparkSession spark, String dir) {
    String[] names = new File(dir).list();
    boolean parquet = names != null && java.util.Arrays.stream(names).anyMatch(n -> n.endsWith(".parquet"));
    return parquet ? spark.read().parquet(dir) : spark.read().json(dir);
  }
}
