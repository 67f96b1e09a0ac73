package nightwatch.stages.cluster;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Per-cluster spread and content: size, accounts, time span, the most accounts posting within a short and
 * a long window (tumbling windows), languages, hashtags, domains, representative text, the share of
 * young and of already-suspended accounts, and the most of its accounts created within one creation window of
 * each other (sliding: sockpuppets are registered in batches, organic posters years apart).
 */
public final class ClusterStats {
  private ClusterStats() {}

  public static final int TOP_N = 5;
  public static final int REPRESENTATIVE_CHARS = 280;

  /**
   * @param clustered   output of ClusterBuilder.assign (needs cluster_id, component, account_id, doc_id, message_id,
   *                    created_at, text, lang, hashtags, domains)
   * @param accounts    account_id, created_at
   * @param suspensions account_id, reinstated_at
   */
  public static Dataset<Row> compute(Dataset<Row> clustered, Dataset<Row> accounts, Dataset<Row> suspensions,
                                     LocalDate ds, int youngDays, int shortWindowSeconds, int longWindowSeconds,
                                     int creationWindowSeconds) {
    // Grouped, windowed and joined by the component (a long, one per cluster), not by cluster_id: every cluster_id
    // of a day starts with the same 8 characters (the date), so a sort on it never settles on its 8-byte prefix
    // and compares whole strings (at 10M, string comparisons and sorts were a fifth of the scoring stage).
    Dataset<Row> base = clustered.groupBy("component", "cluster_id").agg(
        count(lit(1)).as("messages"),
        countDistinct("doc_id").as("distinct_texts"),
        min("created_at").as("first_seen"),
        max("created_at").as("last_seen"),
        substring(min_by(col("text"), struct(col("created_at"), col("message_id"))), 1, REPRESENTATIVE_CHARS)
            .as("representative_text"));

    Dataset<Row> shortW = maxAccountsInWindow(clustered, shortWindowSeconds, "max_accounts_60s");
    Dataset<Row> longW = maxAccountsInWindow(clustered, longWindowSeconds, "max_accounts_1h");
    Dataset<Row> langs = top(clustered.select(col("component"), coalesce(col("lang"), lit("und")).as("item")),
        "languages");
    Dataset<Row> tags = top(clustered.select(col("component"), explode(col("hashtags")).as("item")), "top_hashtags");
    Dataset<Row> domains = top(clustered.select(col("component"), explode(col("domains")).as("item")),
        "top_domains");

    Column youngSince = lit(ds.minusDays(youngDays) + "T00:00:00Z").cast("timestamp");
    Dataset<Row> active = suspensions.filter(col("reinstated_at").isNull()).select("account_id").distinct()
        .withColumn("_suspended", lit(1.0));
    // Accounts of the cluster created in [this account's creation, + window): unknown creation times count 0.
    Column createdWithin = when(col("_acct_created").isNull(), lit(0L)).otherwise(count(col("_acct_created"))
        .over(Window.partitionBy("component").orderBy(unix_seconds(col("_acct_created")))
            .rangeBetween(0, creationWindowSeconds - 1L)));
    // One row per (cluster, account): the distinct accounts are its row count.
    Dataset<Row> acc = clustered.select("component", "account_id").distinct()
        .join(accounts.select(col("account_id"), col("created_at").as("_acct_created")), "account_id", "left")
        .join(active, "account_id", "left")
        .withColumn("_created_within", createdWithin)
        .groupBy("component").agg(
            count(lit(1)).as("distinct_accounts"),
            avg(when(col("_acct_created").geq(youngSince), 1.0).otherwise(0.0)).as("young_account_share"),
            avg(coalesce(col("_suspended"), lit(0.0))).as("suspended_account_share"),
            max("_created_within").as("max_accounts_created_together"));

    return base.join(shortW, "component").join(longW, "component").join(acc, "component")
        .join(langs, "component", "left").join(tags, "component", "left").join(domains, "component", "left")
        .select("cluster_id", "messages", "distinct_accounts", "distinct_texts", "first_seen", "last_seen",
            "representative_text", "max_accounts_60s", "max_accounts_1h", "young_account_share",
            "suspended_account_share", "max_accounts_created_together", "languages", "top_hashtags", "top_domains");
  }

  private static Dataset<Row> maxAccountsInWindow(Dataset<Row> clustered, int seconds, String name) {
    return clustered
        .groupBy(col("component"), floor(unix_seconds(col("created_at")).divide(seconds)).as("_w"))
        .agg(countDistinct("account_id").as("_n"))
        .groupBy("component").agg(max("_n").as(name));
  }

  /** The TOP_N most frequent items per cluster (column component), most frequent first (ties by item). */
  static Dataset<Row> top(Dataset<Row> clusterItems, String name) {
    return clusterItems.groupBy("component", "item").agg(count(lit(1)).as("_c"))
        .groupBy("component")
        .agg(slice(transform(sort_array(collect_list(struct(negate(col("_c")).as("neg"), col("item").as("item")))),
            s -> s.getField("item")), 1, TOP_N).as(name));
  }
}
