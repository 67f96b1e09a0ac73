package nightwatch.stages.cluster;

import static org.apache.spark.sql.functions.*;

import nightwatch.config.NightwatchConfig;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.graph.ConnectedComponents;
import nightwatch.stages.lsh.Banding;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Normalizer;
import nightwatch.stages.text.Shingler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The clustering steps of the nightly job chained for one day of messages, for the evaluation and
 * benchmark commands (the nightly job runs the same stage calls one by one, timed): normalise, collapse
 * exact duplicates, shingle, sign, band, verified star edges, connected components. Intermediates are
 * locally checkpointed because each is used more than once.
 */
public final class NearDuplicateClustering {
  private NearDuplicateClustering() {}

  /**
   * @param messages  per message: message_id, account_id, doc_id, norm_text, component (its text's
   *                  component, or its own doc_id when the text has no verified edge)
   * @param docs      per distinct comparable text: doc_id, norm_text, messages, shingles
   * @param signed    doc_id, sig
   */
  public record Result(Dataset<Row> messages, Dataset<Row> docs, Dataset<Row> signed, LshParams lsh,
                       long candidateEdges, long verifiedEdges, int rounds) {}

  /** Minimum normalised length below which a message is near-empty and stays alone. */
  public static int minChars(NightwatchConfig.Text tp) {
    return tp.charShingleSize() + tp.minShingles() - 1;
  }

  /** Distinct texts with their shingles (the exact sets the signatures are computed from). */
  public static Dataset<Row> docs(Dataset<Row> normalized, NightwatchConfig.Text tp) {
    return Shingler.apply(ExactDuplicates.docs(normalized), tp)
        .filter(size(col("shingles")).geq(tp.minShingles()));
  }

  public static Dataset<Row> normalize(Dataset<Row> messages, NightwatchConfig.Text tp) {
    return ExactDuplicates.assignDocIds(Normalizer.apply(messages.select("message_id", "account_id", "text")),
        minChars(tp)).select("message_id", "account_id", "doc_id", "norm_text", "comparable");
  }

  public static Result run(SparkSession spark, Dataset<Row> messages, NightwatchConfig cfg) {
    NightwatchConfig.Text tp = cfg.text();
    LshParams lsh = LshParams.of(cfg.lsh());
    MinHashSigner signer = MinHashSigner.of(spark, cfg, lsh);
    Dataset<Row> norm = normalize(messages, tp).localCheckpoint();
    Dataset<Row> docs = docs(norm, tp).localCheckpoint();
    Dataset<Row> signed = Banding.keepPartitioned(signer.sign(docs).select("doc_id", "sig", "sh"),
        org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> candidates = Banding.keepSorted(
        Banding.candidateEdges(signed, lsh, cfg.lsh().pairBucketSize()), "src",
        org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> edges = Banding.verifyExact(candidates, signed, cfg.lsh().threshold())
        .localCheckpoint();
    long edgeCount = edges.count();
    ConnectedComponents.Result cc = ConnectedComponents.run(edges, cfg.cluster().maxCcRounds(), edgeCount);
    Dataset<Row> assigned = norm.join(cc.components().withColumnRenamed("node", "doc_id"), "doc_id", "left")
        .withColumn("component", coalesce(col("component"), col("doc_id")))
        .localCheckpoint();
    return new Result(assigned, docs, signed, lsh, candidates.count(), edgeCount, cc.rounds());
  }
}
