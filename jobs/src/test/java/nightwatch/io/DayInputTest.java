package nightwatch.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import nightwatch.SparkTest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset folder as real exports write it: nested hour folders, gzip, hidden files, a completion marker. */
class DayInputTest extends SparkTest {
  @TempDir
  Path tmp;

  @Test
  void nestedFoldersAreReadWholeAndHiddenFilesAreNot() throws IOException {
    Path messages = tmp.resolve("messages");
    write(messages.resolve("hour=00/part-0.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
    gzip(messages.resolve("hour=13/part-0.jsonl.gz"), "{\"n\":3}\n");
    write(messages.resolve("2026/12/07/late.json"), "{\"n\":4}\n");
    write(messages.resolve("_SUCCESS"), "");
    write(messages.resolve("hour=13/.part-0.jsonl.crc"), "not data");
    write(messages.resolve("_temporary/0/part-9.jsonl"), "{\"n\":99}\n");
    assertEquals("json", DayInput.detect(spark, messages.toString()));
    List<String> lines = DayInput.required(spark, messages.toString(), "auto", "messages", true)
        .select("value").orderBy("value").collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), lines);
  }

  @Test
  void nestedParquetIsReadWhole() {
    Path accounts = tmp.resolve("accounts");
    spark.range(0, 3).selectExpr("cast(id as string) as account_id").write().parquet(accounts.resolve("hour=00").toString());
    spark.range(3, 5).selectExpr("cast(id as string) as account_id").write().parquet(accounts.resolve("hour=01").toString());
    assertEquals("parquet", DayInput.detect(spark, accounts.toString()));
    List<Row> rows = DayInput.required(spark, accounts.toString(), "auto", "accounts", false).collectAsList();
    assertEquals(5, rows.size(), "every hour's rows: " + rows);
    assertTrue(rows.stream().allMatch(r -> r.getString(0).startsWith("{\"account_id\":\"")), "rendered as JSON lines");
  }

  @Test
  void aMissingMarkerStopsTheDayNamingTheFolderOnlyWhenRequired() throws IOException {
    Path reports = tmp.resolve("reports");
    write(reports.resolve("hour=00/r.jsonl"), "{\"report_id\":\"r1\"}\n");
    MissingInputException e = assertThrows(MissingInputException.class,
        () -> DayInput.required(spark, reports.toString(), "auto", "reports", true));
    assertEquals("missing input: reports at " + reports + " has no _SUCCESS marker (the export is not complete; "
        + "nightwatch.input.require-success-marker is on)", e.getMessage());
    assertEquals(1, DayInput.required(spark, reports.toString(), "auto", "reports", false).count(), "not required: read");
    write(reports.resolve("_SUCCESS"), "");
    assertEquals(1, DayInput.required(spark, reports.toString(), "auto", "reports", true).count(), "complete: read");
  }

  @Test
  void aFolderWithOnlyHiddenFilesHasNoData() throws IOException {
    Path empty = tmp.resolve("empty");
    write(empty.resolve("_SUCCESS"), "");
    write(empty.resolve("hour=00/.x.jsonl.crc"), "x");
    assertNull(DayInput.detect(spark, empty.toString()));
    assertThrows(MissingInputException.class, () -> DayInput.required(spark, empty.toString(), "auto", "messages", true));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void gzip(Path file, String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, bytes.toByteArray());
  }
}
