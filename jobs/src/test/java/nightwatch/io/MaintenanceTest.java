package nightwatch.io;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse of several small days, each written in several files: maintain compacts the recent days, expires what
 * is past retention, keeps every other row, sets the history properties, and a night writing its day meanwhile
 * succeeds.
 */
class MaintenanceTest extends SparkTest {
  static final LocalDate AS_OF = LocalDate.parse("2026-11-30");

  @TempDir
  Path dir;

  private Dataset<Row> messageClusters(LocalDate ds, int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(r(Date.valueOf(ds), ds + "-m" + i, "a" + (i % 7), "c" + (i % 3), ts(ds + "T10:00:00Z")));
    }
    return df(spark, "ds date, message_id string, account_id string, cluster_id string, created_at timestamp",
        rows.toArray(new Object[0][])).repartition(4);
  }

  private long files(Warehouse w, String t) {
    return DeltaTable.forPath(spark, w.path(t)).detail().select("numFiles").first().getLong(0);
  }

  private List<String> rows(Warehouse w, String t) {
    return w.read(t).orderBy("ds", "message_id").toJSON().collectAsList();
  }

  @Test
  void compactsExpiresAndKeepsEveryOtherRowWhileANightWrites() throws Exception {
    Warehouse w = new Warehouse(spark, dir.resolve("wh").toString());
    // Only the tables under test: maintain works on the tables a warehouse has.
    String mc = Tables.MESSAGE_CLUSTERS;
    w.ensureTable(mc);
    w.ensureTable(Tables.REJECTED_RECORDS);
    w.replaceDay(mc, messageClusters(AS_OF.minusDays(500), 20), AS_OF.minusDays(500)); // past daily retention
    for (int d = 2; d <= 6; d++) {
      w.replaceDay(mc, messageClusters(AS_OF.minusDays(d), 40), AS_OF.minusDays(d));
    }
    w.replaceDay(Tables.REJECTED_RECORDS, df(spark, "ds date, source string, source_file string, reason string, "
            + "raw string, raw_length bigint",
        r(Date.valueOf(AS_OF.minusDays(40)), "messages", "f", "bad json", "{\"text\": \"old raw text\"", 22L)),
        AS_OF.minusDays(40));
    w.replaceDay(Tables.REJECTED_RECORDS, df(spark, "ds date, source string, source_file string, reason string, "
            + "raw string, raw_length bigint",
        r(Date.valueOf(AS_OF.minusDays(3)), "messages", "f", "bad json", "{\"text\": \"recent\"", 18L)),
        AS_OF.minusDays(3));
    Path oldReport = Files.createDirectories(dir.resolve("wh/reports/ds=" + AS_OF.minusDays(500)));
    Path newReport = Files.createDirectories(dir.resolve("wh/reports/ds=" + AS_OF.minusDays(2)));
    long filesBefore = files(w, mc);
    List<String> kept = rows(w, mc).stream().filter(j -> !j.contains(AS_OF.minusDays(500).toString())).toList();

    NightwatchConfig.Maintenance m = NightwatchConfig.load(null, Map.of()).maintenance();
    // A night writes its day while maintain runs.
    CompletableFuture<Long> night = CompletableFuture.supplyAsync(
        () -> w.replaceDay(mc, messageClusters(AS_OF, 30), AS_OF));
    List<Maintenance.TableResult> results = Maintenance.run(spark, w, m, AS_OF);
    night.get();

    Maintenance.TableResult r = results.stream().filter(x -> x.table().equals(mc)).findFirst().orElseThrow();
    assertEquals(filesBefore, r.filesBefore());
    assertEquals(20, r.rowsExpired(), "the day past retention");
    // 5 compacted days of 4 files become 5 files; the night's day keeps its own.
    assertTrue(files(w, mc) < filesBefore, "files " + filesBefore + " -> " + files(w, mc));
    assertEquals(5, w.read(mc).filter("ds < DATE'" + AS_OF + "'").inputFiles().length, "one file per compacted day");
    List<String> after = rows(w, mc);
    assertEquals(kept, after.stream().filter(j -> !j.contains("\"ds\":\"" + AS_OF + "\"")).toList(),
        "every row within retention, unchanged");
    assertEquals(30, w.read(mc).filter("ds = DATE'" + AS_OF + "'").count(), "the night's day, written meanwhile");

    List<Row> rejected = w.read(Tables.REJECTED_RECORDS).orderBy("ds").collectAsList();
    assertNull(rejected.get(0).getAs("raw"), "raw input past its retention is cleared");
    assertEquals("bad json", rejected.get(0).getAs("reason"), "the row itself stays");
    assertEquals("{\"text\": \"recent\"", rejected.get(1).getAs("raw"));
    assertFalse(Files.exists(oldReport), "a report folder past retention is deleted");
    assertTrue(Files.exists(newReport));
    Map<String, String> props = DeltaTable.forPath(spark, w.path(mc)).detail().select("properties").first()
        .getJavaMap(0);
    assertEquals("interval 30 days", props.get("delta.logRetentionDuration"));
    assertEquals("interval 168 hours", props.get("delta.deletedFileRetentionDuration"));
  }
}
