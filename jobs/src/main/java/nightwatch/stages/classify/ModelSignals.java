package nightwatch.stages.classify;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the scorers take from the classifier: per cluster, the mean message probability; per account, its
 * messages at or above the threshold. A {@code null} signal (no model) leaves every score as it was.
 *
 * @param clusters  cluster_id, model_score (mean probability of the cluster's messages)
 * @param accounts  account_id, model_messages (messages at or above the threshold), model_score (their mean
 *                  probability), model_sample_ids (up to 5 of them); only accounts with at least one
 * @param threshold probability threshold chosen at training time for the target precision
 * @param version   model version (table models)
 */
public record ModelSignals(Dataset<Row> clusters, Dataset<Row> accounts, double threshold, double clusterWeight,
                           double accountWeight, String version) {

  /**
   * @param scored    messages with message_id, account_id and {@value PropagandaClassifier#SCORE}
   * @param clustered message_id, cluster_id of the clustered messages
   */
  public static ModelSignals of(Dataset<Row> scored, Dataset<Row> clustered, double threshold, double clusterWeight,
                                double accountWeight, String version) {
    String p = PropagandaClassifier.SCORE;
    Dataset<Row> clusters = clustered.select("message_id", "cluster_id")
        .join(scored.select("message_id", p), "message_id")
        .groupBy("cluster_id").agg(avg(p).as("model_score"));
    Dataset<Row> accounts = scored.filter(col(p).geq(threshold))
        .groupBy("account_id").agg(
            count(lit(1)).as("model_messages"),
            avg(p).as("model_score"),
            slice(sort_array(collect_list("message_id")), 1, 5).as("model_sample_ids"));
    return new ModelSignals(clusters, accounts, threshold, clusterWeight, accountWeight, version);
  }
}
