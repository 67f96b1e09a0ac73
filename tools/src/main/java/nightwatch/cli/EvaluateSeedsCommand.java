package nightwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.eval.Evaluator;
import nightwatch.eval.SeedSweep;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.job.NightlyJob;
import nightwatch.job.RunResult;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate-seeds", mixinStandardHelpOptions = true,
    description = "Generate N days with different seeds, run the nightly job on each in a warehouse of its own, "
        + "and print as JSON the worst and the mean of every safeguard figure (then each seed's).")
public final class EvaluateSeedsCommand implements Callable<Integer> {
  @Option(names = "--seeds", defaultValue = "5", description = "How many seeds (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--first-seed", defaultValue = "101",
      description = "Seeds are this one and the next N-1 (default: ${DEFAULT-VALUE}; the demo uses 7).")
  long firstSeed;

  @Option(names = "--messages", defaultValue = "300000", description = "Messages per day (default: ${DEFAULT-VALUE}).")
  long messages;

  @Option(names = "--date", defaultValue = "2026-11-20", description = "The day each seed generates (default: ${DEFAULT-VALUE}).")
  LocalDate date;

  @Option(names = "--work", defaultValue = "./evaluate-seeds",
      description = "Folder (or Hadoop URI) for one warehouse a seed, replaced on each run (default: ${DEFAULT-VALUE}).")
  String work;

  @Override
  public Integer call() throws Exception {
    Map<Long, Map<String, Object>> bySeed = new LinkedHashMap<>();
    SparkSession spark = null;
    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
      String root = work.replaceAll("/+$", "");
      String warehouse = root + "/seed-" + seed;
      // One embedded metastore for the run, beside the warehouses; each seed's tables in a database of their own.
      NightwatchConfig cfg = NightwatchConfig.load(null, Map.of("nightwatch.warehouse", warehouse,
          "nightwatch.catalog.metastore-dir", root + "/_metastore", "nightwatch.catalog.database", "seed_" + seed));
      spark = spark != null ? spark : Sessions.get("nightwatch-evaluate-seeds", cfg);
      nightwatch.io.Storage.deleteRecursively(nightwatch.io.Storage.conf(spark), warehouse);
      String input = cfg.input().path(cfg.input().root(), date);
      long t0 = System.nanoTime();
      SyntheticDay.write(SyntheticDay.generate(spark, date, messages, seed), input);
      new Warehouse(spark, cfg.warehouse()).ensureTables();
      RunResult r = new NightlyJob(spark, cfg, Pseudonymizer.fromEnvironmentOrRandom(cfg.pseudonymKeyEnv(),
          System.getenv())).run(date);
      Map<String, Object> scores = Evaluator.evaluate(spark, new Warehouse(spark, cfg.warehouse()), date, input,
          cfg.scoring().flaggedClusterScore());
      bySeed.put(seed, scores);
      System.err.printf("seed %d (%d of %d): %s; protected false positives %s, brigade victims %s, precision %s, "
              + "recall %s, in %.0f s%n", seed, seed - firstSeed + 1, seeds, Summary.line(r),
          scores.get("protected_false_positives"), scores.get("brigade_victims_flagged"),
          scores.get("account_precision"), scores.get("account_recall"), (System.nanoTime() - t0) / 1e9);
    }
    System.out.println(new ObjectMapper().writeValueAsString(SeedSweep.summarise(bySeed)));
    return Main.OK;
  }
}
