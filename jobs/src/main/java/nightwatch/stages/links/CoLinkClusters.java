package nightwatch.stages.links;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.cluster.ClusterBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Coordinated link sharing (after CooRnet): a canonical URL whose first shares by at least min-accounts accounts fall
 * within one coordination interval forms a link cluster of all the day's messages that post it. The interval comes
 * from the day's own sharing times ({@link #intervalSeconds}), so a network's usual pace sets it, not a constant.
 */
public final class CoLinkClusters {
  private CoLinkClusters() {}

  public static final String KIND = "link";
  public static final String LINK = "link";

  /** message_id, account_id, t (epoch seconds), link: one row per message and canonical link it posts. */
  public static Dataset<Row> shares(Dataset<Row> messages) {
    return messages.filter(col("urls").isNotNull())
        .select(col("message_id"), col("account_id"), unix_seconds(col("created_at")).as("t"),
            explode(col("urls")).as("_url"))
        .select(col("message_id"), col("account_id"), col("t"), LinkCanonicalizer.canonical(col("_url")).as(LINK))
        .filter(col(LINK).isNotNull())
        .dropDuplicates("message_id", LINK);
  }

  /**
   * CooRnet's coordination interval: for each link shared more than once, the seconds from its first share to its
   * first share past {@code intervalShare} of its shares; the median of that over the quickest
   * {@code intervalQuantile} of the links, which is that time's quantile at half the share. Held within the
   * configured bounds; the lower bound when no link is shared twice.
   */
  public static long intervalSeconds(Dataset<Row> shares, NightwatchConfig.Links k) {
    WindowSpec byLink = Window.partitionBy(LINK);
    Dataset<Row> perLink = shares
        .withColumn("_n", count(lit(1)).over(byLink))
        .filter(col("_n").gt(1))
        .withColumn("_rank", row_number().over(byLink.orderBy(col("t"), col("message_id"))))
        .withColumn("_first", min("t").over(byLink))
        .filter(col("_rank").divide(col("_n")).gt(k.intervalShare()))
        .groupBy(LINK).agg(min(col("t").minus(col("_first"))).as("_secs"));
    Row r = perLink.agg(percentile_approx(col("_secs"), lit(k.intervalQuantile() / 2), lit(10_000))).first();
    long secs = r.isNullAt(0) ? k.minIntervalSeconds() : r.getLong(0);
    return Math.max(k.minIntervalSeconds(), Math.min(k.maxIntervalSeconds(), secs));
  }

  /**
   * link, component, coordinated_accounts, shares: the links whose accounts' first shares include at least
   * {@code minAccounts} within one interval of {@code seconds} (sliding, from each first share), and their messages.
   */
  public static Dataset<Row> coordinated(Dataset<Row> shares, long seconds, int minAccounts) {
    Column within = count(lit(1)).over(Window.partitionBy(LINK).orderBy(col("t")).rangeBetween(0, seconds - 1));
    return shares.groupBy(LINK, "account_id").agg(min("t").as("t"), count(lit(1)).as("_n"))
        .withColumn("_within", within)
        .groupBy(LINK).agg(max("_within").as("coordinated_accounts"), sum("_n").as("shares"))
        .filter(col("coordinated_accounts").geq(minAccounts))
        // A link's key: never equal to a text cluster's (the hash of a text), but for odds of about 2^-64 a pair.
        .withColumn("component", xxhash64(lit(KIND), col(LINK)));
  }

  /**
   * The messages of the coordinated links as clustered rows: every column of {@code messages}, plus component,
   * cluster_id, kind ({@value #KIND}) and link. With {@code broadcastMembers} the member list goes to every task and
   * the wide message rows are not shuffled (only for a list known to be small).
   */
  public static Dataset<Row> assign(Dataset<Row> messages, Dataset<Row> shares, Dataset<Row> coordinated,
                                    LocalDate ds, boolean broadcastMembers) {
    Dataset<Row> members = shares.join(coordinated.select(LINK, "component"), LINK)
        .select("message_id", "component", LINK);
    return messages.join(broadcastMembers ? broadcast(members) : members, "message_id")
        .withColumn("cluster_id", ClusterBuilder.clusterId(ds))
        .withColumn("kind", lit(KIND));
  }
}
