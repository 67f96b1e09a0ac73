package nightwatch.stages.classify;

import static org.apache.spark.sql.functions.*;

import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the scorers take from the classifier: per cluster, the mean message probability; per account, its
 * messages at or above the threshold. A {@code null} signal (no model) leaves every score as it was.
 *
 * @param clusters  cluster_id, model_score (mean probability of the cluster's messages)
 * @param accounts  account_id, model_messages (messages at or above the threshold), model_score (their mean
 *                  probability), model_share (their share of the account's messages of the day),
 *                  model_validated_messages and model_validated_share (the same within the account's messages
 *                  in the consistent rule's scripts), model_sample_ids (up to 5 hits); only accounts with at
 *                  least one hit
 * @param threshold probability threshold chosen at training time for the target precision
 * @param version   model version (table models)
 * @param consistent when the model's evidence on an account is strong enough for a review tier alone
 */
public record ModelSignals(Dataset<Row> clusters, Dataset<Row> accounts, double threshold, double clusterWeight,
                           double accountWeight, Consistent consistent, String version) {

  /**
   * An account is consistently flagged when, among its messages of the day written in one of {@code scripts}
   * (those the model has seen enough ordinary speech in), at least {@code messages}, and at least {@code share}
   * of them, are at or above the threshold; its model term is then at least {@code weight}. Messages in other
   * scripts neither count for nor against it.
   */
  public record Consistent(long messages, double share, double weight, Set<String> scripts) {}

  /**
   * @param scored    messages with message_id, account_id, {@value PropagandaClassifier#SCORE} and script
   *                  ({@link nightwatch.stages.text.Scripts})
   * @param clustered message_id, cluster_id of the clustered messages
   */
  public static ModelSignals of(Dataset<Row> scored, Dataset<Row> clustered, double threshold, double clusterWeight,
                                double accountWeight, Consistent consistent, String version) {
    String p = PropagandaClassifier.SCORE;
    Dataset<Row> clusters = clustered.select("message_id", "cluster_id")
        .join(scored.select("message_id", p), "message_id")
        .groupBy("cluster_id").agg(avg(p).as("model_score"));
    // One pass over all of the day's messages: the share needs the account's total, not only its hits.
    Column hit = col(p).geq(threshold);
    Column readable = col("script").isin(consistent.scripts().toArray());
    Column validated = hit.and(readable);
    Dataset<Row> accounts = scored.groupBy("account_id").agg(
            count(when(hit, lit(1))).as("model_messages"),
            avg(when(hit, col(p))).as("model_score"),
            count(when(hit, lit(1))).divide(count(lit(1))).as("model_share"),
            count(when(validated, lit(1))).as("model_validated_messages"),
            count(when(validated, lit(1))).divide(greatest(count(when(readable, lit(1))), lit(1)))
                .as("model_validated_share"),
            slice(sort_array(collect_list(when(hit, col("message_id")))), 1, 5).as("model_sample_ids"))
        .filter(col("model_messages").gt(0));
    return new ModelSignals(clusters, accounts, threshold, clusterWeight, accountWeight, consistent, version);
  }
}
