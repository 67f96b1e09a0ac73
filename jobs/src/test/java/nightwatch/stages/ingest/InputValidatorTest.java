package nightwatch.stages.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputValidatorTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  static final InputValidator.Rules MESSAGES =
      new InputValidator.Rules("messages", "message_id", "created_at", true, "text", 100, 5);
  static final InputValidator.Rules REPORTS =
      new InputValidator.Rules("reports", "report_id", "created_at", true, null, 0, 5);

  @TempDir
  Path dir;

  static String msg(String id, String createdAt, String text) {
    return "{\"message_id\":" + (id == null ? "null" : "\"" + id + "\"") + ",\"account_id\":\"a1\",\"created_at\":\""
        + createdAt + "\",\"text\":\"" + text + "\"}";
  }

  /** Writes the lines (as bytes, so invalid UTF-8 stays invalid) and reads them like DayInput does. */
  private Dataset<Row> lines(String name, List<byte[]> lines) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.write(l);
      out.write('\n');
    }
    Path f = dir.resolve(name);
    Files.write(f, out.toByteArray());
    return spark.read().text(f.toString()).select(col("value"), input_file_name().as("source_file"));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyReasonOnceAndEveryLineInExactlyOneOutput() throws Exception {
    byte[] badUtf8 = b(msg("m_bad", "2024-05-01T10:00:00Z", "bad XX bytes"));
    int at = new String(badUtf8, StandardCharsets.UTF_8).indexOf("XX");
    badUtf8[at] = (byte) 0xC3; // 0xC3 0x28: a lead byte followed by a non-continuation byte
    badUtf8[at + 1] = (byte) 0x28;
    List<byte[]> input = List.of(
        b(msg("m1", "2024-05-01T10:00:00Z", "valid one")),
        b(msg("m2", "2024-05-01T00:00:00Z", "valid two")),
        b("{\"message_id\":\"m3\", \"text\": "),                                   // malformed_json
        b("[" + msg("m3a", "2024-05-01T10:00:00Z", "an array, not an object") + "]"),  // malformed_json
        b("\"just a string\""),                                                     // malformed_json
        b(msg(null, "2024-05-01T10:00:00Z", "no id")),                            // null_message_id
        b(msg("m5", "yesterday-ish", "bad time")),                                // unparsable_created_at
        b(msg("m6", "2024-05-01T10:00:00Z", "x".repeat(101))),                    // text_too_long
        b(msg("m7", "2024-04-30T23:59:59Z", "the day before")),                   // outside_day
        b(msg("m8", "2024-05-01T12:30:00Z", "later today than now")),             // from_future
        b(msg("m1", "2024-05-01T11:00:00Z", "valid one again")),                  // duplicate_message_id
        badUtf8);                                                                 // invalid_utf8
    InputValidator.Result r = InputValidator.validate(lines("messages.json", input),
        Tables.schema("messages"), MESSAGES, DS, NOW);

    List<Row> valid = r.valid().orderBy("message_id").collectAsList();
    assertEquals(List.of("m1", "m2"), valid.stream().map(x -> (String) x.getAs("message_id")).toList(),
        "only m1 (first copy) and m2 are valid");
    assertEquals("valid one", valid.get(0).getAs("text"), "the first copy by (source_file, value) keeps the key");
    assertEquals(java.sql.Timestamp.from(Instant.parse("2024-05-01T10:00:00Z")), valid.get(0).getAs("created_at"),
        "created_at is typed as a timestamp");
    assertEquals(List.of(Tables.schema("messages").columnNames()), List.of(r.valid().columns()),
        "valid rows have the contract's columns in order");

    Map<String, Long> reasons = new TreeMap<>();
    for (Row x : r.rejected().groupBy("reason").count().collectAsList()) {
      reasons.put(x.getString(0), x.getLong(1));
    }
    Map<String, Long> expected = new TreeMap<>();
    for (String s : List.of("malformed_json", "null_message_id", "unparsable_created_at", "text_too_long",
        "outside_day", "from_future", "duplicate_message_id", "invalid_utf8")) {
      expected.put(s, s.equals("malformed_json") ? 3L : 1L);
    }
    assertEquals(expected, reasons, "one rejected row per reason (three lines that are not JSON objects)");
    assertEquals(input.size(), r.valid().count() + r.rejected().count(), "every line ends in exactly one output");

    Row utf = r.rejected().filter(col("reason").equalTo("invalid_utf8")).first();
    assertTrue(utf.getString(utf.fieldIndex("raw")).contains("m_bad"), "raw keeps the (repaired) payload");
    assertEquals("messages", utf.getAs("source"), "source is recorded");
    assertTrue(utf.getString(utf.fieldIndex("source_file")).endsWith("messages.json"), "source_file is recorded");
    assertEquals(java.sql.Date.valueOf(DS), utf.getAs("ds"), "ds is the processed day");
  }

  @Test
  void validCopyIsNotRejectedAsDuplicateOfARejectedRow() throws Exception {
    // Both rows have key m1; the first by value is invalid (too long), so the other is the only valid copy.
    List<byte[]> input = List.of(
        b(msg("m1", "2024-05-01T10:00:00Z", "a" + "x".repeat(150))),
        b(msg("m1", "2024-05-01T10:00:00Z", "b valid")));
    InputValidator.Result r = InputValidator.validate(lines("dup.json", input),
        Tables.schema("messages"), MESSAGES, DS, NOW);
    assertEquals(List.of("b valid"), r.valid().collectAsList().stream().map(x -> (String) x.getAs("text")).toList(),
        "the only contract-valid copy of m1 must be kept");
    assertEquals(List.of("text_too_long"),
        r.rejected().collectAsList().stream().map(x -> (String) x.getAs("reason")).toList(),
        "the invalid copy is rejected for its own reason only");
  }

  @Test
  void rejectedReportsNeverCarryTheRawReporterId() throws Exception {
    List<byte[]> input = List.of(
        // valid
        b("{\"report_id\":\"r1\",\"reporter_id\":\"SECRET111\",\"reported_account_id\":\"a9\","
            + "\"created_at\":\"2024-05-01T10:00:00Z\"}"),
        // null report_id
        b("{\"report_id\":null,\"reporter_id\" : \"SECRET222\",\"reported_account_id\":\"a9\","
            + "\"created_at\":\"2024-05-01T10:00:00Z\"}"),
        // outside the day, reporter id given as a JSON number
        b("{\"report_id\":\"r3\",\"reporter_id\":333444555,\"reported_account_id\":\"a9\","
            + "\"created_at\":\"2024-04-01T10:00:00Z\"}"),
        // truncated line: malformed JSON with an unterminated reporter id
        b("{\"report_id\":\"r4\",\"reporter_id\":\"SECRET444"),
        // reporter id with an escaped quote inside
        b("{\"report_id\":null,\"reporter_id\":\"SEC\\\"RET555\",\"reported_account_id\":\"a9\","
            + "\"created_at\":\"2024-05-01T10:00:00Z\"}"));
    InputValidator.Result r = InputValidator.validate(lines("reports.json", input),
        Tables.schema("reports"), REPORTS, DS, NOW);
    assertEquals(1, r.valid().count(), "one valid report");
    List<Row> rejected = r.rejected().collectAsList();
    assertEquals(4, rejected.size(), "four rejected reports");
    for (Row x : rejected) {
      String raw = x.getAs("raw");
      for (String secret : List.of("SECRET", "333444555", "RET555")) {
        assertFalse(raw.contains(secret), "rejected raw payload must not contain the reporter id: " + raw);
      }
      assertTrue(raw.contains("reporter_id"), "the rest of the payload is kept: " + raw);
    }
  }

  /** Valid and rejected rows as sorted strings, to compare the lazy plan with the materialised paths. */
  private static List<List<String>> outputs(InputValidator.Result r) {
    return List.of(r.valid().collectAsList().stream().map(Row::toString).sorted().toList(),
        r.rejected().collectAsList().stream().map(Row::toString).sorted().toList());
  }

  private Dataset<Row> folder(String name, Map<String, List<byte[]>> files) throws Exception {
    Path sub = Files.createDirectories(dir.resolve(name));
    for (Map.Entry<String, List<byte[]>> f : files.entrySet()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] l : f.getValue()) {
        out.write(l);
        out.write('\n');
      }
      Files.write(sub.resolve(f.getKey()), out.toByteArray());
    }
    return spark.read().text(sub.toString()).select(col("value"), input_file_name().as("source_file"));
  }

  @Test
  void laterCopiesAreTheSameWhicheverWayTheyAreFound() throws Exception {
    Dataset<Row> lines = folder("dups", Map.of(
        "b.json", List.of(b(msg("m1", "2024-05-01T10:00:00Z", "first in b")),
            b(msg("m1", "2024-05-01T10:00:00Z", "second in b")),
            b(msg("m2", "2024-05-01T10:00:00Z", "y".repeat(150))),   // text_too_long: not a copy
            b(msg("m2", "2024-05-01T10:00:00Z", "m2 valid"))),
        "a.json", List.of(b(msg("m3", "2024-05-01T10:00:00Z", "same line")),
            b(msg("m1", "2024-05-01T10:00:00Z", "m1 in a")),
            b(msg("m3", "2024-05-01T10:00:00Z", "same line")))));
    InputValidator.Result lazy = InputValidator.validate(lines, Tables.schema("messages"), MESSAGES, DS, NOW);
    List<List<String>> expected = outputs(lazy);
    Map<String, String> kept = new TreeMap<>();
    for (Row x : lazy.valid().collectAsList()) {
      kept.put(x.getAs("message_id"), x.getAs("text"));
    }
    assertEquals(Map.of("m1", "m1 in a", "m2", "m2 valid", "m3", "same line"), kept,
        "the first copy by file, then line, keeps the key; a rejected row is not a copy");
    List<Row> dups = lazy.rejected().filter(col("reason").equalTo("duplicate_message_id")).collectAsList();
    assertEquals(3, dups.size(), "both copies in b.json and the second line of m3");
    assertTrue(dups.stream().anyMatch(x -> ((String) x.getAs("raw")).contains("second in b")),
        "a later copy keeps its raw line");

    for (long broadcastMax : new long[] {1_000_000, 3, 2, 0}) {
      InputValidator.Result m = InputValidator.validate(lines, Tables.schema("messages"), MESSAGES, DS, NOW)
          .materialized(org.apache.spark.storage.StorageLevel.MEMORY_ONLY(), broadcastMax);
      assertEquals(expected, outputs(m), "materialised with at most " + broadcastMax + " broadcast copies");
      assertEquals(7, m.checked().count(), "every line once");
      assertEquals(new InputValidator.Counts(7, 3), m.counts(), "7 lines, 3 valid keys (" + broadcastMax + ")");
    }

    Dataset<Row> clean = folder("clean", Map.of("c.json", List.of(b(msg("m1", "2024-05-01T10:00:00Z", "one")),
        b(msg("m2", "2024-05-01T10:00:00Z", "two")), b(msg("m3", "2024-05-01T10:00:00Z", "x".repeat(101))))));
    InputValidator.Result c = InputValidator.validate(clean, Tables.schema("messages"), MESSAGES, DS, NOW);
    InputValidator.Result cm = c.materialized(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
    assertEquals(outputs(c), outputs(cm), "a day without repeated keys");
    assertEquals(new InputValidator.Counts(3, 2), cm.counts(), "3 lines, 2 valid (one text too long)");
    assertEquals(List.of(false, false, true), cm.checked().orderBy(col("_t.message_id"))
            .select(col("source_file").isNotNull()).as(org.apache.spark.sql.Encoders.BOOLEAN()).collectAsList(),
        "a kept row carries its file name only when rejected");
    String plan = cm.rejected().queryExecution().executedPlan().toString();
    assertTrue(plan.contains("_rejected") && !plan.contains("_t#"),
        "the rejected lines come with the repeated-id check's shuffle, not from a scan of every kept row:\n" + plan);
  }

  @Test
  void derivedColumnsAreComputedOnValidLinesOnlyAndBecomeColumnsOfTheValidRows() throws Exception {
    Dataset<Row> lines = folder("derive", Map.of("d.json", List.of(b(msg("m1", "2024-05-01T10:00:00Z", "one")),
        b(msg("m1", "2024-05-01T10:00:00Z", "copy of one")),
        b(msg("m2", "2024-05-01T10:00:00Z", "two")),
        b(msg("m3", "2024-05-01T10:00:00Z", "x".repeat(101))),   // text_too_long
        b("not json"))));
    java.util.function.UnaryOperator<Dataset<Row>> step = rows -> rows
        .withColumn("shout", org.apache.spark.sql.functions.upper(col("text")))
        .withColumn("text_seen", col("text"));
    for (long broadcastMax : new long[] {1_000_000, 0}) {
      InputValidator.Result plain = InputValidator.validate(lines, Tables.schema("messages"), MESSAGES, DS, NOW);
      InputValidator.Result d = InputValidator.validate(lines, Tables.schema("messages"), MESSAGES, DS, NOW)
          .derive(step).materialized(org.apache.spark.storage.StorageLevel.MEMORY_ONLY(), broadcastMax);
      Map<String, String> shout = new TreeMap<>();
      for (Row x : d.valid().collectAsList()) {
        shout.put(x.getAs("message_id"), x.getAs("shout"));
      }
      assertEquals(Map.of("m1", "ONE", "m2", "TWO"), shout, "one derived value per valid row (" + broadcastMax + ")");
      assertEquals(List.of(plain.valid().columns()).size() + 2, d.valid().columns().length,
          "the schema's columns and the two new ones");
      assertEquals(outputs(plain).get(1), outputs(d).get(1), "rejected rows are untouched");
      assertEquals(0, d.checked().filter(col("_reason").isin("text_too_long", "malformed_json")
          .and(col("_t.text_seen").isNotNull())).count(), "the step sees nulls on a rejected line");
    }
    assertThrows(IllegalArgumentException.class, () -> InputValidator.validate(lines, Tables.schema("messages"),
        MESSAGES, DS, NOW).derive(rows -> rows.drop("text")), "a step that drops a column is refused");
  }

  @Test
  void aLaterCopyOfAReportIsRedactedWhenItsLineIsReadAgain() throws Exception {
    String line = "{\"report_id\":\"r1\",\"reporter_id\":\"SECRET111\",\"reported_account_id\":\"a9\","
        + "\"created_at\":\"2024-05-01T10:00:00Z\"}";
    Dataset<Row> lines = folder("reps", Map.of("r.json", List.of(b(line), b(line.replace("a9", "a8")))));
    InputValidator.Result m = InputValidator.validate(lines, Tables.schema("reports"), REPORTS, DS, NOW)
        .materialized(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
    Row dup = m.rejected().first();
    assertEquals("duplicate_report_id", dup.getAs("reason"));
    String raw = dup.getAs("raw");
    assertTrue(raw.contains("a8") && raw.contains("reporter_id") && !raw.contains("SECRET"),
        "the re-read line is redacted like any rejected line: " + raw);
    assertEquals((long) line.length(), (long) dup.getAs("raw_length"), "the length of the line as read");
  }

  @Test
  void optionalLinkMentionAndMediaColumnsAreTypedAndCheckedAndMayBeAbsent() throws Exception {
    String pdq = "f".repeat(64);
    String md5 = "0123456789abcdef0123456789ABCDEF";
    Dataset<Row> lines = lines("links.json", List.of(
        b(msg("m1", "2024-05-01T10:00:00Z", "no optional column")),
        b(msg("m2", "2024-05-01T10:00:00Z", "all three").replace("}", ",\"urls\":[\"https://a.org/x\",\"http://b.org\"],"
            + "\"mentions\":[\"a7\"],\"media\":[{\"kind\":\"image\",\"md5\":\"" + md5 + "\",\"pdq\":\"" + pdq
            + "\"},{\"kind\":\"video\",\"md5\":null}]}")),
        b(msg("m3", "2024-05-01T10:00:00Z", "a string for an array").replace("}", ",\"urls\":\"https://a.org\"}")),
        b(msg("m4", "2024-05-01T10:00:00Z", "short pdq").replace("}", ",\"media\":[{\"kind\":\"image\",\"pdq\":\"ff\"}]}")),
        b(msg("m5", "2024-05-01T10:00:00Z", "unknown kind").replace("}", ",\"media\":[{\"kind\":\"gif\"}]}"))));
    InputValidator.Result r = InputValidator.validate(lines, Tables.schema("messages"), MESSAGES, DS, NOW);
    Map<String, String> reasons = new TreeMap<>();
    for (Row x : r.rejected().collectAsList()) {
      reasons.put(x.<String>getAs("raw").replaceAll(".*\"message_id\":\"(m\\d)\".*", "$1"), x.getAs("reason"));
    }
    assertEquals(Map.of("m3", "wrong_type_urls", "m4", "invalid_media", "m5", "invalid_media"), reasons);
    Map<String, Row> valid = new TreeMap<>();
    r.valid().collectAsList().forEach(x -> valid.put(x.getAs("message_id"), x));
    assertEquals(List.of("m1", "m2"), List.copyOf(valid.keySet()));
    assertTrue(valid.get("m1").isNullAt(valid.get("m1").fieldIndex("urls")), "absent: null");
    Row m2 = valid.get("m2");
    assertEquals(List.of("https://a.org/x", "http://b.org"), m2.getList(m2.fieldIndex("urls")));
    assertEquals(List.of("a7"), m2.getList(m2.fieldIndex("mentions")));
    List<Row> media = m2.getList(m2.fieldIndex("media"));
    assertEquals(2, media.size());
    assertEquals(pdq, media.get(0).getAs("pdq"));
    assertEquals("video", media.get(1).getAs("kind"));
  }
}
