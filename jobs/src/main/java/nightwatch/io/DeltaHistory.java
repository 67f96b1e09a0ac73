package nightwatch.io;

import io.delta.tables.DeltaTable;
import java.time.Duration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.util.ManualClock;
import scala.Option;

/**
 * Removes a table's history, so that rows deleted or rewritten now cannot be read back from older versions, the
 * change feed, or the statistics of the log's older commits: data files no version needs, then log entries
 * before a fresh checkpoint. Only for erasure: no night may write the table meanwhile, since files it has written
 * but not yet committed would be deleted.
 */
public final class DeltaHistory {
  private DeltaHistory() {}

  /** A clock far enough ahead that every retention window (log and deleted files) has passed. */
  private static final Duration AHEAD = Duration.ofDays(3650);

  public static void purge(SparkSession spark, String path) {
    withConf(spark, "spark.databricks.delta.retentionDurationCheck.enabled", "false",
        () -> vacuum(spark, DeltaTable.forPath(spark, path), 0.0));
    // Delta's own checkpoint and log clean-up, run as of a later time: it keeps the new checkpoint and what follows.
    DeltaLog.clearCache();
    try {
      DeltaLog log = DeltaLog.forTable(spark, new Path(path),
          new ManualClock(System.currentTimeMillis() + AHEAD.toMillis()));
      log.checkpointAndCleanUpDeltaLog(log.update(false, Option.empty(), Option.empty()), Option.empty());
    } finally {
      DeltaLog.clearCache(); // the next reader gets a log with the real clock
    }
  }

  /**
   * VACUUM, with {@code hours} or (null) the table's own {@code delta.deletedFileRetentionDuration}. Its file listing
   * runs as many tasks as {@code spark.sql.sources.parallelPartitionDiscovery.parallelism} (10,000 unless set), most
   * of them empty for a table of a few hundred folders; unless the user set it, the listing uses 4 tasks per core.
   */
  public static void vacuum(SparkSession spark, DeltaTable table, Double hours) {
    Runnable vacuum = () -> {
      if (hours == null) {
        table.vacuum();
      } else {
        table.vacuum(hours);
      }
    };
    String key = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    if (spark.conf().contains(key)) {
      vacuum.run();
    } else {
      withConf(spark, key, String.valueOf(Math.max(8, spark.sparkContext().defaultParallelism() * 4)), vacuum);
    }
  }

  /** Runs {@code body} with one session setting changed, then restores the setting as it was. */
  static void withConf(SparkSession spark, String key, String value, Runnable body) {
    String before = spark.conf().contains(key) ? spark.conf().get(key) : null;
    spark.conf().set(key, value);
    try {
      body.run();
    } finally {
      if (before == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, before);
      }
    }
  }
}
