package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import nightwatch.stages.graph.ConnectedComponents;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores the clustering stage against exact truth. The truth edges are every pair of distinct texts
 * whose shingle sets (the very sets the signatures are computed from) have exact Jaccard at or above
 * the threshold ({@link ExactJaccardJoin}); identical normalised texts are always a true pair.
 *
 * <p>Two pair definitions, both over messages:
 * <ul>
 *   <li><b>closure</b> (headline): two messages are a true pair when the transitive closure of the true
 *       edges links them (the truth is a clustering, as the stage's output is). Pair precision, recall.
 *   <li><b>direct</b>: a true pair is a true edge itself. Recall = share of true edges whose messages
 *       the stage puts in one component; precision = share of same-component pairs that are true edges
 *       (stricter: a correct chain a~b~c with J(a,c) &lt; t counts a,c as a false pair).
 * </ul>
 * Near-empty messages (too short to compare) are singletons on both sides by design. Predicted groups
 * are the raw components (before the clusters' minimum size and account filters). Where planted truth
 * is given (synthetic days), ARI against it is reported for raw components and for the filtered
 * clusters the nightly job keeps.
 */
public final class ClusteringEvaluation {
  private ClusteringEvaluation() {}

  public static Map<String, Object> evaluate(ClusteringRun.Result res, double threshold,
                                             boolean crossJoin, Dataset<Row> planted, int minMessages,
                                             int minAccounts) {
    Map<String, Object> m = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    Dataset<Row> trueEdges = (crossJoin ? ExactJaccardJoin.crossJoin(res.docs(), threshold)
        : ExactJaccardJoin.prefixFiltered(res.docs(), threshold)).localCheckpoint();
    long nTrue = trueEdges.count();
    ConnectedComponents.Result tcc = ConnectedComponents.run(
        trueEdges.select(col("a").as("src"), col("b").as("dst")), 64);
    Dataset<Row> msgs = res.messages()
        .join(tcc.components().select(col("node").as("doc_id"), col("component").as("_tc")), "doc_id", "left")
        .withColumn("truth_component", coalesce(col("_tc"), col("doc_id"))).drop("_tc")
        .localCheckpoint();
    double truthSeconds = (System.nanoTime() - t0) / 1e9;

    PairCounts closure = PairCounts.of(msgs.select(col("component").cast("string").as("predicted"),
        col("truth_component").cast("string").as("truth")));

    // direct pairs: copies of one text, plus n_a * n_b message pairs per true edge between texts
    Dataset<Row> perDoc = msgs.groupBy("doc_id", "component").agg(count(lit(1)).cast("double").as("n"));
    Row within = perDoc.agg(coalesce(sum(col("n").multiply(col("n").minus(1)).divide(2)), lit(0.0))).first();
    Row across = trueEdges
        .join(perDoc.select(col("doc_id").as("a"), col("component").as("ca"), col("n").as("na")), "a")
        .join(perDoc.select(col("doc_id").as("b"), col("component").as("cb"), col("n").as("nb")), "b")
        .agg(coalesce(sum(col("na").multiply(col("nb"))), lit(0.0)),
            coalesce(sum(when(col("ca").equalTo(col("cb")), col("na").multiply(col("nb"))).otherwise(0.0)),
                lit(0.0)))
        .first();
    double w = within.getDouble(0);
    double directTrue = w + across.getDouble(0);
    double directFound = w + across.getDouble(1);

    Row sizes = msgs.groupBy("component").count().agg(max("count"), sum(when(col("count").geq(2), 1).otherwise(0)))
        .first();
    Row tsizes = msgs.groupBy("truth_component").count().agg(max("count")).first();

    m.put("threshold", threshold);
    m.put("lsh", res.lsh().toString());
    m.put("messages", msgs.count());
    m.put("distinct_comparable_texts", res.docs().count());
    m.put("candidate_edges", res.candidateEdges());
    m.put("verified_edges", res.verifiedEdges());
    m.put("cc_rounds", res.rounds());
    m.put("true_text_pairs", nTrue);
    m.put("truth_method", crossJoin ? "cross join" : "prefix filter");
    m.put("truth_seconds", round(truthSeconds));
    m.put("closure_pair_precision", round(closure.precision()));
    m.put("closure_pair_recall", round(closure.recall()));
    m.put("closure_ari", round(closure.ari()));
    m.put("closure_true_message_pairs", (long) closure.sameTruth());
    m.put("predicted_message_pairs", (long) closure.samePredicted());
    m.put("direct_pair_precision", round(closure.samePredicted() == 0 ? 1.0 : directFound / closure.samePredicted()));
    m.put("direct_pair_recall", round(directTrue == 0 ? 1.0 : directFound / directTrue));
    m.put("direct_true_message_pairs", (long) directTrue);
    m.put("largest_component_messages", sizes.getLong(0));
    m.put("components_with_2plus_messages", sizes.getLong(1));
    m.put("largest_truth_component_messages", tsizes.getLong(0));

    if (planted != null) {
      Dataset<Row> kept = msgs.groupBy("component")
          .agg(count(lit(1)).as("_n"), countDistinct("account_id").as("_a"))
          .filter(col("_n").geq(minMessages).and(col("_a").geq(minAccounts)))
          .select(col("component"), lit(true).as("_kept"));
      Dataset<Row> l = msgs.join(planted.select("message_id", "truth_cluster"), "message_id", "left")
          .join(kept, "component", "left")
          .withColumn("planted", coalesce(col("truth_cluster"), concat(lit("single:"), col("message_id"))));
      Column single = concat(lit("single:"), col("message_id"));
      PairCounts raw = PairCounts.of(l.select(col("component").cast("string").as("predicted"), col("planted").as("truth")));
      PairCounts filtered = PairCounts.of(l.select(
          when(col("_kept"), col("component").cast("string")).otherwise(single).as("predicted"),
          col("planted").as("truth")));
      m.put("planted_ari_components", round(raw.ari()));
      m.put("planted_pair_precision_components", round(raw.precision()));
      m.put("planted_pair_recall_components", round(raw.recall()));
      m.put("planted_ari_clusters", round(filtered.ari()));
      m.put("planted_pair_precision_clusters", round(filtered.precision()));
      m.put("planted_pair_recall_clusters", round(filtered.recall()));
    }
    return m;
  }

  static double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }
}
