package nightwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.eval.ClusteringEvaluation;
import nightwatch.eval.ClusteringRun;
import nightwatch.io.DayInput;
import nightwatch.schema.Tables;
import nightwatch.spark.Sessions;
import nightwatch.stages.ingest.InputValidator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate-clustering", mixinStandardHelpOptions = true,
    description = "Run the clustering stage on one day's input and score it against the exact (brute-force) "
        + "set of message pairs with Jaccard >= threshold, and against planted campaigns when _truth/ exists; "
        + "print one JSON object.")
public final class EvaluateClusteringCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "A day's input folder (messages/ and, if generated, _truth/).")
  String input;

  @Option(names = "--date", required = true, description = "The day of the input.")
  LocalDate date;

  @Option(names = "--conf", description = "Config file.")
  File conf;

  @Option(names = "--threshold", description = "Jaccard threshold (default: nightwatch.lsh.threshold).")
  Double threshold;

  @Option(names = "--sample", defaultValue = "1.0", description = "Fraction of messages to keep (default: all).")
  double sample;

  @Option(names = "--cross-join", description = "Truth by a full cross join instead of the prefix filter (small days).")
  boolean crossJoin;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    if (threshold != null) {
      overrides.put("nightwatch.lsh.threshold", threshold);
    }
    NightwatchConfig cfg = NightwatchConfig.load(conf, overrides);
    SparkSession spark = Sessions.get("nightwatch-evaluate-clustering");
    Dataset<Row> messages = validMessages(spark, input, date, cfg);
    if (sample < 1.0) {
      messages = messages.sample(false, sample, 42);
    }
    long start = System.nanoTime();
    ClusteringRun.Result res = ClusteringRun.run(spark, messages, cfg, "evaluate-clustering");
    double stageSeconds = (System.nanoTime() - start) / 1e9;
    File truth = new File(input, "_truth/messages");
    Dataset<Row> planted = truth.exists() ? spark.read().parquet(truth.getPath()) : null;
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("input", input);
    m.put("stage_seconds", Math.round(stageSeconds * 10) / 10.0);
    m.putAll(ClusteringEvaluation.evaluate(res, cfg.lsh().threshold(), crossJoin, planted,
        cfg.cluster().minMessages(), cfg.cluster().minAccounts()));
    System.out.println(new ObjectMapper().writeValueAsString(m));
    return Main.OK;
  }

  /** The day's valid messages, through the same validation as the nightly job. */
  static Dataset<Row> validMessages(SparkSession spark, String dir, LocalDate ds, NightwatchConfig cfg) {
    Dataset<Row> lines = DayInput.required(spark, dir + "/messages", "auto", "messages", false);
    return InputValidator.validate(lines, Tables.schema("messages"),
        new InputValidator.Rules("messages", "message_id", "created_at", true, "text",
            cfg.limits().maxTextChars(), cfg.limits().clockSkewMinutes()), ds, Instant.now())
        .materialized(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()).valid();
  }
}
