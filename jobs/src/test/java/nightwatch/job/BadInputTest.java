package nightwatch.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import nightwatch.SparkTest;
import nightwatch.cli.Main;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix on one tiny day: every kind of broken row at once, each checked to land in
 * rejected_records with its source file and reason, and counted in job_runs and the report. The day runs
 * through the CLI twice: under the default gates (too many rejected lines: exit 6), then with --force.
 * Whole-day faults are in {@link BadDayTest}.
 */
class BadInputTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-04-02");
  static final int BIG = 10 * 1024 * 1024;

  @TempDir
  static Path tmp;
  static Path in;
  static NightwatchConfig cfg;
  static Cli gateRun;
  static Cli forcedRun;
  static long gateRejected;
  static long gateClusters;
  static List<Row> runs;
  static Map<String, Row> rejectedById;
  static List<Row> rejected;

  @BeforeAll
  static void runMatrix() throws IOException {
    in = tmp.resolve("in");
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      good.add(msg("g" + i, "u" + (i % 4), "2026-04-02T0" + (i % 9) + ":10:00Z", "plain message " + i + " about the weather"));
    }
    good.add(msg("dup", "u1", "2026-04-02T05:00:00Z", "the first copy of a duplicated id"));
    write(in.resolve("messages/good.jsonl"), good);
    write(in.resolve("messages/bad.jsonl"), List.of(
        "{\"message_id\": \"nj\", \"text\": ",                                       // not JSON (cut off)
        "[\"an\", \"array\"]",                                                       // JSON, but not an object
        msg(null, "u1", "2026-04-02T01:00:00Z", "null id"),
        msg("ts", "u1", "half past ten", "unparsable timestamp"),
        "{\"message_id\":\"wt\",\"account_id\":\"u1\",\"created_at\":true,\"text\":\"boolean as time\"}",
        msg("fut", "u1", "2099-01-01T00:00:00Z", "from the future"),
        msg("prev", "u1", "2026-04-01T23:59:59Z", "from the day before"),
        msg("dup", "u2", "2026-04-02T06:00:00Z", "the second copy of a duplicated id")));
    // Invalid UTF-8: 0xC3 followed by a byte that is not a continuation byte.
    byte[] utf = (msg("utf", "u1", "2026-04-02T02:00:00Z", "bad XX bytes") + "\n").getBytes(StandardCharsets.UTF_8);
    int at = new String(utf, StandardCharsets.UTF_8).indexOf("XX");
    utf[at] = (byte) 0xC3;
    utf[at + 1] = (byte) 0x28;
    Files.write(in.resolve("messages/utf8.jsonl"), utf);
    write(in.resolve("messages/big.jsonl"), List.of(msg("big", "u1", "2026-04-02T03:00:00Z", "x".repeat(BIG))));
    Files.write(in.resolve("messages/empty.jsonl"), new byte[0]);
    write(in.resolve("accounts/a.jsonl"), List.of(acct("u0", "10"), acct("u1", "10"), acct("u2", "10"),
        acct("u3", "10"), acct("wrongtype", "\"many\"")));
    write(in.resolve("reports/r.jsonl"), List.of());
    // A reference file with a cut-off line: the line is rejected, the good one upserted.
    write(in.resolve("reference/protected_accounts/p.jsonl"), List.of(
        "{\"account_id\":\"news9\",\"category\":\"news\"}", "{\"account_id\":\"pa-cut\",\"category\":"));

    // With the default gates the day fails (many rejected lines), then runs with --force: the matrix run.
    cfg = config(tmp.resolve("wh"), in, Map.of());
    gateRun = cli("nightly", "--date", DS.toString(), "--warehouse", cfg.warehouse(), "--input", in.toString());
    gateRejected = wh().read(Tables.REJECTED_RECORDS).count();
    gateClusters = wh().read(Tables.CLUSTERS).count();
    forcedRun = cli("nightly", "--date", DS.toString(), "--warehouse", cfg.warehouse(), "--input", in.toString(),
        "--force");
    // Each run's end row (its started row is checked in NightlyJobTest).
    runs = wh().read(Tables.JOB_RUNS).filter("outcome <> 'started'").orderBy("started_at").collectAsList();
    rejected = wh().read(Tables.REJECTED_RECORDS).collectAsList();
    rejectedById = new HashMap<>();
    for (Row r : rejected) {
      String raw = r.getAs("raw");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(?:message|account)_id\":\"([^\"]*)\"").matcher(raw);
      rejectedById.put(m.find() ? m.group(1) : raw, r);
    }
  }

  static Warehouse wh() {
    return new Warehouse(spark, cfg.warehouse());
  }

  static NightwatchConfig config(Path wh, Path input, Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>(extra);
    o.put("nightwatch.warehouse", wh.toString());
    o.put("nightwatch.input.root", input.toString());
    return NightwatchConfig.load(null, o);
  }

  private static void assertRejected(String id, String reason, String file) {
    Row r = rejectedById.get(id);
    assertNotNull(r, id + " should be in rejected_records; have " + rejectedById.keySet());
    assertEquals(reason, r.getAs("reason"), id);
    assertTrue(r.<String>getAs("source_file").endsWith("/" + file), id + " source file: " + r.getAs("source_file"));
  }

  @Test
  void aLineThatIsNotJsonIsRejected() {
    assertRejected("{\"message_id\": \"nj\", \"text\": ", "malformed_json", "bad.jsonl");
    assertRejected("[\"an\", \"array\"]", "malformed_json", "bad.jsonl");
  }

  @Test
  void nullIdUnparsableTimeAndWrongTypesAreRejected() {
    assertTrue(rejected.stream().anyMatch(r -> "null_message_id".equals(r.getAs("reason"))
        && r.<String>getAs("source_file").endsWith("/bad.jsonl")), "null id");
    assertRejected("ts", "unparsable_created_at", "bad.jsonl");
    assertRejected("wt", "unparsable_created_at", "bad.jsonl");
    assertRejected("wrongtype", "wrong_type_followers", "a.jsonl");
    assertEquals("accounts", rejectedById.get("wrongtype").getAs("source"));
  }

  @Test
  void aBadReferenceLineIsRejectedAndTheGoodOnesUpserted() {
    assertRejected("pa-cut", "malformed_json", "p.jsonl");
    assertEquals("reference/protected_accounts", rejectedById.get("pa-cut").getAs("source"));
    assertEquals(List.of("news9"), wh().read(Tables.PROTECTED_ACCOUNTS).select("account_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList(), "only the good line is upserted");
  }

  @Test
  void invalidUtf8IsRejectedAndStoredAsValidText() {
    assertRejected("utf", "invalid_utf8", "utf8.jsonl");
    assertTrue(rejectedById.get("utf").<String>getAs("raw").contains("bad \uFFFD("), "raw kept, bad byte replaced");
  }

  @Test
  void aTenMegabyteMessageIsRejectedAndItsPayloadCut() {
    assertRejected("big", "text_too_long", "big.jsonl");
    Row r = rejectedById.get("big");
    assertEquals(4096, r.<String>getAs("raw").length(), "raw is cut to 4096 characters");
    assertTrue(r.<Long>getAs("raw_length") > BIG, "the whole length is recorded: " + r.<Long>getAs("raw_length"));
  }

  @Test
  void messagesFromTheFutureOrAnotherDayAreRejected() {
    assertRejected("fut", "from_future", "bad.jsonl");
    assertRejected("prev", "outside_day", "bad.jsonl");
  }

  @Test
  void aDuplicateIdKeepsOneCopyAndRejectsTheOther() {
    // The copy that sorts first by (source file, line) is kept: bad.jsonl's; good.jsonl's is the duplicate.
    assertRejected("dup", "duplicate_message_id", "good.jsonl");
    long kept = wh().read(Tables.MESSAGE_CLUSTERS).filter(col("message_id").equalTo("dup")).count();
    assertTrue(kept <= 1, "one copy at most downstream");
  }

  @Test
  void nothingIsLostAndCountsReachJobRunsAndTheReport() throws IOException {
    assertEquals(Main.OK, forcedRun.code(), forcedRun.err());
    Row run = runs.get(1);
    assertEquals("success", run.getAs("outcome"));
    Map<String, Long> c = scala.jdk.javaapi.CollectionConverters.asJava(
        run.<scala.collection.Map<String, Long>>getAs("row_counts"));
    long rejectedMessages = rejected.stream().filter(r -> "messages".equals(r.getAs("source"))).count();
    assertEquals(13L, c.get("messages"), "12 plain + one copy of dup");
    assertEquals(c.get("input_lines_messages"), c.get("messages") + rejectedMessages,
        "every message line is either valid or rejected (the empty file adds none)");
    assertEquals(10L, rejectedMessages, "2 not JSON, null id, 2 bad times, future, day before, dup, utf8, big");
    assertEquals(12L, run.<Long>getAs("rejected_rows"), "10 messages + 1 account + 1 reference line");
    assertEquals(2L, c.get("rejected.messages.malformed_json"), "per-reason counts in job_runs: " + c);
    assertEquals(1L, c.get("rejected.accounts.wrong_type_followers"), "per-reason counts in job_runs: " + c);
    String html = Files.readString(tmp.resolve("wh/reports/ds=" + DS + "/index.html"));
    assertTrue(html.contains("text_too_long"), "the report lists rejected rows by reason");
  }

  @Test
  void withTheDefaultGatesTheDayFailsWithExit6AndOneLineUntilForced() {
    assertEquals(Main.QUALITY_GATE, gateRun.code(), gateRun.err());
    assertEquals(1, gateRun.err().strip().lines().count(), "one line: " + gateRun.err());
    assertTrue(gateRun.err().startsWith("nightwatch: quality gate failed for 2026-04-02: below gate: rejected share "
        + "0.4348 (10 of 23 lines), max 0.1 (rerun with --force to accept the day)"), gateRun.err());
    assertEquals(2, runs.size(), "both runs are recorded");
    assertEquals("failed", runs.get(0).getAs("outcome"));
    assertTrue(runs.get(0).<String>getAs("quality_gate").startsWith("fail: below gate"),
        runs.get(0).<String>getAs("quality_gate"));
    assertEquals(12L, gateRejected, "the failed night keeps its rejected rows for the operator");
    assertEquals(0L, gateClusters, "and writes nothing else of the day");
    assertTrue(runs.get(1).<String>getAs("quality_gate").startsWith("forced: below gate: rejected share 0.4348"),
        runs.get(1).<String>getAs("quality_gate"));
    assertEquals(12L, rejected.size(), "the forced run replaced the day's rejected rows, no duplicates");
  }

  record Cli(int code, String err) {}

  /** Runs the CLI in this JVM (it reuses the test session) and captures stderr. */
  static synchronized Cli cli(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.execute(args);
    } finally {
      System.setErr(old);
    }
    String s = err.toString(StandardCharsets.UTF_8);
    // Log lines (log4j writes to stdout) never reach this stream; print it for the test log.
    old.print(s);
    return new Cli(code, s);
  }

  static String msg(String id, String account, String ts, String text) {
    return "{" + (id == null ? "\"message_id\":null" : "\"message_id\":\"" + id + "\"") + ",\"account_id\":\"" + account
        + "\",\"created_at\":\"" + ts + "\",\"text\":\"" + text + "\",\"lang\":\"en\"}";
  }

  static String acct(String id, String followers) {
    return "{\"account_id\":\"" + id + "\",\"handle\":\"" + id + "\",\"display_name\":\"" + id
        + "\",\"description\":\"\",\"created_at\":\"2020-01-01T00:00:00Z\",\"followers\":" + followers
        + ",\"following\":5,\"verified\":false}";
  }

  static void write(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
