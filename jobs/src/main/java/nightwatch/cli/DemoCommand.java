package nightwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.eval.Evaluator;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.job.NightlyJob;
import nightwatch.job.RunResult;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "The embedded default: generate N synthetic days, run the nightly job on each in order, "
        + "write the tables and reports under the warehouse, print a summary and the evaluation scores.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--warehouse", defaultValue = "./warehouse", description = "Warehouse folder (default: ${DEFAULT-VALUE}).")
  String warehouse;

  @Option(names = "--days", defaultValue = "3", description = "Consecutive days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--messages", defaultValue = "200000", description = "Messages per day (default: ${DEFAULT-VALUE}).")
  long messages;

  @Option(names = "--start", defaultValue = "2026-11-20", description = "First day (default: ${DEFAULT-VALUE}).")
  LocalDate start;

  @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    NightwatchConfig cfg = Main.config(null, warehouse, null);
    SparkSession spark = Sessions.get("nightwatch-demo", cfg);
    // The demo is synthetic: without a key in the environment it pseudonymises with a random key for this run.
    NightlyJob job = new NightlyJob(spark, cfg,
        nightwatch.privacy.Pseudonymizer.fromEnvironmentOrRandom(cfg.pseudonymKeyEnv(), System.getenv()));
    List<RunResult> runs = new ArrayList<>();
    List<Map<String, Object>> scores = new ArrayList<>();
    for (int i = 0; i < days; i++) {
      LocalDate ds = start.plusDays(i);
      String input = cfg.input().path(cfg.input().root(), ds);
      long t0 = System.nanoTime();
      SyntheticDay.write(SyntheticDay.generate(spark, ds, messages, seed), input);
      System.out.printf("generated %s: %d messages in %.1f s -> %s%n", ds, messages, (System.nanoTime() - t0) / 1e9,
          input);
      RunResult r = job.run(ds);
      runs.add(r);
      scores.add(Evaluator.evaluate(spark, new Warehouse(spark, cfg.warehouse()), ds, input));
      System.out.println("  " + Summary.line(r));
    }
    ObjectMapper json = new ObjectMapper();
    System.out.println();
    System.out.println("Nightwatch demo summary (warehouse " + Path.of(cfg.warehouse()).toAbsolutePath().normalize() + ")");
    for (int i = 0; i < runs.size(); i++) {
      RunResult r = runs.get(i);
      System.out.println(r.ds() + ": messages=" + r.counts().get("messages") + " clusters=" + r.counts().get("clusters")
          + " flagged=" + r.counts().get("flagged_clusters") + " candidates=" + tiers(spark, cfg, r.ds()));
      System.out.println("  stages: " + Summary.timings(r));
      System.out.println("  evaluation: " + json.writeValueAsString(scores.get(i)));
      System.out.println("  report: " + r.reportPath());
    }
    System.out.println("Query the tables: bin/nightwatch sql --warehouse " + warehouse
        + " \"SELECT tier, count(*) FROM suspension_candidates GROUP BY tier\"");
    return Main.OK;
  }

  private static String tiers(SparkSession spark, NightwatchConfig cfg, LocalDate ds) {
    StringBuilder sb = new StringBuilder("{");
    new Warehouse(spark, cfg.warehouse()).read("suspension_candidates")
        .filter("ds = DATE'" + ds + "'").groupBy(org.apache.spark.sql.functions.expr("coalesce(tier, status)").as("k"))
        .count().orderBy("k").collectAsList()
        .forEach(r -> sb.append(sb.length() > 1 ? ", " : "").append(r.getString(0)).append('=').append(r.getLong(1)));
    return sb.append('}').toString();
  }
}
