package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Catalog;
import nightwatch.io.DayInput;
import nightwatch.io.DayLock;
import nightwatch.io.Maintenance;
import nightwatch.io.ReferenceSnapshot;
import nightwatch.io.Warehouse;
import nightwatch.job.DayClustering.Clustered;
import nightwatch.job.DayReader.DayInputs;
import nightwatch.job.DayScoring.Campaigns;
import nightwatch.job.DayScoring.ClusterScores;
import nightwatch.log.LogContext;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.schema.Tables;
import nightwatch.stages.classify.ModelSignals;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.signature.MinHashSigner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job for one day: read and validate → cluster → score → campaigns and ban evasion → write → report,
 * each step a class of this package returning a small record; this class holds the day's lock, records the run in
 * job_runs, and releases what the run kept.
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
  private final Pseudonymizer pseudo;

  /** The pseudonym key comes from the environment variable the config names; missing: exit code 5. */
  public NightlyJob(SparkSession spark, NightwatchConfig cfg) {
    this(spark, cfg, Pseudonymizer.fromEnvironment(cfg.pseudonymKeyEnv(), System.getenv()));
  }

  public NightlyJob(SparkSession spark, NightwatchConfig cfg, Pseudonymizer pseudo) {
    this.spark = spark;
    this.cfg = cfg;
    this.wh = new Warehouse(spark, cfg.warehouse(), Maintenance.properties(cfg.maintenance()));
    this.pseudo = pseudo;
  }

  public RunResult run(LocalDate ds) {
    return run(ds, false);
  }

  /** Figures of a run for job_runs that steps learn as they go (the counts travel in {@link Run#counts()}). */
  private static final class RunLog {
    final Instant started = Instant.now();
    String gate;
    Map<String, Long> referenceVersions = Map.of();
    long largestCluster;
    int ccRounds;
  }

  /** @param force run on even when a data-quality gate fails (the verdict is still recorded). */
  public RunResult run(LocalDate ds, boolean force) {
    String runId = ds + "-" + UUID.randomUUID().toString().substring(0, 8);
    // Every log line of the run carries its day and id.
    try (LogContext.Scope context = LogContext.open(ds, runId)) {
      return runDay(ds, runId, force);
    }
  }

  private RunResult runDay(LocalDate ds, String runId, boolean force) {
    // Job groups are named runId:stage, so that Spark's metrics of two runs of one day never mix.
    Run run = Run.start(spark, runId, ds, cfg.execution().storageLevel());
    RunLog log = new RunLog();
    LOG.info("nightly run {} for {} started (warehouse {})", runId, ds, wh.root());
    DayLock lock = null;
    try {
      run.timer().stage("setup", wh::ensureTables);
      // One run of a day at a time; the refused run is recorded too (as failed, naming the holder).
      lock = DayLock.acquire(spark, wh, ds, runId, cfg.runLock().lease(), Clock.systemUTC());
      // A run that lost its day (its lease lapsed and another run took it) stops before its next commit.
      wh.guardCommits(lock::ensureHeld);
      // A run killed with kill -9 leaves this row and no later one: job_runs shows it never ended.
      writeJobRun(run, log, null, "started", null);
      RunResult r = pipeline(run, log, force);
      run.timer().stage("catalog", this::registerTables);
      writeJobRun(run, log, Instant.now(), "success", null);
      LOG.info("nightly run {} for {} finished: {}", runId, ds, run.counts());
      return r;
    } catch (Exception failure) {
      // Task failures come as a checked SparkException; an unreadable input file among them becomes exit 3.
      RuntimeException e = DayInput.unreadable(failure instanceof RuntimeException re ? re
          : new RuntimeException(failure.getMessage(), failure));
      try {
        wh.guardCommits(null); // the failed row is an append to the log: it races nothing
        writeJobRun(run, log, Instant.now(), "failed", oneLine(e));
      } catch (RuntimeException logFailure) {
        LOG.warn("could not record the failed run in job_runs: {}", oneLine(logFailure));
      }
      throw e;
    } finally {
      wh.guardCommits(null);
      // A run refused or failed before taking its day kept nothing, and must not release another run's intermediates.
      if (lock != null) {
        lock.close();
        run.release();
      }
    }
  }

  /** The night's steps in order; each returns what the next ones read. */
  private RunResult pipeline(Run run, RunLog log, boolean force) {
    DayInputs day = run.timer().stage("read_validate", () -> DayReader.read(spark, cfg, wh, run));
    checkGates(run, log, day, force);
    // Every later read of a reference table sees the version current now, the day's upserts included.
    ReferenceSnapshot refs = ReferenceSnapshot.pin(wh);
    log.referenceVersions = refs.versions();
    // Kept by account_id: the joins with the day's accounts then shuffle only their other side.
    Dataset<Row> accounts = run.kept().keepPartitioned(day.accounts(), "account_id");

    LshParams lsh = LshParams.of(cfg.lsh());
    Clustered clusters = DayClustering.cluster(day.messages(), cfg, MinHashSigner.of(spark, cfg, lsh), lsh, run);
    log.largestCluster = clusters.largestCluster();
    log.ccRounds = clusters.rounds();
    // The latest trained classifier, if any, scores the day's messages (null: rule-based signals only).
    ModelScoring.Models models = run.timer().stage("classifier",
        () -> ModelScoring.apply(spark, wh, cfg, day.messages(), clusters.clustered(), run.counts()));
    ModelSignals model = models.signals();

    DayScoring scoring = new DayScoring(cfg, wh, pseudo, refs, run);
    ClusterScores scores = scoring.scoreClusters(day, accounts, clusters, model);
    Campaigns campaigns = scoring.linkCampaigns(clusters, scores);
    Dataset<Row> evasion = scoring.banEvasion(accounts, clusters, campaigns);
    Dataset<Row> candidates = scoring.candidates(day, accounts, clusters, scores, evasion, model,
        models.stance());

    DayWriter.write(spark, wh, run, day, clusters, scores, campaigns, candidates);
    long rejectedRows = DayWriter.countRejected(wh, run.ds(), run.counts());
    String report = report(run);
    return new RunResult(run.id(), run.ds(), run.counts(), run.timer().millis(), rejectedRows, log.largestCluster,
        log.ccRounds, report);
  }

  /**
   * Data-quality gates before any clustering or daily write. A failed gate still writes the day's rejected_records
   * (what the operator needs to see why), then stops the night. The verdict goes to job_runs either way.
   */
  private void checkGates(Run run, RunLog log, DayInputs day, boolean force) {
    List<Long> history = QualityGate.history(wh.read(Tables.JOB_RUNS), run.ds(), cfg.gates().historyDays());
    QualityGate.Verdict v = QualityGate.check(run.counts().get("messages"), run.counts().get("input_lines_messages"),
        history, cfg.gates(), force);
    log.gate = v.record();
    if (v.status().equals("forced")) {
      LOG.warn("quality gate failed for {} but --force was given: {}", run.ds(), v.detail());
    } else {
      LOG.info("quality gate for {}: {}", run.ds(), v.record());
    }
    if (!v.passed()) {
      wh.replaceDay(Tables.REJECTED_RECORDS, day.allRejected(), run.ds());
      DayWriter.countRejected(wh, run.ds(), run.counts());
      throw new QualityGate.GateFailedException("quality gate failed for " + run.ds() + ": " + v.detail()
          + " (rerun with --force to accept the day)");
    }
  }

  /** The daily report and the reviewer exports, beside the tables; returns the page's location. */
  private String report(Run run) {
    return run.timer().stage("report",
        () -> DayReport.write(spark, wh, cfg, run.ds(), run.counts(), run.timer().millis()));
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

  private void writeJobRun(Run run, RunLog log, Instant ended, String outcome, String error) {
    boolean done = ended != null; // the started row has no end and no clustering figures yet
    Row row = RowFactory.create(java.sql.Date.valueOf(run.ds()), run.id(), Timestamp.from(log.started),
        done ? Timestamp.from(ended) : null, outcome, error,
        scala.jdk.javaapi.CollectionConverters.asScala(run.timer().millis()),
        scala.jdk.javaapi.CollectionConverters.asScala(run.counts()), run.counts().getOrDefault("rejected_rows", null),
        done ? log.largestCluster : null, done ? (Integer) log.ccRounds : null, cfg.digest(),
        NightlyJob.class.getPackage().getImplementationVersion(),
        log.referenceVersions.isEmpty() ? null : scala.jdk.javaapi.CollectionConverters.asScala(log.referenceVersions),
        log.gate);
    wh.append(Tables.JOB_RUNS, spark.createDataFrame(List.of(row), Tables.schema(Tables.JOB_RUNS).struct()));
  }

  /** The first line of an error message, for job_runs and the one-line error on stderr. */
  public static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
