package nightwatch.io;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import nightwatch.log.LogContext;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run per day at a time: a run holds the day's row in the warehouse's {@code run_locks} Delta table from its
 * start to its end, so a second run of the same day fails at once naming the holder, instead of racing the first one
 * table by table. The row is taken by a MERGE that inserts it only if absent: Delta's optimistic concurrency lets one
 * of two concurrent MERGEs of a day commit and fails the other, on every filesystem where Delta's commits are atomic
 * (local disk, HDFS, ABFS, GCS; S3 from one driver, or from many with the S3DynamoDBLogStore).
 *
 * <p>The row is a lease: the holder renews it every third of the lease; a row not renewed for a whole lease, or whose
 * holder process is gone from this host, is taken over (a compare-and-swap on its run id). A holder that fails to
 * renew, or finds its row taken, is lost: {@link #ensureHeld()} then stops it before its next commit.
 */
public final class DayLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DayLock.class);
  private static final int ATTEMPTS = 8;

  /** The day is locked by another live run (exit code 7). */
  public static class HeldException extends RuntimeException {
    public HeldException(String message) {
      super(message);
    }
  }

  /** This run no longer holds its day (its lease lapsed and another run took it): it must not commit. */
  public static final class LostException extends HeldException {
    public LostException(String message) {
      super(message);
    }
  }

  /** The holder of a day, as its row says. */
  record Holder(String runId, String host, Long pid, Instant acquiredAt, Instant expiresAt) {}

  private final SparkSession spark;
  private final String table;
  private final LocalDate ds;
  private final String runId;
  private final Duration lease;
  private final Clock clock;
  private final ScheduledExecutorService renewer;
  private volatile Instant heldUntil;
  private volatile String lost;

  private DayLock(SparkSession spark, String table, LocalDate ds, String runId, Duration lease, Clock clock,
                  Instant expiresAt) {
    this.spark = spark;
    this.table = table;
    this.ds = ds;
    this.runId = runId;
    this.lease = lease;
    this.clock = clock;
    this.heldUntil = expiresAt;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "day-lock-" + runId);
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, lease.toMillis() / 3);
    renewer.scheduleWithFixedDelay(LogContext.carry((Runnable) this::renew), every, every, TimeUnit.MILLISECONDS);
  }

  /** Takes the day for {@code runId}, or throws {@link HeldException} naming the live holder. */
  public static DayLock acquire(SparkSession spark, Warehouse wh, LocalDate ds, String runId, Duration lease,
                                Clock clock) {
    String table = wh.path(Tables.RUN_LOCKS);
    wh.ensureTable(Tables.RUN_LOCKS);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Holder before = holder(spark, table, ds);
      if (before != null) {
        String stale = staleness(before, clock);
        if (stale == null) {
          throw new HeldException("day " + ds + " is locked by run " + before.runId() + " (host " + before.host()
              + ", pid " + before.pid() + ", since " + before.acquiredAt() + ", lease until " + before.expiresAt()
              + "); wait for it to end, or if no such run is alive delete its row: DELETE FROM delta.`" + table
              + "` WHERE ds = DATE'" + ds + "'");
        }
        LOG.warn("day {}: taking over from run {} ({})", ds, before.runId(), stale);
      }
      Instant now = clock.instant();
      try {
        take(spark, table, ds, runId, before, now, now.plus(lease));
      } catch (RuntimeException e) {
        if (!Warehouse.isConflict(e)) {
          throw e;
        }
        LOG.info("day {}: another run committed to run_locks at the same time ({}); reading again", ds,
            e.getClass().getSimpleName());
        Warehouse.backoff(attempt);
        continue;
      }
      Holder after = holder(spark, table, ds);
      if (after != null && runId.equals(after.runId())) {
        LOG.info("day {} locked by run {} until {}", ds, runId, after.expiresAt());
        return new DayLock(spark, table, ds, runId, lease, clock, after.expiresAt());
      }
    }
    throw new HeldException("day " + ds + ": could not take the lock in " + table + " (other runs keep taking it)");
  }

  /** Insert-if-absent, or a takeover of exactly the stale holder read before (compare-and-swap on its run id). */
  private static void take(SparkSession spark, String table, LocalDate ds, String runId, Holder before, Instant now,
                           Instant expires) {
    Row me = RowFactory.create(java.sql.Date.valueOf(ds), runId, host(), ProcessHandle.current().pid(),
        Timestamp.from(now), Timestamp.from(expires));
    Dataset<Row> source = spark.createDataFrame(List.of(me), Tables.schema(Tables.RUN_LOCKS).struct());
    // The literal day keeps the MERGE's read to that partition: runs of other days never conflict with it.
    var merge = DeltaTable.forPath(spark, table).as("t")
        .merge(source.as("s"), "t.ds = DATE'" + ds + "' AND t.ds = s.ds");
    if (before != null) {
      merge = merge.whenMatched("t.run_id = '" + before.runId().replace("'", "''") + "'").updateAll();
    }
    merge.whenNotMatched().insertAll().execute();
  }

  static Holder holder(SparkSession spark, String table, LocalDate ds) {
    List<Row> rows = spark.read().format("delta").load(table).filter(col("ds").equalTo(lit(ds.toString()).cast("date")))
        .select("run_id", "host", "pid", "acquired_at", "expires_at").collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    Row r = rows.get(0);
    return new Holder(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getLong(2),
        r.getTimestamp(3).toInstant(), r.getTimestamp(4).toInstant());
  }

  /** Why a holder's row may be taken over, or null while it is live. */
  static String staleness(Holder holder, Clock clock) {
    Instant now = clock.instant();
    if (now.isAfter(holder.expiresAt())) {
      return "its lease ended at " + holder.expiresAt() + ", "
          + Duration.between(holder.expiresAt(), now).toSeconds() + " s ago";
    }
    if (host().equals(holder.host()) && holder.pid() != null && ProcessHandle.of(holder.pid()).isEmpty()) {
      return "its process " + holder.pid() + " on this host is gone";
    }
    return null;
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Throws {@link LostException} unless this run still holds its day: called before each commit of the run. */
  public void ensureHeld() {
    if (lost == null && clock.instant().isAfter(heldUntil)) {
      lost = "its lease ended at " + heldUntil + " without a renewal";
    }
    if (lost != null) {
      throw new LostException("run " + runId + " no longer holds day " + ds + " (" + lost + "); stopped before its "
          + "next commit: rerun the day");
    }
  }

  void renew() {
    if (lost != null) {
      return;
    }
    try {
      Holder h = holder(spark, table, ds);
      if (h == null || !runId.equals(h.runId())) {
        lost = h == null ? "its row is gone" : "run " + h.runId() + " took it over";
        LOG.error("day {}: run {} lost its lock: {}", ds, runId, lost);
        return;
      }
      Instant until = clock.instant().plus(lease);
      DeltaTable.forPath(spark, table).update(
          col("ds").equalTo(lit(ds.toString()).cast("date")).and(col("run_id").equalTo(runId)),
          Map.<String, Column>of("expires_at", lit(Timestamp.from(until))));
      Holder after = holder(spark, table, ds);
      if (after != null && runId.equals(after.runId())) {
        heldUntil = after.expiresAt();
      }
    } catch (RuntimeException e) {
      // Until the lease ends the run still holds the day; ensureHeld() stops it after that.
      LOG.warn("day {}: lock renewal failed: {}", ds, e.getMessage());
    }
  }

  /** Stops renewing and deletes the day's row if it is still this run's. */
  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(30, TimeUnit.SECONDS);
      DeltaTable.forPath(spark, table).delete(
          col("ds").equalTo(lit(ds.toString()).cast("date")).and(col("run_id").equalTo(runId)));
      LOG.info("day {} released by run {}", ds, runId);
    } catch (RuntimeException e) {
      LOG.warn("day {}: release failed ({}); the next run takes it over once the lease ends", ds, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
