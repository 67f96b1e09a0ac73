package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.DayInput;
import nightwatch.io.Warehouse;
import nightwatch.report.DailyReport;
import nightwatch.report.ReportData;
import nightwatch.schema.Tables;
import nightwatch.stages.cluster.ClusterBuilder;
import nightwatch.stages.cluster.ClusterStats;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.graph.ConnectedComponents;
import nightwatch.stages.ingest.InputValidator;
import nightwatch.stages.known.KnownPropagandaMatcher;
import nightwatch.stages.lsh.Banding;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.scoring.CandidateScorer;
import nightwatch.stages.scoring.ClusterScorer;
import nightwatch.stages.scoring.ReportWeighting;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Normalizer;
import nightwatch.stages.text.Shingler;
import nightwatch.stages.trends.CampaignLinker;
import nightwatch.stages.trends.TrendBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job for one day: reads and validates the input, clusters near-duplicates, scores clusters
 * and accounts, builds trends, writes every table (one commit per table, the day replaced) and the
 * report, and records the run in job_runs. IO lives here; every transformation is a stage class.
 */
public final class NightlyJob {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);

  /** The day had input files but no valid message. */
  public static final class EmptyInputException extends RuntimeException {
    public EmptyInputException(String m) {
      super(m);
    }
  }

  private final SparkSession spark;
  private final NightwatchConfig cfg;
  private final Warehouse wh;

  public NightlyJob(SparkSession spark, NightwatchConfig cfg) {
    this.spark = spark;
    this.cfg = cfg;
    this.wh = new Warehouse(spark, cfg.warehouse());
  }

  public RunResult run(LocalDate ds) {
    String runId = ds + "-" + UUID.randomUUID().toString().substring(0, 8);
    Instant started = Instant.now();
    StageTimer t = new StageTimer(spark, ds.toString());
    Map<String, Long> counts = new LinkedHashMap<>();
    long[] cc = {0, 0};
    // RDDs cached before the run belong to the caller; only the run's own local checkpoints are released.
    java.util.Set<Object> cachedBefore = new java.util.HashSet<>(
        scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).keySet());
    LOG.info("nightly run {} for {} started (warehouse {})", runId, ds, wh.root());
    try {
      t.stage("setup", wh::ensureTables);
      RunResult r = body(ds, runId, t, counts, cc);
      writeJobRun(ds, runId, started, "success", null, t, counts, cc);
      LOG.info("nightly run {} for {} finished: {}", runId, ds, counts);
      return r;
    } catch (RuntimeException e) {
      try {
        writeJobRun(ds, runId, started, "failed", oneLine(e), t, counts, cc);
      } catch (RuntimeException logFailure) {
        LOG.warn("could not record the failed run in job_runs: {}", oneLine(logFailure));
      }
      throw e;
    } finally {
      // Release this run's local checkpoints (the session may run more days).
      scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).forEach((id, rdd) -> {
        if (!cachedBefore.contains(id)) {
          rdd.unpersist(false);
        }
      });
    }
  }

  /**
   * Computes a reused intermediate once and cuts its lineage (local checkpoint), so that later queries
   * neither recompute it nor re-analyse its whole plan. Released at the end of the run.
   */
  private static <T> Dataset<T> keep(Dataset<T> d) {
    return d.localCheckpoint();
  }

  private RunResult body(LocalDate ds, String runId, StageTimer t, Map<String, Long> counts, long[] cc) {
    NightwatchConfig.Input in = cfg.input();
    Instant now = Instant.now();
    int maxChars = cfg.limits().maxTextChars();
    int skew = cfg.limits().clockSkewMinutes();

    // 1. Read and validate. Reference files of the day are upserted first.
    List<Dataset<Row>> rejected = new ArrayList<>();
    Dataset<Row>[] valid = t.stage("read_validate", () -> {
      for (String table : Tables.REFERENCE) {
        Dataset<Row> lines = DayInput.optional(spark, in.path(in.reference(), ds) + "/" + table, in.format());
        if (lines != null) {
          InputValidator.Result res = InputValidator.validate(lines, Tables.schema(table),
              new InputValidator.Rules("reference/" + table, null, null, false, null, Integer.MAX_VALUE, skew),
              ds, now);
          wh.upsert(table, res.valid());
          rejected.add(res.rejected());
        }
      }
      Dataset<Row> mLines = DayInput.required(spark, in.path(in.messages(), ds), in.format(), "messages");
      Dataset<Row> aLines = DayInput.required(spark, in.path(in.accounts(), ds), in.format(), "accounts");
      Dataset<Row> rLines = DayInput.required(spark, in.path(in.reports(), ds), in.format(), "reports");
      InputValidator.Result m = InputValidator.validate(mLines, Tables.schema("messages"),
          new InputValidator.Rules("messages", "message_id", "created_at", true, "text", maxChars, skew), ds, now)
          .materialized();
      InputValidator.Result a = InputValidator.validate(aLines, Tables.schema("accounts"),
          new InputValidator.Rules("accounts", "account_id", "created_at", false, null, maxChars, skew), ds, now)
          .materialized();
      InputValidator.Result r = InputValidator.validate(rLines, Tables.schema("reports"),
          new InputValidator.Rules("reports", "report_id", "created_at", true, null, maxChars, skew), ds, now)
          .materialized();
      rejected.add(m.rejected());
      rejected.add(a.rejected());
      rejected.add(r.rejected());
      Dataset<Row> messages = keep(m.valid());
      Dataset<Row> accounts = keep(a.valid());
      Dataset<Row> reports = keep(r.valid());
      counts.put("input_lines_messages", m.checked().count());
      counts.put("messages", messages.count());
      counts.put("accounts", accounts.count());
      counts.put("reports", reports.count());
      if (counts.get("messages") == 0) {
        throw new EmptyInputException("empty input: no valid message for " + ds + " at " + in.path(in.messages(), ds));
      }
      @SuppressWarnings("unchecked")
      Dataset<Row>[] out = new Dataset[] {messages, accounts, reports};
      return out;
    });
    Dataset<Row> messages = valid[0];
    Dataset<Row> accounts = valid[1];
    Dataset<Row> reports = valid[2];

    // 2-3. Normalise and collapse exact duplicates.
    NightwatchConfig.Text tp = cfg.text();
    int minChars = tp.charShingleSize() + tp.minShingles() - 1;
    Dataset<Row> norm = t.stage("normalize", () -> {
      Dataset<Row> n = keep(ExactDuplicates.assignDocIds(Normalizer.apply(messages), minChars));
      counts.put("normalized_messages", n.count());
      return n;
    });

    // 4. Signatures, bands, verified edges, components, clusters.
    LshParams lsh = LshParams.choose(cfg.lsh().threshold(), cfg.lsh().numHashes(), cfg.lsh().falseNegativeWeight());
    LOG.info("LSH parameters: {}", lsh);
    double minJaccard = cfg.lsh().threshold() - cfg.lsh().verifySlack();
    MinHashSigner signer = new MinHashSigner(spark, tp.numFeatures(), lsh.bands() * lsh.rows(), cfg.lsh().seed(),
        tp.minShingles());
    Dataset<Row> signed = t.stage("signatures", () -> {
      Dataset<Row> docs = ExactDuplicates.docs(norm, minChars);
      Dataset<Row> s = keep(signer.sign(Shingler.apply(docs, tp))
          .select(col("doc_id"), col("sig"), Banding.shingleHashes(col("shingles")).as("sh")));
      counts.put("distinct_texts_signed", s.count());
      return s;
    });
    Dataset<Row> bands = t.stage("banding", () -> {
      Dataset<Row> b = keep(Banding.bandKeys(signed, lsh));
      counts.put("band_rows", b.count());
      return b;
    });
    ConnectedComponents.Result comps = t.stage("components", () -> {
      Dataset<Row> edges = keep(Banding.verifyExact(Banding.candidateEdges(bands, cfg.lsh().pairBucketSize()),
          signed, minJaccard, cfg.lsh().threshold()));
      counts.put("verified_edges", edges.count());
      return ConnectedComponents.run(edges, cfg.cluster().maxCcRounds());
    });
    cc[1] = comps.rounds();
    Dataset<Row> clustered = t.stage("clusters", () -> {
      Dataset<Row> c = keep(ClusterBuilder.assign(norm, comps.components(), ds, cfg.cluster().minMessages(),
          cfg.cluster().minAccounts()));
      Row sizes = c.groupBy("cluster_id").count().agg(count(lit(1)), coalesce(max("count"), lit(0L))).first();
      counts.put("clustered_messages", c.count());
      counts.put("clusters", sizes.getLong(0));
      cc[0] = sizes.getLong(1);
      return c;
    });

    // 5. Known propaganda, reports, scores.
    Dataset<Row>[] targets = new Dataset[1];
    Dataset<Row> scoredClusters = t.stage("scoring_clusters", () -> {
      Dataset<Row> known = wh.read(Tables.KNOWN_PROPAGANDA);
      Dataset<Row> refSigned = signer.sign(Shingler.apply(Normalizer.apply(known), tp))
          .select(col("ref_id"), col("label"), col("sig"));
      refSigned = keep(refSigned);
      Dataset<Row> refBands = Banding.bandKeys(refSigned.withColumnRenamed("ref_id", "doc_id"), lsh)
          .withColumnRenamed("doc_id", "ref_id");
      Dataset<Row> clusterDocs = clustered.select("cluster_id", "doc_id").distinct();
      Dataset<Row> clusterKnown = KnownPropagandaMatcher.match(bands.join(clusterDocs.select("doc_id"), "doc_id",
          "left_semi"), signed, refSigned, refBands, minJaccard)
          .join(clusterDocs, "doc_id").select("cluster_id", "ref_id", "label");
      Dataset<Row> stats = ClusterStats.compute(clustered, accounts, wh.read(Tables.SUSPENSIONS), ds,
          cfg.scoring().youngAccountDays(), cfg.scoring().coordinationWindowShortSeconds(),
          cfg.scoring().coordinationWindowLongSeconds());
      Dataset<Row> weighted = keep(ReportWeighting.weigh(reports, accounts,
          wh.read(Tables.TRUSTED_FLAGGERS), ds, cfg.scoring()));
      Dataset<Row> perTarget = keep(ReportWeighting.perTarget(weighted));
      targets[0] = perTarget;
      Dataset<Row> clusterReports = clustered.select("cluster_id", "account_id").distinct()
          .join(perTarget, "account_id")
          .groupBy("cluster_id").agg(sum("reports_weighted").as("cluster_reports_weighted"));
      Dataset<Row> sc = keep(ClusterScorer.score(stats, clusterKnown, clusterReports, cfg.scoring()));
      counts.put("flagged_clusters", sc.filter(col("flagged")).count());
      for (Row b : weighted.groupBy("band").count().collectAsList()) {
        counts.put("reports_band_" + b.getString(0), b.getLong(1));
      }
      return sc;
    });
    Dataset<Row> perTarget = targets[0];

    // Campaigns: link flagged clusters to earlier days through the band index.
    Dataset<Row>[] rep = new Dataset[1];
    Dataset<Row> links = t.stage("campaigns", () -> {
      Dataset<Row> flaggedIds = scoredClusters.filter(col("flagged")).select("cluster_id");
      Dataset<Row> docCounts = clustered.join(flaggedIds, "cluster_id").groupBy("cluster_id", "doc_id").count();
      Dataset<Row> clusterBands = docCounts.select("cluster_id", "doc_id").join(bands, "doc_id")
          .select("cluster_id", "band_key");
      // The representative text of a cluster: its most copied text (ties: smallest id).
      rep[0] = docCounts.groupBy("cluster_id")
          .agg(max_by(col("doc_id"), struct(col("count"), negate(col("doc_id")))).as("doc_id"))
          .join(bands, "doc_id").select("cluster_id", "band_key");
      return keep(CampaignLinker.link(clusterBands, wh.read(Tables.CAMPAIGNS)));
    });
    Dataset<Row> clustersOut = scoredClusters.join(links, "cluster_id", "left")
        .withColumn("ds", lit(ds.toString()).cast("date"));
    Dataset<Row> candidates = t.stage("scoring_accounts", () -> {
      Dataset<Row> c = keep(CandidateScorer.score(clustered, scoredClusters, perTarget, accounts,
          wh.read(Tables.PROTECTED_ACCOUNTS), ds, cfg.scoring()));
      counts.put("candidates", c.count());
      return c;
    });

    // 6. Write the day. Each table is replaced for ds in one commit.
    t.stage("write", () -> {
      wh.replaceDay(Tables.MESSAGE_CLUSTERS, clustered.withColumn("ds", lit(ds.toString()).cast("date")), ds);
      wh.replaceDay(Tables.CLUSTERS, clustersOut, ds);
      Dataset<Row> flaggedMessages = clustered.join(links, "cluster_id");
      Dataset<Row> earlier = wh.read(Tables.MESSAGE_CLUSTERS)
          .filter(col("ds").between(lit(ds.minusDays(7).toString()).cast("date"),
              lit(ds.minusDays(1).toString()).cast("date")))
          .join(wh.read(Tables.CLUSTERS).filter(col("campaign_id").isNotNull()).select("ds", "cluster_id",
              "campaign_id"), new String[] {"ds", "cluster_id"})
          .select("campaign_id", "account_id");
      Dataset<Row> prevDay = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").equalTo(lit(ds.minusDays(1).toString())
          .cast("date")));
      wh.replaceDay(Tables.CAMPAIGN_TRENDS, TrendBuilder.campaignTrends(flaggedMessages, earlier, prevDay, ds), ds);
      wh.replaceDay(Tables.HASHTAG_TRENDS, TrendBuilder.hashtagTrends(norm, flaggedMessages, ds), ds);
      wh.replaceDay(Tables.SUSPENSION_CANDIDATES, candidates, ds);
      Dataset<Row> allRejected = rejected.stream().reduce(Dataset::unionByName).orElseThrow();
      wh.replaceDay(Tables.REJECTED_RECORDS, allRejected, ds);
      mergeCampaigns(ds, links, clustersOut, rep[0]);
    });
    long rejectedRows = wh.read(Tables.REJECTED_RECORDS).filter(col("ds").equalTo(lit(ds.toString()).cast("date")))
        .count();
    counts.put("rejected_rows", rejectedRows);
    if (rejectedRows > 0) {
      LOG.warn("{} input rows rejected for {}: see table rejected_records", rejectedRows, ds);
    }

    // 7. Report and reviewer exports.
    Path reportDir = Path.of(wh.root(), "reports", "ds=" + ds);
    t.stage("report", () -> {
      Exports.writeCandidates(wh, ds, reportDir);
      ReportData data = ReportDataBuilder.build(spark, wh, ds, cfg, counts, t.millis());
      try {
        DailyReport.write(data, reportDir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write report to " + reportDir, e);
      }
    });
    return new RunResult(runId, ds, counts, t.millis(), rejectedRows, cc[0], (int) cc[1],
        reportDir.resolve("index.html").toString());
  }

  private void mergeCampaigns(LocalDate ds, Dataset<Row> links, Dataset<Row> clustersOut, Dataset<Row> repBands) {
    Dataset<Row> today = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").equalTo(lit(ds.toString()).cast("date")));
    Dataset<Row> history = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").leq(lit(ds.toString()).cast("date")))
        .join(today.select("campaign_id"), "campaign_id", "left_semi");
    Dataset<Row> state = TrendBuilder.campaignState(history, today, clustersOut.filter(col("flagged")),
        CampaignLinker.newKeys(repBands, links), ds);
    // Materialised once: MERGE would otherwise evaluate the source plan twice.
    Dataset<Row> source = Warehouse.conform(state, Tables.CAMPAIGNS).localCheckpoint();
    String yesterday = ds.minusDays(1).toString();
    DeltaTable.forPath(spark, wh.path(Tables.CAMPAIGNS)).as("t")
        .merge(source.as("s"), "t.campaign_id = s.campaign_id")
        .whenMatched().updateExpr(Map.of(
            "first_seen", "s.first_seen", "last_seen", "s.last_seen", "days_active", "s.days_active",
            "status", "s.status", "label", "coalesce(s.label, t.label)", "known_refs",
            "array_sort(array_distinct(concat(coalesce(s.known_refs, array()), coalesce(t.known_refs, array()))))",
            "representative_text", "s.representative_text", "last_messages", "s.last_messages",
            "band_keys", "slice(array_distinct(concat(coalesce(s.band_keys, array()), coalesce(t.band_keys, array()))), 1, "
                + CampaignLinker.MAX_KEYS + ")"))
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource("t.last_seen < DATE'" + yesterday + "' AND t.status <> 'dormant'").updateExpr(
            Map.of("status", "'dormant'"))
        .execute();
  }

  private void writeJobRun(LocalDate ds, String runId, Instant started, String outcome, String error, StageTimer t,
                           Map<String, Long> counts, long[] cc) {
    Row row = RowFactory.create(java.sql.Date.valueOf(ds), runId, Timestamp.from(started),
        Timestamp.from(Instant.now()), outcome, error, scala.jdk.javaapi.CollectionConverters.asScala(t.millis()),
        scala.jdk.javaapi.CollectionConverters.asScala(counts), counts.getOrDefault("rejected_rows", null),
        cc[0], (int) cc[1], cfg.digest(), NightlyJob.class.getPackage().getImplementationVersion());
    Dataset<Row> df = spark.createDataFrame(List.of(row), Tables.schema(Tables.JOB_RUNS).struct());
    wh.append(Tables.JOB_RUNS, df);
  }

  /** The first line of an error message, for job_runs and the one-line error on stderr. */
  public static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
