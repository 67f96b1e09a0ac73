package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Catalog;
import nightwatch.io.DayInput;
import nightwatch.io.DayLock;
import nightwatch.io.ReferenceSnapshot;
import nightwatch.io.Storage;
import nightwatch.io.Warehouse;
import nightwatch.report.DailyReport;
import nightwatch.report.ReportData;
import nightwatch.schema.Tables;
import nightwatch.spark.Parallel;
import nightwatch.stages.cluster.ClusterBuilder;
import nightwatch.stages.classify.ModelSignals;
import nightwatch.stages.cluster.ClusterStats;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.evasion.BanEvasionLinker;
import nightwatch.stages.graph.ConnectedComponents;
import nightwatch.stages.ingest.InputValidator;
import nightwatch.stages.known.KnownPropagandaMatcher;
import nightwatch.stages.lsh.Banding;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.scoring.CandidateScorer;
import nightwatch.stages.scoring.ClusterScorer;
import nightwatch.stages.scoring.ReportWeighting;
import nightwatch.stages.scoring.ReporterPrecision;
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

  /** Up to this many clustered texts, or texts with a component (16 bytes each), are broadcast to the messages. */
  static final long CLUSTERED_DOCS_BROADCAST_MAX = 2_000_000;

  /** Up to this many suspended accounts in the lookback, their handle keys are broadcast to the young accounts. */
  static final long SUSPENDED_BROADCAST_MAX = 100_000;

  private final SparkSession spark;
  private final NightwatchConfig cfg;
  private final Warehouse wh;
  private final Pseudonymizer pseudo;
  /** Datasets this run put in Spark's columnar cache ({@link #keepColumnar}), released at its end. */
  private final List<Dataset<?>> columnar = java.util.Collections.synchronizedList(new ArrayList<>());

  /** The pseudonym key comes from the environment variable the config names; missing: exit code 5. */
  public NightlyJob(SparkSession spark, NightwatchConfig cfg) {
    this(spark, cfg, Pseudonymizer.fromEnvironment(cfg.pseudonymKeyEnv(), System.getenv()));
  }

  public NightlyJob(SparkSession spark, NightwatchConfig cfg, Pseudonymizer pseudo) {
    this.spark = spark;
    this.cfg = cfg;
    this.wh = new Warehouse(spark, cfg.warehouse());
    this.pseudo = pseudo;
  }

  public RunResult run(LocalDate ds) {
    return run(ds, false);
  }

  /** @param force run on even when a data-quality gate fails (the verdict is still recorded). */
  public RunResult run(LocalDate ds, boolean force) {
    String runId = ds + "-" + UUID.randomUUID().toString().substring(0, 8);
    Instant started = Instant.now();
    // Job groups are named runId:stage, so that Spark's metrics of two runs of one day never mix.
    StageTimer t = new StageTimer(spark, runId);
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Long> refVersions = new LinkedHashMap<>();
    long[] cc = {0, 0};
    String[] gate = {null};
    // RDDs cached before the run belong to the caller; only the run's own local checkpoints are released.
    java.util.Set<Object> cachedBefore = new java.util.HashSet<>(
        scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).keySet());
    LOG.info("nightly run {} for {} started (warehouse {})", runId, ds, wh.root());
    DayLock lock = null;
    try {
      t.stage("setup", wh::ensureTables);
      // One run of a day at a time; the refused run is recorded too (as failed, naming the holder).
      lock = DayLock.acquire(spark, wh, ds, runId, cfg.runLock().lease(), java.time.Clock.systemUTC());
      // A run that lost its day (its lease lapsed and another run took it) stops before its next commit.
      wh.guardCommits(lock::ensureHeld);
      // A run killed with kill -9 leaves this row and no later one: job_runs shows it never ended.
      writeJobRun(ds, runId, started, null, "started", null, t, counts, cc, null, refVersions);
      RunResult r = body(ds, runId, t, counts, cc, force, gate, refVersions);
      t.stage("catalog", this::registerTables);
      writeJobRun(ds, runId, started, Instant.now(), "success", null, t, counts, cc, gate[0], refVersions);
      LOG.info("nightly run {} for {} finished: {}", runId, ds, counts);
      return r;
    } catch (Exception failure) {
      // Spark rethrows task failures as a checked SparkException; those are failed runs too, and an unreadable
      // input file among them becomes exit 3 naming the file.
      RuntimeException e = DayInput.unreadable(failure instanceof RuntimeException re ? re
          : new RuntimeException(failure.getMessage(), failure));
      try {
        wh.guardCommits(null); // the failed row is an append to the log: it races nothing
        writeJobRun(ds, runId, started, Instant.now(), "failed", oneLine(e), t, counts, cc, gate[0], refVersions);
      } catch (RuntimeException logFailure) {
        LOG.warn("could not record the failed run in job_runs: {}", oneLine(logFailure));
      }
      throw e;
    } finally {
      wh.guardCommits(null);
      if (lock != null) {
        lock.close();
      }
      // Release this run's local checkpoints (the session may run more days). Blocking: a removal still in
      // flight when the process stops right after the run fails noisily in Spark's shutdown. Side by side: each
      // removal deletes its blocks' files and waits (one after the other, about 3 s at 10M).
      List<Runnable> releases = new ArrayList<>();
      // Columnar caches through the cache manager (which also drops their plans); then the local checkpoints.
      columnar.forEach(d -> d.unpersist(true));
      columnar.clear();
      scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).forEach((id, rdd) -> {
        if (!cachedBefore.contains(id)) {
          releases.add(() -> rdd.unpersist(true));
        }
      });
      try {
        Parallel.run(Parallel.TABLE_THREADS, releases);
      } catch (RuntimeException releaseFailure) {
        LOG.warn("could not release every intermediate of run {}: {}", runId, oneLine(releaseFailure));
      }
    }
  }

  /** Band keys of the texts in {@code docIds} (column doc_id), from the signatures kept by doc_id. */
  private static Dataset<Row> bandsOf(Dataset<Row> docIds, Dataset<Row> signed, LshParams lsh) {
    return Banding.bandKeys(signed.join(docIds.select("doc_id").distinct(), "doc_id", "left_semi"), lsh);
  }

  /**
   * Computes a reused intermediate once and cuts its lineage (local checkpoint), so that later queries
   * neither recompute it nor re-analyse its whole plan. Released at the end of the run.
   */
  private <T> Dataset<T> keep(Dataset<T> d) {
    return d.localCheckpoint(true, cfg.execution().storageLevel());
  }

  /**
   * {@link #keep}, with the row count put in {@code counts} under {@code name}, in one pass: an eager checkpoint
   * counts its rows itself and drops the figure, so a count after it read every kept block back a second time.
   */
  private Dataset<Row> keepCounted(Dataset<Row> d, String name, Map<String, Long> counts) {
    Dataset<Row> kept = keepOnFirstUse(d);
    counts.put(name, kept.count());
    return kept;
  }

  /** {@link #keep}, computed and kept by the first action on the result, which the caller runs at once. */
  private <T> Dataset<T> keepOnFirstUse(Dataset<T> d) {
    return d.localCheckpoint(false, cfg.execution().storageLevel());
  }

  /**
   * Kept in Spark's columnar cache by its first action, for a dataset read many times for a few columns each: a scan
   * decodes only the columns it reads, where a scan of a local checkpoint decodes whole rows. Only for a short plan
   * (over local checkpoints), which every later query analyses again. Released at the end of the run.
   */
  private <T> Dataset<T> keepColumnar(Dataset<T> d) {
    Dataset<T> kept = d.persist(cfg.execution().storageLevel());
    columnar.add(kept);
    return kept;
  }

  private RunResult body(LocalDate ds, String runId, StageTimer t, Map<String, Long> counts, long[] cc,
                         boolean force, String[] gate, Map<String, Long> refVersions) {
    NightwatchConfig.Input in = cfg.input();
    Instant now = Instant.now();
    int maxChars = cfg.limits().maxTextChars();
    int skew = cfg.limits().clockSkewMinutes();
    NightwatchConfig.Text tp = cfg.text();
    int minChars = tp.charShingleSize() + tp.minShingles() - 1;

    // 1. Read and validate the day; upsert the reference files of the day.
    List<Dataset<Row>> rejected = java.util.Collections.synchronizedList(new ArrayList<>());
    Dataset<Row>[] valid = t.stage("read_validate", () -> {
      // The day's three inputs and the reference upserts run side by side: a reference upsert is mostly
      // driver-side Delta work, and the smaller inputs fill the cores the messages' last tasks leave idle.
      InputValidator.Result[] day = new InputValidator.Result[3];
      List<Runnable> work = new ArrayList<>(List.of(
          () -> day[0] = InputValidator.validate(
              DayInput.required(spark, in.path(in.messages(), ds), in.format(), "messages", in.requireSuccessMarker()), Tables.schema("messages"),
              new InputValidator.Rules("messages", "message_id", "created_at", true, "text", maxChars, skew), ds, now)
              // 2-3. Normalised, with exact duplicates sharing a doc_id, in the parse's pass and kept with the rows.
              .derive(rows -> ExactDuplicates.assignDocIds(Normalizer.apply(rows), minChars))
              .materialized(cfg.execution().storageLevel()),
          () -> day[1] = InputValidator.validate(
              DayInput.required(spark, in.path(in.accounts(), ds), in.format(), "accounts", in.requireSuccessMarker()), Tables.schema("accounts"),
              new InputValidator.Rules("accounts", "account_id", "created_at", false, null, maxChars, skew), ds, now)
              .materialized(cfg.execution().storageLevel()),
          () -> day[2] = InputValidator.validate(
              DayInput.required(spark, in.path(in.reports(), ds), in.format(), "reports", in.requireSuccessMarker()), Tables.schema("reports"),
              new InputValidator.Rules("reports", "report_id", "created_at", true, null, maxChars, skew), ds, now)
              .materialized(cfg.execution().storageLevel())));
      Tables.REFERENCE.stream().<Runnable>map(table -> () -> {
        Dataset<Row> lines = DayInput.optional(spark, in.path(in.reference(), ds) + "/" + table, in.format());
        if (lines != null) {
          // Kept: the upsert reads the valid rows twice, and rejected_records reads the rejected ones at the end of the
          // run (lazily, that re-read and re-parsed every reference file: at 10M, 4 s alone at the end of the writes).
          InputValidator.Result res = InputValidator.validate(lines, Tables.schema(table),
              new InputValidator.Rules("reference/" + table, null, null, false, null, Integer.MAX_VALUE, skew),
              ds, now).materialized(cfg.execution().storageLevel());
          wh.upsert(table, res.valid());
          rejected.add(res.rejected());
        }
      }).forEach(work::add);
      Parallel.run(Parallel.TABLE_THREADS, work);
      InputValidator.Result m = day[0];
      InputValidator.Result a = day[1];
      InputValidator.Result r = day[2];
      rejected.add(m.rejected());
      rejected.add(a.rejected());
      rejected.add(r.rejected());
      // Filters of the materialised checks, not second copies: a scan of kept blocks is cheaper than keeping
      // every valid message twice.
      Dataset<Row> messages = m.valid();
      Dataset<Row> accounts = a.valid();
      Dataset<Row> reports = r.valid();
      // Counted by the pass that kept the rows, not by another scan of them.
      counts.put("input_lines_messages", m.counts().lines());
      counts.put("messages", m.counts().valid());
      counts.put("normalized_messages", m.counts().valid());
      counts.put("accounts", a.counts().valid());
      counts.put("reports", r.counts().valid());
      if (counts.get("messages") == 0) {
        throw new EmptyInputException("empty input: no valid message for " + ds + " at " + in.path(in.messages(), ds));
      }
      @SuppressWarnings("unchecked")
      Dataset<Row>[] out = new Dataset[] {messages, accounts, reports};
      return out;
    });
    checkGates(ds, counts, force, gate, rejected);
    // Every later read of a reference table sees the version current now, the day's upserts included.
    ReferenceSnapshot refs = ReferenceSnapshot.pin(wh);
    refVersions.putAll(refs.versions());
    // The valid messages, normalised (norm_text, hashtags, domains) and with their doc_id.
    Dataset<Row> messages = valid[0];
    // Kept by account_id (computed by its first use): the joins with the day's accounts (cluster stats, report weights,
    // ban evasion, candidates) then shuffle only their other side, not the accounts each time.
    Dataset<Row> accounts = Banding.keepPartitioned(valid[1], "account_id", cfg.execution().storageLevel());
    Dataset<Row> reports = valid[2];

    // 4. Signatures, bands, verified edges, components, clusters.
    LshParams lsh = LshParams.of(cfg.lsh());
    LOG.info("LSH parameters: {}", lsh);
    double minJaccard = cfg.lsh().threshold() - cfg.lsh().verifySlack();
    MinHashSigner signer = MinHashSigner.of(spark, cfg, lsh);
    Dataset<Row> signed = t.stage("signatures", () -> {
      Dataset<Row> docs = ExactDuplicates.docs(messages);
      // Kept partitioned by doc_id: verification then shuffles only its first join's output (by dst).
      Dataset<Row> s = Banding.keepPartitioned(signer.sign(Shingler.apply(docs, tp)).select("doc_id", "sig", "sh"),
          cfg.execution().storageLevel());
      counts.put("distinct_texts_signed", s.count());
      return s;
    });
    // Band keys are computed where they are used, never kept: materialising them cost more than the hashing (at
    // 10M texts, 183 M rows and 109 s).
    Dataset<Row> candidatePairs = t.stage("banding", () -> {
      // Kept by src as the signatures are by doc_id: verification's first join shuffles neither side.
      Dataset<Row> e = Banding.keepSorted(Banding.candidateEdges(signed, lsh, cfg.lsh().pairBucketSize()), "src",
          cfg.execution().storageLevel());
      counts.put("candidate_edges", e.count());
      return e;
    });
    ConnectedComponents.Result comps = t.stage("components", () -> {
      Dataset<Row> edges = keepCounted(Banding.verifyExact(candidatePairs, signed, cfg.lsh().threshold()),
          "verified_edges", counts);
      return ConnectedComponents.run(edges, cfg.cluster().maxCcRounds(), counts.get("verified_edges"));
    });
    cc[1] = comps.rounds();
    Dataset<Row> clustered = t.stage("clusters", () -> {
      // The clustered texts are usually a small share: their list is broadcast when it is small enough, so the
      // wide message rows are not shuffled.
      // A component has at least two texts, so at most twice as many texts as verified edges have a component.
      boolean fewComponents = 2 * counts.get("verified_edges") <= CLUSTERED_DOCS_BROADCAST_MAX;
      Dataset<Row> docs = keepCounted(ClusterBuilder.clusteredDocs(messages, comps.components(),
          cfg.cluster().minMessages(), cfg.cluster().minAccounts(), fewComponents), "clustered_texts", counts);
      boolean fewDocs = counts.get("clustered_texts") <= CLUSTERED_DOCS_BROADCAST_MAX;
      // Read some twenty times, mostly for a few narrow columns: at 10M, 21 scans of whole kept rows took 57 s of task
      // time, 27 scans of the columns they read 38 s (for 5 s more to build the cache).
      Dataset<Row> c = keepColumnar(ClusterBuilder.assign(messages, docs, ds, fewDocs));
      // Kept by its first scan, which also counts the messages, the clusters and the largest.
      Row sizes = c.groupBy("component").count() // one component per cluster_id; a long key hashes cheaper
          .agg(count(lit(1)), coalesce(max("count"), lit(0L)), coalesce(sum("count"), lit(0L))).first();
      counts.put("clustered_messages", sizes.getLong(2));
      counts.put("clusters", sizes.getLong(0));
      cc[0] = sizes.getLong(1);
      return c;
    });

    // The latest trained classifier, if any, scores the day's messages (null: rule-based signals only).
    ModelSignals model = t.stage("classifier", () -> ModelScoring.apply(spark, wh, cfg, messages, clustered, counts));

    // 5. Known propaganda, reports, scores.
    Dataset<Row>[] targets = new Dataset[2];
    Dataset<Row>[] clusterSigned = new Dataset[1];
    Dataset<Row> scoredClusters = t.stage("scoring_clusters", () -> {
      Dataset<Row> known = keep(Normalizer.apply(refs.read(Tables.KNOWN_PROPAGANDA)));
      Dataset<Row> matchable = KnownPropagandaMatcher.matchable(known, minChars);
      counts.put("known_propaganda_unmatchable", known.count() - matchable.count());
      Dataset<Row> refSigned = keep(signer.sign(Shingler.apply(matchable, tp))
          .select(col("ref_id"), col("label"), col("sig"), col("sh")));
      Dataset<Row> refBands = Banding.bandKeys(refSigned.withColumnRenamed("ref_id", "doc_id"), lsh)
          .withColumnRenamed("doc_id", "ref_id");
      Dataset<Row> clusterDocs = clustered.select("cluster_id", "doc_id").distinct();
      // The clustered texts' signatures, kept by one scan of all signatures: the known-propaganda match and the
      // campaigns read only these (three scans of the 9.1 M signatures took 20 s of task time at 10M).
      clusterSigned[0] = keep(signed.join(clusterDocs.select("doc_id").distinct(), "doc_id", "left_semi"));
      Dataset<Row> clusterKnown = KnownPropagandaMatcher.match(Banding.bandKeys(clusterSigned[0], lsh),
          clusterSigned[0], refSigned, refBands, minJaccard, cfg.lsh().threshold())
          .join(clusterDocs, "doc_id").select("cluster_id", "ref_id", "label");
      Dataset<Row> stats = ClusterStats.compute(clustered, accounts, refs.read(Tables.SUSPENSIONS), ds,
          cfg.scoring().youngAccountDays(), cfg.scoring().coordinationWindowShortSeconds(),
          cfg.scoring().coordinationWindowLongSeconds(), cfg.scoring().creationWindowSeconds());
      // Reviewer outcomes on earlier reports set each reporter's precision (pseudonyms only).
      Dataset<Row> precision = ReporterPrecision.compute(wh.read(Tables.REPORT_LOG), refs.read(Tables.REVIEW_DECISIONS),
          ds, cfg.scoring().reports());
      Dataset<Row> weighted = keep(ReportWeighting.weigh(reports, accounts,
          refs.read(Tables.TRUSTED_FLAGGERS), precision, pseudo, ds, cfg.scoring()));
      Dataset<Row> perTarget = keep(ReportWeighting.perTarget(weighted, cfg.scoring().reports()));
      targets[0] = perTarget;
      targets[1] = weighted;
      counts.put("review_decisions", refs.read(Tables.REVIEW_DECISIONS).count());
      counts.put("reports_with_reporter_history", weighted.filter(col("history_precision").isNotNull()).count());
      Dataset<Row> clusterReports = ReportWeighting.perCluster(clustered, perTarget);
      Dataset<Row> sc = keep(ClusterScorer.score(stats, clusterKnown, clusterReports, model, cfg.scoring()));
      counts.put("flagged_clusters", sc.filter(col("flagged")).count());
      for (Row b : weighted.groupBy("band").count().collectAsList()) {
        counts.put("reports_band_" + b.getString(0), b.getLong(1));
      }
      return sc;
    });
    Dataset<Row> perTarget = targets[0];
    Dataset<Row> weightedReports = targets[1];

    // Campaigns: link flagged clusters to earlier days through the band index.
    Dataset<Row>[] rep = new Dataset[1];
    Dataset<Row> links = t.stage("campaigns", () -> {
      Dataset<Row> flaggedIds = scoredClusters.filter(col("flagged")).select("cluster_id");
      Dataset<Row> docCounts = clustered.join(flaggedIds, "cluster_id").groupBy("cluster_id", "doc_id").count();
      Dataset<Row> docBands = keep(bandsOf(docCounts, clusterSigned[0], lsh));
      Dataset<Row> clusterBands = docCounts.select("cluster_id", "doc_id").join(docBands, "doc_id")
          .select("cluster_id", "band_key");
      // The representative text of a cluster: its most copied text (ties: smallest id).
      rep[0] = docCounts.groupBy("cluster_id")
          .agg(max_by(col("doc_id"), struct(col("count"), negate(col("doc_id")))).as("doc_id"))
          .join(docBands, "doc_id").select("cluster_id", "band_key");
      return keep(CampaignLinker.link(clusterBands, wh.read(Tables.CAMPAIGNS)));
    });
    Dataset<Row> clustersOut = scoredClusters.join(links, "cluster_id", "left")
        .withColumn("ds", lit(ds.toString()).cast("date"));
    Dataset<Row> evasion = t.stage("ban_evasion", () -> {
      NightwatchConfig.Evasion ev = cfg.scoring().evasion();
      // Read once: the linker reads the suspensions and the young and suspended accounts several times each.
      Dataset<Row> suspensions = keep(refs.read(Tables.SUSPENSIONS));
      Dataset<Row> active = BanEvasionLinker.activeSuspensions(suspensions, ds, ev);
      Dataset<Row> relevant = keep(BanEvasionLinker.relevantAccounts(accounts, active, ds, ev));
      // Kept: the linker reads it twice (the accounts in a campaign today, and the campaigns they share).
      Dataset<Row> today = keep(clustered.join(links.filter(col("campaign_id").isNotNull()), "cluster_id")
          .select("account_id", "campaign_id").distinct());
      // Campaigns the suspended accounts posted in on earlier nights (text overlap), read for those accounts only.
      Dataset<Row> before = wh.read(Tables.MESSAGE_CLUSTERS)
          .filter(col("ds").between(lit(ds.minusDays(ev.lookbackDays()).toString()).cast("date"),
              lit(ds.minusDays(1).toString()).cast("date")))
          .join(active.select("account_id"), "account_id", "left_semi")
          .select("ds", "cluster_id", "account_id")
          .join(wh.read(Tables.CLUSTERS).filter(col("campaign_id").isNotNull()).select("ds", "cluster_id",
              "campaign_id"), new String[] {"ds", "cluster_id"})
          .select("account_id", "campaign_id").distinct();
      // Few suspended accounts (about 17 handle keys of 40 bytes each): their keys are broadcast to the young ones.
      boolean fewSuspended = active.count() <= SUSPENDED_BROADCAST_MAX;
      return keepCounted(BanEvasionLinker.link(relevant, suspensions, today, before, ds, ev, fewSuspended),
          "ban_evasion_links", counts);
    });
    Dataset<Row> candidates = t.stage("scoring_accounts", () -> {
      return keepCounted(CandidateScorer.score(clustered, scoredClusters, perTarget, accounts,
          refs.read(Tables.PROTECTED_ACCOUNTS), evasion, model, ds, cfg.scoring()), "candidates", counts);
    });

    // 6. Write the day. Each table is replaced for ds in one commit.
    t.stage("write", () -> {
      Dataset<Row> flaggedMessages = clustered.join(links, "cluster_id");
      // Earlier days only, so the trends do not depend on today's writes running beside them.
      Dataset<Row> earlier = wh.read(Tables.MESSAGE_CLUSTERS)
          .filter(col("ds").between(lit(ds.minusDays(7).toString()).cast("date"),
              lit(ds.minusDays(1).toString()).cast("date")))
          .join(wh.read(Tables.CLUSTERS).filter(col("campaign_id").isNotNull()).select("ds", "cluster_id",
              "campaign_id"), new String[] {"ds", "cluster_id"})
          .select("campaign_id", "account_id");
      Dataset<Row> prevDay = wh.read(Tables.CAMPAIGN_TRENDS).filter(col("ds").equalTo(lit(ds.minusDays(1).toString())
          .cast("date")));
      Dataset<Row> allRejected = rejected.stream().reduce(Dataset::unionByName).orElseThrow();
      Parallel.run(Parallel.TABLE_THREADS, List.of(
          () -> wh.replaceDay(Tables.MESSAGE_CLUSTERS, clustered.withColumn("ds", lit(ds.toString()).cast("date")), ds),
          () -> wh.replaceDay(Tables.CLUSTERS, clustersOut, ds),
          () -> wh.replaceDay(Tables.CAMPAIGN_TRENDS, TrendBuilder.campaignTrends(flaggedMessages, earlier, prevDay, ds),
              ds),
          () -> wh.replaceDay(Tables.HASHTAG_TRENDS, TrendBuilder.hashtagTrends(messages, flaggedMessages, ds), ds),
          () -> wh.replaceDay(Tables.SUSPENSION_CANDIDATES, candidates, ds),
          () -> wh.replaceDay(Tables.REPORT_LOG, ReportWeighting.log(weightedReports, ds), ds),
          () -> wh.replaceDay(Tables.REJECTED_RECORDS, allRejected, ds)));
      // Campaign state reads today's campaign_trends, so it follows them.
      mergeCampaigns(ds, links, clustersOut, rep[0]);
    });
    long rejectedRows = countRejected(ds, counts);
    if (rejectedRows > 0) {
      LOG.warn("{} input rows rejected for {}: see table rejected_records", rejectedRows, ds);
    }

    // 7. Report and reviewer exports.
    String reportDir = wh.reportDir(ds);
    t.stage("report", () -> {
      ReportData[] data = new ReportData[1];
      Parallel.run(2, List.of(() -> Exports.writeCandidates(wh, ds, reportDir),
          () -> data[0] = ReportDataBuilder.build(spark, wh, ds, cfg, counts, t.millis())));
      DailyReport.write(data[0], Storage.conf(spark), reportDir);
    });
    return new RunResult(runId, ds, counts, t.millis(), rejectedRows, cc[0], (int) cc[1],
        Storage.child(reportDir, "index.html"));
  }

  /**
   * Data-quality gates before any clustering or daily write. A failed gate still writes the day's
   * rejected_records (what the operator needs to see why), then stops the night.
   */
  private void checkGates(LocalDate ds, Map<String, Long> counts, boolean force, String[] gate,
                          List<Dataset<Row>> rejected) {
    List<Long> history = QualityGate.history(wh.read(Tables.JOB_RUNS), ds, cfg.gates().historyDays());
    QualityGate.Verdict v = QualityGate.check(counts.get("messages"), counts.get("input_lines_messages"), history,
        cfg.gates(), force);
    gate[0] = v.record();
    if (v.status().equals("forced")) {
      LOG.warn("quality gate failed for {} but --force was given: {}", ds, v.detail());
    } else {
      LOG.info("quality gate for {}: {}", ds, v.record());
    }
    if (!v.passed()) {
      wh.replaceDay(Tables.REJECTED_RECORDS, rejected.stream().reduce(Dataset::unionByName).orElseThrow(), ds);
      countRejected(ds, counts);
      throw new QualityGate.GateFailedException("quality gate failed for " + ds + ": " + v.detail()
          + " (rerun with --force to accept the day)");
    }
  }

  /** Rejected rows of the day, in total and by source and reason (rejected.source.reason), into counts. */
  private long countRejected(LocalDate ds, Map<String, Long> counts) {
    long total = 0;
    for (Row r : wh.read(Tables.REJECTED_RECORDS).filter(col("ds").equalTo(lit(ds.toString()).cast("date")))
        .groupBy("source", "reason").count().orderBy("source", "reason").collectAsList()) {
      counts.put("rejected." + r.getString(0) + "." + r.getString(1), r.getLong(2));
      total += r.getLong(2);
    }
    counts.put("rejected_rows", total);
    return total;
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
    // Another day's run may merge at the same time: the loser of the race merges again on top of the winner.
    Warehouse.retryOnConflict(Tables.CAMPAIGNS + " merge", () -> mergeCampaignState(source, yesterday));
  }

  private void mergeCampaignState(Dataset<Row> source, String yesterday) {
    wh.beforeCommit();
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

  /** Tables by name for analysts. A catalog outage is logged, not fatal: the next run or `sql` registers again. */
  private void registerTables() {
    try {
      Catalog.register(spark, wh, cfg.catalog().database());
    } catch (RuntimeException e) {
      LOG.warn("tables not registered in catalog database {}: {} (the next run or `bin/nightwatch sql` retries)",
          cfg.catalog().database(), oneLine(e));
    }
  }

  private void writeJobRun(LocalDate ds, String runId, Instant started, Instant ended, String outcome, String error,
                           StageTimer t, Map<String, Long> counts, long[] cc, String gate,
                           Map<String, Long> refVersions) {
    boolean done = ended != null; // the started row has no end and no clustering figures yet
    Row row = RowFactory.create(java.sql.Date.valueOf(ds), runId, Timestamp.from(started),
        done ? Timestamp.from(ended) : null, outcome, error, scala.jdk.javaapi.CollectionConverters.asScala(t.millis()),
        scala.jdk.javaapi.CollectionConverters.asScala(counts), counts.getOrDefault("rejected_rows", null),
        done ? cc[0] : null, done ? (Integer) (int) cc[1] : null, cfg.digest(),
        NightlyJob.class.getPackage().getImplementationVersion(),
        refVersions.isEmpty() ? null : scala.jdk.javaapi.CollectionConverters.asScala(refVersions), gate);
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
