package nightwatch.job;

import static nightwatch.job.BadInputTest.acct;
import static nightwatch.job.BadInputTest.cli;
import static nightwatch.job.BadInputTest.msg;
import static nightwatch.job.BadInputTest.write;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import nightwatch.SparkTest;
import nightwatch.cli.Main;
import nightwatch.io.Warehouse;
import nightwatch.job.BadInputTest.Cli;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-day input faults through the CLI: each ends with its documented exit code, a one-line reason on
 * stderr, and a failed row in job_runs.
 */
class BadDayTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-04-02");

  @TempDir
  static Path tmp;

  @Test
  void aTruncatedGzipFailsTheDayWithExit3NamingTheFile() throws IOException {
    Path day = tmp.resolve("gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 2000; i++) {
        gz.write((msg("z" + i, "u1", "2026-04-02T04:00:00Z", "gzip line " + i + " " + "w".repeat(i % 50)) + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] all = bytes.toByteArray();
    Files.createDirectories(day.resolve("messages"));
    Files.write(day.resolve("messages/part-0.jsonl.gz"), java.util.Arrays.copyOf(all, all.length / 2));
    write(day.resolve("accounts/a.jsonl"), List.of(acct("u1", "1")));
    write(day.resolve("reports/r.jsonl"), List.of());
    Cli c = cli("nightly", "--date", DS.toString(), "--warehouse", tmp.resolve("wh-gz").toString(),
        "--input", day.toString());
    assertEquals(Main.MISSING_INPUT, c.code(), c.err());
    String last = c.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("nightwatch: unreadable input: "), c.err());
    assertTrue(last.contains("Unexpected end of input stream"), "says why: " + last);
    assertTrue(last.contains("part-0.jsonl.gz"), "names the file: " + last);
    assertTrue(onlyRun("wh-gz").<String>getAs("error").startsWith("unreadable input: "), "recorded in job_runs");
  }

  @Test
  void aDayWhoseOnlyFileIsEmptyFailsWithExit4() throws IOException {
    Path day = tmp.resolve("empty");
    Files.createDirectories(day.resolve("messages"));
    Files.write(day.resolve("messages/part-0.jsonl"), new byte[0]);
    write(day.resolve("accounts/a.jsonl"), List.of(acct("u1", "1")));
    write(day.resolve("reports/r.jsonl"), List.of());
    Cli c = cli("nightly", "--date", DS.toString(), "--warehouse", tmp.resolve("wh-empty").toString(),
        "--input", day.toString());
    assertEquals(Main.EMPTY_INPUT, c.code(), c.err());
    assertEquals(1, c.err().strip().lines().count(), c.err());
    assertTrue(c.err().startsWith("nightwatch: empty input: no valid message for 2026-04-02"), c.err());
    onlyRun("wh-empty");
  }

  @Test
  void aMissingDayFailsWithExit3AndOneLine() {
    Cli c = cli("nightly", "--date", DS.toString(), "--warehouse", tmp.resolve("wh-missing").toString(),
        "--input", tmp.resolve("no-such-day").toString());
    assertEquals(Main.MISSING_INPUT, c.code(), c.err());
    assertEquals(1, c.err().strip().lines().count(), c.err());
    assertTrue(c.err().startsWith("nightwatch: missing input: messages at "), c.err());
  }

  static Row onlyRun(String wh) {
    List<Row> runs = new Warehouse(spark, tmp.resolve(wh).toString()).read(Tables.JOB_RUNS)
        .filter("outcome <> 'started'").collectAsList();
    assertEquals(1, runs.size(), "one run recorded");
    assertEquals("failed", runs.get(0).getAs("outcome"));
    return runs.get(0);
  }

  @Test
  void aWarehouseTableLinkedOutsideTheWarehouseFailsWithExit5() throws IOException {
    Path wh = Files.createDirectories(tmp.resolve("wh-link"));
    Files.createSymbolicLink(wh.resolve("clusters"), Files.createDirectories(tmp.resolve("elsewhere")));
    Cli c = cli("nightly", "--date", DS.toString(), "--warehouse", wh.toString(), "--input", tmp.toString());
    assertEquals(Main.BAD_CONFIG, c.code(), c.err());
    assertEquals(1, c.err().strip().lines().count(), c.err());
    assertTrue(c.err().contains("clusters leads outside the warehouse"), c.err());
  }
}
