package nightwatch.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nightwatch.config.NightwatchConfig;
import nightwatch.schema.TableSchema;
import nightwatch.schema.Tables;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly upkeep of a warehouse, table by table: retention (expired rows deleted, expired raw input text cleared),
 * compaction of the recent days (Delta OPTIMIZE, Z-ordered on the columns the schema file names), the table
 * properties that bound history, then VACUUM. The two newest days are never compacted, so a night writing one of
 * them does not conflict; retention only touches days far older than any night writes.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  private Maintenance() {}

  /** One table before and after: its live files and bytes (Delta's table detail), and the rows retention removed. */
  public record TableResult(String table, long filesBefore, long bytesBefore, long filesAfter, long bytesAfter,
                            long rowsExpired) {}

  public static List<TableResult> run(SparkSession spark, Warehouse wh, NightwatchConfig.Maintenance m,
                                      LocalDate asOf) {
    List<TableResult> out = new ArrayList<>();
    List<String> tables = new ArrayList<>(Tables.OUTPUTS);
    tables.addAll(Tables.REFERENCE);
    for (String t : tables) {
      if (wh.exists(t)) {
        out.add(table(spark, wh, t, m, asOf));
      }
    }
    expireReports(spark, wh, m, asOf);
    return out;
  }

  /** The retention and history properties every table carries. */
  public static Map<String, String> properties(NightwatchConfig.Maintenance m) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("delta.logRetentionDuration", "interval " + m.logRetentionDays() + " days");
    p.put("delta.deletedFileRetentionDuration", "interval " + m.vacuumRetentionHours() + " hours");
    return p;
  }

  private static TableResult table(SparkSession spark, Warehouse wh, String t, NightwatchConfig.Maintenance m,
                                   LocalDate asOf) {
    long start = System.nanoTime();
    DeltaTable table = DeltaTable.forPath(spark, wh.path(t));
    Row before = table.detail().select("numFiles", "sizeInBytes").first();
    TableSchema s = Tables.schema(t);
    wh.setProperties(t, properties(m));
    if (before.getLong(0) == 0) {
      return new TableResult(t, 0, 0, 0, 0, 0); // nothing to expire, compact or vacuum
    }
    long t0 = System.nanoTime();
    long expired = expire(spark, wh.path(t), table, t, s, m, asOf);
    long t1 = System.nanoTime();
    // Days, not state or reference tables: those are small and rewritten by the nights' merges.
    if (s.partitionedBy().contains("ds") && !"state".equals(s.kind()) && m.optimizeDays() > 0) {
      var optimize = table.optimize().where("ds >= DATE'" + asOf.minusDays(m.optimizeDays()) + "' AND ds < DATE'"
          + asOf.minusDays(1) + "'");
      if (s.zorderBy().isEmpty()) {
        optimize.executeCompaction();
      } else {
        optimize.executeZOrderBy(s.zorderBy().toArray(new String[0]));
      }
    }
    long t2 = System.nanoTime();
    DeltaHistory.vacuum(spark, table, null); // the table's own delta.deletedFileRetentionDuration
    long t3 = System.nanoTime();
    Row after = table.detail().select("numFiles", "sizeInBytes").first();
    TableResult r = new TableResult(t, before.getLong(0), before.getLong(1), after.getLong(0), after.getLong(1),
        expired);
    LOG.info("maintain {}: files {} -> {}, bytes {} -> {}, rows expired {} (expire {} ms, optimize {} ms, "
        + "vacuum {} ms, total {} ms)", t, r.filesBefore(), r.filesAfter(), r.bytesBefore(), r.bytesAfter(), expired,
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (System.nanoTime() - start) / 1_000_000);
    return r;
  }

  /** Deletes the rows past their table's retention; clears rejected_records.raw past its own. */
  private static long expire(SparkSession spark, String path, DeltaTable table, String t, TableSchema s,
                             NightwatchConfig.Maintenance m, LocalDate asOf) {
    if (!s.partitionedBy().contains("ds") || "state".equals(s.kind())) {
      return 0;
    }
    int days = t.equals(Tables.REPORT_LOG) ? m.reportLogDays() : m.dailyRetentionDays();
    long deleted = 0;
    if (days > 0) {
      Row r = spark.sql("DELETE FROM delta.`" + path + "` WHERE ds < DATE'" + asOf.minusDays(days) + "'").first();
      deleted = r.getLong(0);
    }
    if (t.equals(Tables.REJECTED_RECORDS) && m.rejectedRawDays() > 0) {
      Column old = col("ds").lt(lit(asOf.minusDays(m.rejectedRawDays()).toString()).cast("date"))
          .and(col("raw").isNotNull());
      table.update(old, Map.of("raw", lit(null).cast("string")));
    }
    return deleted;
  }

  /** Report folders (the page, the summary and the exports) past their retention. */
  private static void expireReports(SparkSession spark, Warehouse wh, NightwatchConfig.Maintenance m, LocalDate asOf) {
    if (m.reportDays() == 0) {
      return;
    }
    Configuration conf = Storage.conf(spark);
    for (FileStatus f : Storage.list(conf, Storage.child(wh.root(), "reports"))) {
      String name = f.getPath().getName();
      if (f.isDirectory() && name.startsWith("ds=")
          && LocalDate.parse(name.substring(3)).isBefore(asOf.minusDays(m.reportDays()))) {
        Storage.deleteRecursively(conf, f.getPath().toString());
        LOG.info("maintain: report folder {} deleted (older than {} days)", name, m.reportDays());
      }
    }
  }
}
