package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import nightwatch.job.DayClustering;
import nightwatch.job.Run;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Normalizer;
import nightwatch.stages.text.Shingler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The nightly job's clustering ({@link DayClustering#components}) on a set of messages, for the commands that
 * evaluate and benchmark it: every message with its component, before the clusters' size and account filters.
 */
public final class ClusteringRun {
  private ClusteringRun() {}

  /**
   * @param messages per message: message_id, account_id, doc_id, norm_text, comparable, component (its text's
   *                 component, or its own doc_id when the text has no verified edge)
   * @param docs     per distinct comparable text with enough shingles: doc_id, norm_text, messages, shingles (the
   *                 exact sets the signatures are computed from)
   * @param run      the run's stage timings, Spark metrics (job groups {@code id:stage}) and counts
   */
  public record Result(Dataset<Row> messages, Dataset<Row> docs, LshParams lsh, Run run, int rounds) {
    public long candidateEdges() {
      return run.counts().get("candidate_edges");
    }

    public long verifiedEdges() {
      return run.counts().get("verified_edges");
    }

    /** Task time of every Spark job the run started, in milliseconds. */
    public long taskMillis() {
      return run.timer().millis().keySet().stream().mapToLong(s -> run.timer().metrics(s).taskMillis).sum();
    }
  }

  /** @param messages message_id, account_id, text */
  public static Result run(SparkSession spark, Dataset<Row> messages, NightwatchConfig cfg, String runId) {
    NightwatchConfig.Text tp = cfg.text();
    LshParams lsh = LshParams.of(cfg.lsh());
    Run run = Run.start(spark, runId, LocalDate.now(), StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> norm = run.timer().stage("normalise", () -> run.kept().keep(ExactDuplicates.assignDocIds(
        Normalizer.apply(messages.select("message_id", "account_id", "text")), tp.minChars())
        .select("message_id", "account_id", "doc_id", "norm_text", "comparable")));
    DayClustering.Components c = DayClustering.components(norm, cfg, MinHashSigner.of(spark, cfg, lsh), lsh, run);
    Dataset<Row> assigned = run.timer().stage("assign", () -> run.kept().keep(
        DayClustering.componentOfEachMessage(norm, c)));
    Dataset<Row> docs = Shingler.apply(ExactDuplicates.docs(norm), tp).filter(size(col("shingles")).geq(tp.minShingles()));
    return new Result(assigned, docs, lsh, run, c.rounds());
  }
}
