package nightwatch.stages.scoring;

import static org.apache.spark.sql.functions.*;

import nightwatch.config.NightwatchConfig;
import java.util.List;
import nightwatch.stages.classify.ModelSignals;
import nightwatch.stages.cluster.ClusterBuilder;
import nightwatch.stages.known.KnownLinkMatcher;
import nightwatch.stages.known.KnownMediaMatcher;
import nightwatch.stages.links.CoLinkClusters;
import nightwatch.stages.media.MediaClusters;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Propaganda score of a cluster, as a noisy-OR of explainable signals, each with a reason code:
 * KNOWN_PROPAGANDA (matched known_propaganda), KNOWN_LINK (a link cluster whose link known_links names), CO_LINK (a
 * link cluster: one link many accounts shared within the coordination interval), KNOWN_MEDIA (a media cluster with an
 * item known_media lists), CO_MEDIA (a media cluster: the same file or near-identical images), COORDINATED_BURST (a large share of the accounts posted
 * within the short or long window), YOUNG_ACCOUNTS, CREATED_TOGETHER (many of its accounts were created within
 * one creation window), SUSPENDED_OVERLAP (accounts already suspended),
 * REPORTED (credible reports per account), and CLASSIFIER (the mean probability of the latest trained model
 * over the cluster's messages reaches the model's threshold; {@code model_score} is null without a model).
 */
public final class ClusterScorer {
  private ClusterScorer() {}

  /**
   * @param stats        ClusterStats output
   * @param knownMatches cluster_id, ref_id, label
   * @param clusterReports cluster_id, reports_weighted (credible reports against the cluster's accounts)
   */
  public static Dataset<Row> score(Dataset<Row> stats, Dataset<Row> knownMatches, Dataset<Row> clusterReports,
                                   NightwatchConfig.Scoring s) {
    return score(stats, knownMatches, clusterReports, null, s);
  }

  /** As above, plus the classifier's term when {@code model} is not null. */
  public static Dataset<Row> score(Dataset<Row> stats, Dataset<Row> knownMatches, Dataset<Row> clusterReports,
                                   ModelSignals model, NightwatchConfig.Scoring s) {
    if (model != null) {
      stats = stats.join(model.clusters(), "cluster_id", "left");
    } else {
      stats = stats.withColumn("model_score", lit(null).cast("double"));
    }
    Column isModel = model == null ? lit(false)
        : coalesce(col("model_score").geq(model.threshold()), lit(false));
    double modelWeight = model == null ? 0.0 : model.clusterWeight();
    Dataset<Row> known = knownMatches.groupBy("cluster_id").agg(
        sort_array(collect_set("ref_id")).as("known_refs"),
        sort_array(collect_set("label")).as("known_labels"));
    Dataset<Row> j = stats.join(known, "cluster_id", "left").join(clusterReports, "cluster_id", "left");
    Column accounts = col("distinct_accounts").cast("double");
    // Share of the accounts inside the busiest window, damped when the window holds only a few accounts:
    // two friends retweeting within a minute are not a coordinated burst.
    Column burstShort = col("max_accounts_60s").divide(accounts)
        .multiply(least(lit(1.0), col("max_accounts_60s").divide(5.0)));
    Column burstLong = col("max_accounts_1h").divide(accounts)
        .multiply(least(lit(1.0), col("max_accounts_1h").divide(10.0)));
    Column burst = least(lit(1.0), greatest(burstShort.multiply(2.0), burstLong));
    // Accounts created together: full strength at 5 or more created within one window that are at least a
    // quarter of the cluster's accounts. Chance gives 1 or 2 in a cluster of hundreds created years apart.
    Column together = col("max_accounts_created_together").cast("double");
    Column created = least(lit(1.0), together.divide(accounts).multiply(4.0))
        .multiply(least(lit(1.0), greatest(lit(0.0), together.minus(2.0)).divide(3.0)));
    // Bursts alone are common (breaking news); bursts of young accounts, or of accounts created together,
    // are what campaigns look like. Neither alone is coordination: colleagues' accounts created on one day
    // that post at different times are not a campaign.
    Column coordination = least(lit(1.0),
        burst.multiply(lit(0.4).plus(col("young_account_share")).plus(created)));
    Column isKnown = coalesce(size(col("known_refs")), lit(0)).gt(0);
    Column knownLink = coalesce(exists(col("known_refs"), r -> r.startsWith(KnownLinkMatcher.REF_PREFIX)), lit(false));
    Column knownMedia = coalesce(exists(col("known_refs"), r -> r.startsWith(KnownMediaMatcher.REF_PREFIX)),
        lit(false));
    Column knownText = coalesce(exists(col("known_refs"), r -> not(r.startsWith(KnownLinkMatcher.REF_PREFIX))
        .and(not(r.startsWith(KnownMediaMatcher.REF_PREFIX)))), lit(false));
    // Stats from before link clusters (tests) have no kind: text.
    Column kind = List.of(stats.columns()).contains("kind") ? col("kind") : lit(ClusterBuilder.TEXT);
    Column reportsPerAccount = coalesce(col("cluster_reports_weighted"), lit(0.0)).divide(accounts);
    Column score = lit(1.0).minus(
        when(isKnown, lit(0.1)).otherwise(lit(1.0))
            .multiply(lit(1.0).minus(col("coordination_score").multiply(0.9)))
            .multiply(lit(1.0).minus(least(lit(1.0), col("suspended_account_share").multiply(3.0)).multiply(0.8)))
            // Reports are manipulable: alone they stay below the flag threshold, they only add to content signals.
            .multiply(lit(1.0).minus(least(lit(1.0), reportsPerAccount).multiply(0.4)))
            .multiply(when(isModel, lit(1.0).minus(col("model_score").multiply(modelWeight))).otherwise(lit(1.0))));
    Column reasons = array_compact(array(
        when(knownText, lit("KNOWN_PROPAGANDA")),
        when(knownLink, lit("KNOWN_LINK")),
        when(knownMedia, lit("KNOWN_MEDIA")),
        when(kind.equalTo(CoLinkClusters.KIND), lit("CO_LINK")),
        when(kind.equalTo(MediaClusters.KIND), lit("CO_MEDIA")),
        when(burst.geq(0.5), lit("COORDINATED_BURST")),
        when(col("young_account_share").geq(0.5), lit("YOUNG_ACCOUNTS")),
        when(created.geq(0.5), lit("CREATED_TOGETHER")),
        when(col("suspended_account_share").gt(0.0), lit("SUSPENDED_OVERLAP")),
        when(reportsPerAccount.geq(0.2), lit("REPORTED")),
        when(isModel, lit("CLASSIFIER"))));
    return j
        .withColumn("coordination_score", coordination)
        .withColumn("propaganda_score", score)
        .withColumn("reasons", reasons)
        .withColumn("flagged", col("propaganda_score").geq(s.flaggedClusterScore()))
        .drop("cluster_reports_weighted");
  }
}
