package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nightwatch.io.MissingInputException;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Compares a day's outputs with the generator's ground truth ({@code DIR/_truth/}): text clusters pairwise and
 * by ARI against the planted near-duplicate groups, link clusters against the planted link campaigns
 * ({@link LinkClusterEval}), media clusters against the planted media campaigns ({@link MediaClusterEval}), and review
 * tiers against the planted account roles.
 */
public final class Evaluator {
  private Evaluator() {}

  /** Roles that should reach a review tier. */
  public static final List<String> POSITIVE_ROLES = List.of("propagandist", "amplifier", "ban_evader");
  /** Roles that must never reach a tier (they quote, report or are targeted by propaganda's opponents). */
  public static final List<String> PROTECTED_ROLES = List.of("counter_speech", "news", "researcher",
      "activist_reporter", "brigade_target");
  /** Roles whose own messages condemn propaganda they quote (activists too): any tier is a counter-speech flag. */
  public static final List<String> COUNTER_SPEECH_ROLES = List.of("counter_speech", "activist_reporter",
      "brigade_target");

  /**
   * @param flaggedClusterScore the config's scoring.flagged-cluster-score: a link or media cluster at or above it is
   *                            flagged
   */
  public static Map<String, Object> evaluate(SparkSession spark, Warehouse wh, LocalDate ds, String truthDir,
                                             double flaggedClusterScore) {
    Dataset<Row> truthMessages = read(spark, truthDir + "/_truth/messages");
    Dataset<Row> truthAccounts = read(spark, truthDir + "/_truth/accounts");
    Column day = lit(ds.toString()).cast("date");
    Dataset<Row> memberships = wh.read(Tables.MESSAGE_CLUSTERS).filter(col("ds").equalTo(day))
        .select("message_id", "cluster_id");
    Dataset<Row> clusters = wh.read(Tables.CLUSTERS).filter(col("ds").equalTo(day));
    Dataset<Row> predicted = textMemberships(memberships, clusters);
    Dataset<Row> labelled = truthMessages.select("message_id", "truth_cluster")
        .join(predicted, "message_id", "left")
        .select(coalesce(col("cluster_id"), concat(lit("single:"), col("message_id"))).as("predicted"),
            coalesce(col("truth_cluster"), concat(lit("single:"), col("message_id"))).as("truth"));
    // Each evaluated intermediate is computed once (small: one row per message or account), so the many
    // aggregates below do not rescan the truth, the input and the tables.
    PairCounts pc = PairCounts.of(labelled.localCheckpoint());

    Dataset<Row> cands = wh.read(Tables.SUSPENSION_CANDIDATES).filter(col("ds").equalTo(day))
        .select("account_id", "tier", "status");
    Dataset<Row> posted = read(spark, truthDir + "/messages", "account_id STRING").distinct();
    Dataset<Row> acc = truthAccounts.select("account_id", "role").join(cands, "account_id", "left")
        .join(posted.withColumn("posted", lit(true)), "account_id", "left")
        .withColumn("posted", coalesce(col("posted"), lit(false)))
        .localCheckpoint();
    Column positive = col("role").isin(POSITIVE_ROLES.toArray());
    Column highTier = col("tier").isin("T1", "T2");
    Row r = acc.agg(
        sum(when(highTier, 1L).otherwise(0L)),
        sum(when(highTier.and(positive), 1L).otherwise(0L)),
        sum(when(positive.and(col("posted")), 1L).otherwise(0L)),
        sum(when(positive.and(col("posted")).and(highTier), 1L).otherwise(0L)),
        sum(when(col("role").isin(PROTECTED_ROLES.toArray()), 1L).otherwise(0L)),
        sum(when(col("role").isin(PROTECTED_ROLES.toArray()).and(col("tier").isNotNull()), 1L).otherwise(0L)),
        sum(when(col("role").equalTo("brigade_target").and(highTier), 1L).otherwise(0L)),
        sum(when(col("tier").isNotNull(), 1L).otherwise(0L)),
        sum(when(col("tier").isNotNull().and(positive), 1L).otherwise(0L)),
        sum(when(col("role").isin(COUNTER_SPEECH_ROLES.toArray()), 1L).otherwise(0L)),
        sum(when(col("role").isin(COUNTER_SPEECH_ROLES.toArray()).and(col("tier").isNotNull()), 1L).otherwise(0L)))
        .first();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ds", ds.toString());
    m.put("cluster_pair_precision", round(pc.precision()));
    m.put("cluster_pair_recall", round(pc.recall()));
    m.put("cluster_ari", round(pc.ari()));
    m.putAll(LinkClusterEval.evaluate(truthMessages, memberships, clusters, flaggedClusterScore));
    m.putAll(MediaClusterEval.evaluate(truthMessages, memberships, clusters, flaggedClusterScore));
    m.put("account_precision", round(ratio(r.getLong(1), r.getLong(0))));
    m.put("account_recall", round(ratio(r.getLong(3), r.getLong(2))));
    m.put("protected_false_positive_rate", round(ratio(r.getLong(5), r.getLong(4))));
    m.put("protected_false_positives", r.getLong(5));
    m.put("counter_speech_flag_rate", round(ratio(r.getLong(10), r.getLong(9))));
    m.put("brigade_victims_flagged", r.getLong(6));
    m.put("any_tier_precision", round(ratio(r.getLong(8), r.getLong(7))));
    m.put("accounts_t1_t2", r.getLong(0));
    m.put("positive_accounts_active", r.getLong(2));
    Map<String, Object> byRole = new LinkedHashMap<>();
    for (Row x : acc.groupBy("role").agg(count(lit(1)).as("n"), sum(when(col("tier").isNotNull(), 1L).otherwise(0L))
        .as("tiered")).orderBy("role").collectAsList()) {
      byRole.put(x.getString(0), x.getLong(2) + "/" + x.getLong(1));
    }
    m.put("tiered_by_role", byRole);
    m.putAll(EvaluatorDetail.detail(acc, wh.read(Tables.SUSPENSION_CANDIDATES).filter(col("ds").equalTo(day)),
        truthAccounts));
    // Earlier days' truth: the same path with the date replaced (the demo's and generate's layouts).
    m.putAll(CampaignLinkEval.evaluate(spark, wh, ds,
        d -> d.equals(ds) ? truthDir : truthDir.contains(ds.toString()) ? truthDir.replace(ds.toString(), d.toString()) : null));
    return m;
  }

  /**
   * The memberships of text clusters: a message can also be in a link or media cluster, which the near-duplicate
   * truth does not plant. A warehouse whose clusters have no kind holds text clusters only.
   */
  static Dataset<Row> textMemberships(Dataset<Row> memberships, Dataset<Row> clusters) {
    if (!java.util.Arrays.asList(clusters.columns()).contains("kind")) {
      return memberships;
    }
    return memberships.join(clusters.filter(col("kind").notEqual("text")).select("cluster_id"), "cluster_id",
        "left_anti").select("message_id", "cluster_id");
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0.0 : (double) a / b;
  }

  private static double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }

  private static Dataset<Row> read(SparkSession spark, String dir) {
    return read(spark, dir, null);
  }

  /** With {@code ddl}, only those columns (JSON is then read with that schema: no inference pass). */
  private static Dataset<Row> read(SparkSession spark, String dir, String ddl) {
    java.io.File f = new java.io.File(dir);
    if (!f.exists()) {
      throw new MissingInputException("missing ground truth: " + dir);
    }
    String[] names = f.list();
    boolean parquet = names != null && java.util.Arrays.stream(names).anyMatch(n -> n.endsWith(".parquet"));
    if (parquet) {
      Dataset<Row> d = spark.read().parquet(dir);
      return ddl == null ? d : d.select(java.util.Arrays.stream(org.apache.spark.sql.types.StructType.fromDDL(ddl)
          .fieldNames()).map(functions::col).toArray(Column[]::new));
    }
    return ddl == null ? spark.read().json(dir) : spark.read().schema(ddl).json(dir);
  }
}
