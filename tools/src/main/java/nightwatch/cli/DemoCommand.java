package nightwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import nightwatch.config.NightwatchConfig;
import nightwatch.eval.Evaluator;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.job.ClassifierTraining;
import nightwatch.job.NightlyJob;
import nightwatch.job.RunResult;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin
  SeedOption seedOption;

  @Option(names = "--train", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Before the last day, train the classifier and the stance model on the labels of the days before "
          + "it, so the last day runs with them (default: on; --no-train runs every day without a model).")
  boolean train;

  static final double DEMO_REG_PARAM = 1.0;
  static final List<Integer> DEMO_CHAR_NGRAMS = List.of(3, 5);
  static final int DEMO_FEATURES = 1 << 18;

  @Override
  public Integer call() throws Exception {
    // Training in the demo: one regularisation value instead of cross-validating three, and a lighter feature space
    // (two character n-gram sizes, 2^18 features) for the demo's small vocabulary: a fraction of the time.
    NightwatchConfig cfg = train ? NightwatchConfig.load(null, Map.of("nightwatch.warehouse", warehouse,
        "nightwatch.classifier.reg-params", List.of(DEMO_REG_PARAM), "nightwatch.classifier.char-ngrams",
        DEMO_CHAR_NGRAMS, "nightwatch.classifier.num-features", DEMO_FEATURES))
        : ConfigOptions.load(null, warehouse, null);
    SparkSession spark = Sessions.get("nightwatch-demo", cfg);
    // The demo is synthetic: without a key in the environment it pseudonymises with a random key for this run.
    NightlyJob job = new NightlyJob(spark, cfg,
        nightwatch.privacy.Pseudonymizer.fromEnvironmentOrRandom(cfg.pseudonymKeyEnv(), System.getenv()));
    // The nightly runs are the critical path. A run leaves the cores idle for much of its time (driver
    // work: planning, code generation, Delta commits), so the next day's input is generated
    // and the previous day's evaluation runs beside it, each on its own thread. Each day's nightly run
    // starts only when its input is complete; each evaluation starts only when its run has committed.
    ExecutorService generator = Executors.newSingleThreadExecutor(daemon("demo-generate"));
    ExecutorService evaluator = Executors.newSingleThreadExecutor(daemon("demo-evaluate"));
    try {
      List<Future<String>> inputs = new ArrayList<>();
      for (int i = 0; i < days; i++) {
        LocalDate ds = start.plusDays(i);
        inputs.add(generator.submit(() -> {
          spark.sparkContext().setJobGroup("demo-generate:" + ds, "demo: generate " + ds, false);
          String input = cfg.input().path(cfg.input().root(), ds);
          long t0 = System.nanoTime();
          SyntheticDay.write(SyntheticDay.generate(spark, ds, messages, seedOption.seed), input);
          System.out.printf("generated %s: %d messages in %.1f s -> %s%n", ds, messages,
              (System.nanoTime() - t0) / 1e9, input);
          return input;
        }));
      }
      // Table creation does not need the input: it runs while the first day is generated.
      new Warehouse(spark, cfg.warehouse()).ensureTables();
      List<RunResult> runs = new ArrayList<>();
      List<Future<Map<String, Object>>> scores = new ArrayList<>();
      for (int i = 0; i < days; i++) {
        LocalDate ds = start.plusDays(i);
        String input = inputs.get(i).get();
        if (train && days >= 2 && i == days - 1) {
          train(spark, cfg, ds.minusDays(1));
        }
        RunResult r = job.run(ds);
        runs.add(r);
        System.out.println("  " + Summary.line(r));
        scores.add(evaluator.submit(() -> {
          spark.sparkContext().setJobGroup("demo-evaluate:" + ds, "demo: evaluate " + ds, false);
          return Evaluator.evaluate(spark, new Warehouse(spark, cfg.warehouse()), ds, input,
              cfg.scoring().flaggedClusterScore());
        }));
      }
      printSummary(spark, cfg, runs, scores);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      generator.shutdownNow();
      evaluator.shutdownNow();
    }
    return Main.OK;
  }

  /** Trains on the days up to {@code asOf}; a day too small to train on leaves the last day without a model. */
  private static void train(SparkSession spark, NightwatchConfig cfg, LocalDate asOf) {
    spark.sparkContext().setJobGroup("demo-train", "demo: train the models up to " + asOf, false);
    long t0 = System.nanoTime();
    System.out.println("training the classifier and the stance model on the labels up to " + asOf
        + " (the last day runs with them)...");
    try {
      ClassifierTraining.Outcome o = new ClassifierTraining(spark, cfg).run(asOf);
      System.out.printf(java.util.Locale.ROOT, "  model %s: %d positive / %d negative texts, test AUC %s, precision %s, "
              + "recall %s, in %.0f s%n", o.version(), o.positives(), o.negatives(),
          TrainCommand.fmt(o.result().test().auc()), TrainCommand.fmt(o.result().testPrecision()),
          TrainCommand.fmt(o.result().testRecall()), (System.nanoTime() - t0) / 1e9);
      System.out.println("  " + TrainCommand.stanceLine(o));
    } catch (RuntimeException e) {
      System.out.println("  no model: " + e.getMessage() + " (the last day runs without one)");
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void printSummary(SparkSession spark, NightwatchConfig cfg, List<RunResult> runs,
                            List<Future<Map<String, Object>>> scores) throws Exception {
    ObjectMapper json = new ObjectMapper();
    System.out.println();
    System.out.println("Nightwatch demo summary (warehouse " + new Warehouse(spark, cfg.warehouse()).root() + ")");
    for (int i = 0; i < runs.size(); i++) {
      RunResult r = runs.get(i);
      System.out.println(r.ds() + ": messages=" + r.counts().get("messages") + " clusters=" + r.counts().get("clusters")
          + " flagged=" + r.counts().get("flagged_clusters") + " candidates=" + tiers(spark, cfg, r.ds()));
      System.out.println("  stages: " + Summary.timings(r));
      System.out.println("  evaluation: " + json.writeValueAsString(scores.get(i).get()));
      System.out.println("  report: " + r.reportPath());
    }
    System.out.println("Query the tables: bin/nightwatch sql --warehouse " + warehouse
        + " \"SELECT tier, count(*) FROM suspension_candidates GROUP BY tier\"");
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
