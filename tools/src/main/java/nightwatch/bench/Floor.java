package nightwatch.bench;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.DayInput;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Normalizer;
import nightwatch.stages.text.Shingler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The floor of a nightly run: read the day's messages, parse them, normalise and compute a signature for
 * every message, with no shuffle at all (no validation of duplicates, no exact-duplicate collapse, no
 * join). Nothing the job does per message can be cheaper than this, so the full job is reported as a
 * multiple of it.
 */
public final class Floor {
  private Floor() {}

  public static Dataset<Row> plan(SparkSession spark, NightwatchConfig cfg, LocalDate ds) {
    NightwatchConfig.Input in = cfg.input();
    NightwatchConfig.Text tp = cfg.text();
    Dataset<Row> lines = DayInput.required(spark, in.path(in.messages(), ds), in.format(), "messages", false);
    Dataset<Row> messages = lines
        // Only what normalising and signing need, as strings: the floor does no type validation.
        .select(from_json(col("value"), "message_id STRING, text STRING", java.util.Map.of()).as("m"))
        .select("m.*")
        .filter(col("message_id").isNotNull().and(col("text").isNotNull()));
    int minChars = tp.minChars();
    // The same parameters and signer as the nightly job, so the floor does the job's per-message work.
    MinHashSigner signer = MinHashSigner.of(spark, cfg, LshParams.of(cfg.lsh()));
    Dataset<Row> docs = ExactDuplicates.assignDocIds(Normalizer.apply(messages), minChars);
    return signer.sign(Shingler.apply(docs, tp)).select("message_id", "doc_id", "sig");
  }

  /** Runs the floor to the end without writing anything (Spark's noop sink). */
  public static void run(SparkSession spark, NightwatchConfig cfg, LocalDate ds) {
    plan(spark, cfg, ds).write().format("noop").mode("overwrite").save();
  }
}
