package nightwatch.cli;

import static org.apache.spark.sql.functions.*;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nightwatch.config.NightwatchConfig;
import nightwatch.eval.ClusteringRun;
import nightwatch.eval.ExactJaccardJoin;
import nightwatch.eval.PairCounts;
import nightwatch.generate.SyntheticDay;
import nightwatch.job.StageMetrics;
import nightwatch.spark.Sessions;
import nightwatch.stages.graph.ConnectedComponents;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-clustering", mixinStandardHelpOptions = true,
    description = "On one generated day, in one process: (a) Nightwatch's clustering stage against (b) MLlib "
        + "MinHashLSH.approxSimilarityJoin at the same threshold followed by the same connected components; "
        + "prints time, Spark task time, peak heap, candidate pairs and recall of each, and the time ratio.")
public final class BenchClusteringCommand implements Callable<Integer> {
  @Option(names = "--messages", defaultValue = "100000", description = "Messages to generate (default: ${DEFAULT-VALUE}).")
  long messages;

  @Mixin
  SeedOption seedOption;

  @Option(names = "--mllib-tables", defaultValue = "10", description = "MinHashLSH hash tables for (b) (default: ${DEFAULT-VALUE}).")
  int tables;

  @Option(names = "--timeout-minutes", defaultValue = "30", description = "Give up on (b) after this long.")
  int timeoutMinutes;

  @Option(names = "--no-truth", description = "Skip the brute-force truth (no recall figures).")
  boolean noTruth;

  @Option(names = "--skip-mllib", description = "Run (a) only.")
  boolean skipMllib;

  @Override
  public Integer call() throws Exception {
    NightwatchConfig cfg = NightwatchConfig.load(null, Map.of());
    SparkSession spark = Sessions.get("nightwatch-bench-clustering");
    StageMetrics metrics = new StageMetrics();
    spark.sparkContext().addSparkListener(metrics);
    double t = cfg.lsh().threshold();
    Dataset<Row> msgs = SyntheticDay.generate(spark, LocalDate.of(2026, 11, 20), messages, seedOption.seed).messages()
        .select("message_id", "account_id", "text").localCheckpoint();
    long n = msgs.count();
    System.out.printf("bench-clustering: %d messages (seed %d), threshold %.2f, local mode, shared machine: "
        + "wall times are noisy, task times less so%n", n, seedOption.seed, t);

    // (a) this stage
    Map<String, Object> a = new LinkedHashMap<>();
    resetPeaks();
    long t0 = System.nanoTime();
    ClusteringRun.Result res = ClusteringRun.run(spark, msgs, cfg, "bench_a");
    long largestA = largest(res.messages());
    double secA = (System.nanoTime() - t0) / 1e9;
    a.put("seconds", round(secA));
    a.put("task_seconds", round(res.taskMillis() / 1000.0));
    a.put("peak_heap_mb", peakHeapMb());
    a.put("candidate_pairs", res.candidateEdges());
    a.put("verified_edges", res.verifiedEdges());
    a.put("cc_rounds", res.rounds());
    a.put("largest_component", largestA);
    a.put("lsh", res.lsh().toString());

    Dataset<Row> docs = res.docs().select("doc_id", "shingles").localCheckpoint();
    Dataset<Row> perMessage = res.messages().select("message_id", "doc_id", "component").localCheckpoint();

    // (b) MLlib approxSimilarityJoin on the same distinct texts, then the same components
    Map<String, Object> b = new LinkedHashMap<>();
    Dataset<Row> componentsB = null;
    if (!skipMllib) {
      resetPeaks();
      // approxSimilarityJoin's self-join is planned as a broadcast from a size estimate and fails with
      // "Not enough memory to build and broadcast the table" on large inputs; a user would take the
      // error's own advice, so (b) runs with sort-merge joins.
      String broadcast = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
      spark.sparkContext().setJobGroup("bench_b", "mllib approxSimilarityJoin", false);
      long t1 = System.nanoTime();
      ExecutorService ex = Executors.newSingleThreadExecutor();
      Future<Object[]> f = ex.submit(() -> {
        spark.sparkContext().setJobGroup("bench_b", "mllib approxSimilarityJoin", true);
        Dataset<Row> feats = new HashingTF().setInputCol("shingles").setOutputCol("features")
            .setNumFeatures(cfg.text().numFeatures()).setBinary(true).transform(docs).select("doc_id", "features");
        MinHashLSHModel model = new MinHashLSH().setNumHashTables(tables).setSeed(cfg.lsh().seed())
            .setInputCol("features").setOutputCol("hashes").fit(feats);
        Dataset<Row> joined = model.approxSimilarityJoin(feats, feats, 1.0 - t + 1e-9, "dist")
            .select(col("datasetA.doc_id").as("src"), col("datasetB.doc_id").as("dst"))
            .filter(col("src").lt(col("dst"))).localCheckpoint();
        long pairs = joined.count();
        ConnectedComponents.Result cc = ConnectedComponents.run(joined, cfg.cluster().maxCcRounds());
        Dataset<Row> comp = perMessage.select("message_id", "doc_id")
            .join(cc.components().withColumnRenamed("node", "doc_id"), "doc_id", "left")
            .withColumn("component", coalesce(col("component"), col("doc_id"))).localCheckpoint();
        return new Object[] {pairs, cc.rounds(), comp, largest(comp)};
      });
      try {
        Object[] out = f.get(timeoutMinutes, TimeUnit.MINUTES);
        double secB = (System.nanoTime() - t1) / 1e9;
        b.put("seconds", round(secB));
        b.put("task_seconds", round(metrics.of("bench_b").taskMillis / 1000.0));
        b.put("peak_heap_mb", peakHeapMb());
        b.put("candidate_pairs", out[0]);
        b.put("cc_rounds", out[1]);
        b.put("largest_component", out[3]);
        b.put("hash_tables", tables);
        componentsB = (Dataset<Row>) out[2];
        System.out.printf("time ratio (b)/(a): wall %.1fx, task time %.1fx%n", secB / secA,
            ((Number) b.get("task_seconds")).doubleValue() / ((Number) a.get("task_seconds")).doubleValue());
      } catch (TimeoutException e) {
        spark.sparkContext().cancelJobGroup("bench_b");
        b.put("failed", "exceeded " + timeoutMinutes + " minutes");
      } catch (java.util.concurrent.ExecutionException e) {
        spark.sparkContext().cancelJobGroup("bench_b");
        b.put("failed", String.valueOf(e.getCause()));
      } finally {
        ex.shutdownNow();
        spark.sparkContext().clearJobGroup();
        spark.conf().set("spark.sql.autoBroadcastJoinThreshold", broadcast);
      }
    }

    if (!noTruth) {
      Dataset<Row> truthEdges = ExactJaccardJoin.prefixFiltered(docs, t).localCheckpoint();
      ConnectedComponents.Result tcc = ConnectedComponents.run(
          truthEdges.select(col("a").as("src"), col("b").as("dst")), 64);
      Dataset<Row> truth = perMessage.select("message_id", "doc_id")
          .join(tcc.components().withColumnRenamed("node", "doc_id"), "doc_id", "left")
          .select(col("message_id"), coalesce(col("component"), col("doc_id")).cast("string").as("truth"))
          .localCheckpoint();
      PairCounts pa = PairCounts.of(perMessage.select(col("message_id"), col("component").cast("string").as("predicted"))
          .join(truth, "message_id"));
      a.put("closure_pair_precision", round(pa.precision()));
      a.put("closure_pair_recall", round(pa.recall()));
      if (componentsB != null) {
        PairCounts pb = PairCounts.of(componentsB.select(col("message_id"),
            col("component").cast("string").as("predicted")).join(truth, "message_id"));
        b.put("closure_pair_precision", round(pb.precision()));
        b.put("closure_pair_recall", round(pb.recall()));
      }
    }
    System.out.println("(a) nightwatch: " + a);
    System.out.println("(b) mllib:      " + b);
    return Main.OK;
  }

  private static long largest(Dataset<Row> comp) {
    return comp.groupBy("component").count().agg(coalesce(max("count"), lit(0L))).first().getLong(0);
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peaks since the last reset (local mode: driver and executors share this JVM). */
  private static long peakHeapMb() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum / (1024 * 1024);
  }

  private static double round(double x) {
    return Math.round(x * 10) / 10.0;
  }
}
