package nightwatch.job;

import static org.apache.spark.sql.functions.col;

import static org.junit.jupiter.api.Assertions.*;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.MissingInputException;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole nightly job on a small hand-made day: a coordinated campaign of a known text, a protected
 * account and a counter-speech account touching it, a benign background, and broken rows.
 */
class NightlyJobTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-03-10");
  static final String PROPAGANDA = "join the caravan of the faithful brothers today the victory is near "
      + "spread the word of the state everywhere #caravan https://camp.example/p/1";
  static final String SCRIPT = "<script>alert(1)</script> fresh wave of the caravan for the faithful brothers "
      + "the victory is coming soon spread the word";

  static final String IMAGE_MD5 = "9e107d9d372bb6826bd81d3542a419d6";

  @TempDir
  static Path tmp;
  static NightwatchConfig cfg;
  static RunResult first;
  static boolean noCacheBefore;
  static int persistedBefore;
  static boolean noCacheAfter;
  static int persistedAfter;

  @BeforeAll
  static void runOnce() throws IOException {
    Path in = tmp.resolve("input");
    List<String> messages = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    // 8 young accounts post the known text (with light edits) within two minutes.
    String[] edits = {PROPAGANDA, PROPAGANDA.replace("today", "now"), PROPAGANDA.toUpperCase(),
        PROPAGANDA.replace("#caravan", "#caravan #victory"), PROPAGANDA.replace("https://camp.example/p/1",
        "https://other.example/x"), PROPAGANDA + " 🔥", PROPAGANDA.replace("faithful", "faithfull"), PROPAGANDA};
    for (int i = 0; i < edits.length; i++) {
      messages.add(msg("p" + i, "prop" + i, "2026-03-10T10:00:" + (10 + i) + "Z", edits[i], null));
      accounts.add(acct("prop" + i, "2026-03-05T10:00:00Z"));
    }
    // A second campaign whose texts contain markup: the report must show it as text.
    for (int i = 0; i < 4; i++) {
      messages.add(msg("s" + i, "prop" + i, "2026-03-10T11:00:0" + i + "Z", SCRIPT, null));
    }
    // A news account (protected) reproduces the text; a counter-speech account quotes it condemning it.
    messages.add(msg("n1", "news1", "2026-03-10T12:00:00Z", PROPAGANDA, null));
    accounts.add(acct("news1", "2010-01-01T00:00:00Z"));
    messages.add(msg("c1", "cs1", "2026-03-10T12:05:00Z",
        "this is terrorist propaganda report it: " + PROPAGANDA, "p0"));
    accounts.add(acct("cs1", "2012-01-01T00:00:00Z"));
    // Background: unique texts from established accounts.
    for (int i = 0; i < 40; i++) {
      messages.add(msg("b" + i, "user" + (i % 10), "2026-03-10T0" + (i % 9) + ":30:00Z",
          "ordinary message number " + i + " about " + word(i) + " and " + word(i * 7 + 3) + " with friends "
              + word(i * 13 + 5) + " tonight " + word(i * 3 + 1), null));
    }
    for (int i = 0; i < 10; i++) {
      accounts.add(acct("user" + i, "2015-01-01T00:00:00Z"));
    }
    // A link campaign: five young accounts post one file-host link, spelt four ways, within 40 seconds, with words of
    // their own; six established accounts share a news link hours apart.
    String[] spellings = {"https://files.example/v/123?utm_source=tw", "http://www.files.example/v/123/",
        "https://FILES.example/v/123", "files.example/v/123#play"};
    String[] says = {"new release", "watch before it is gone", "the brothers speak", "full video here", "share it"};
    for (int i = 0; i < 5; i++) {
      String url = spellings[i % spellings.length];
      messages.add(withUrls(msg("l" + i, "link" + i, "2026-03-10T14:00:1" + i + "Z", says[i] + " " + url,
          null), url));
      accounts.add(acct("link" + i, "2026-03-08T10:00:00Z"));
    }
    for (int i = 0; i < 6; i++) {
      messages.add(withUrls(msg("o" + i, "user" + i, "2026-03-10T0" + (i + 1) + ":15:00Z", "read this "
          + word(i * 5 + 2) + " https://news.example/story", null), "https://news.example/story"));
    }
    // A media campaign: four young accounts post one image, re-encoded (a few PDQ bits flipped), within a minute; its
    // md5 is in known_media.
    String image = nightwatch.stages.media.MediaClustersTest.pdq(5);
    for (int i = 0; i < 4; i++) {
      String media = "[{\"kind\":\"image\",\"md5\":\"" + (i == 0 ? IMAGE_MD5 : "%032x".formatted(i)) + "\",\"pdq\":\""
          + nightwatch.stages.media.MediaClustersTest.flip(image, 3 * i, i) + "\"}]";
      String m = msg("i" + i, "img" + i, "2026-03-10T15:00:1" + i + "Z", "look " + word(i * 11 + 4), null);
      messages.add(m.substring(0, m.length() - 1) + ",\"media\":" + media + "}");
      accounts.add(acct("img" + i, "2026-03-09T10:00:00Z"));
    }
    // Broken rows: not JSON, null id, bad timestamp, another day, duplicate id.
    messages.add("{not json");
    messages.add(msg(null, "user1", "2026-03-10T01:00:00Z", "no id here at all in this message", null));
    messages.add(msg("x1", "user1", "yesterday-ish", "bad time in this message for sure", null));
    messages.add(msg("x2", "user1", "2026-03-09T23:59:59Z", "posted on another day entirely", null));
    messages.add(msg("b0", "user2", "2026-03-10T02:00:00Z", "a duplicate message id from another account", null));
    write(in.resolve("messages/part-0.jsonl"), messages);
    write(in.resolve("accounts/part-0.jsonl"), accounts);
    write(in.resolve("reports/part-0.jsonl"), List.of(
        "{\"report_id\":\"r1\",\"reporter_id\":\"SECRET-REPORTER-7\",\"reported_account_id\":\"prop1\","
            + "\"reported_message_id\":\"p1\",\"reason\":\"terrorism\",\"created_at\":\"2026-03-10T13:00:00Z\"}",
        "{\"report_id\":\"r2\",\"reporter_id\":\"SECRET-REPORTER-8\",\"reported_account_id\":\"prop2\","
            + "\"reason\":\"terrorism\",\"created_at\":\"not a time\"}"));
    write(in.resolve("reference/known_propaganda/known.jsonl"), List.of(
        "{\"ref_id\":\"KP-1\",\"text\":\"" + PROPAGANDA.replace("today ", "") + "\",\"label\":\"caravan\","
            + "\"source\":\"hash-sharing\",\"added_at\":\"2026-01-01T00:00:00Z\"}"));
    write(in.resolve("reference/known_media/m.jsonl"), List.of("{\"hash\":\"" + IMAGE_MD5
        + "\",\"kind\":\"md5\",\"label\":\"video still\",\"source\":\"hash-sharing\"}"));
    write(in.resolve("reference/known_links/l.jsonl"), List.of(
        "{\"pattern\":\"https://www.files.example/v/\",\"label\":\"file host\",\"source\":\"url-sharing\"}"));
    write(in.resolve("reference/protected_accounts/p.jsonl"), List.of(
        "{\"account_id\":\"news1\",\"category\":\"news\"}", "{\"account_id\":\"cs1\",\"category\":\"ngo\"}"));

    Map<String, Object> o = new HashMap<>();
    o.put("nightwatch.warehouse", tmp.resolve("wh").toString());
    o.put("nightwatch.input.root", in.toString());
    cfg = NightwatchConfig.load(null, o);
    noCacheBefore = spark.sharedState().cacheManager().isEmpty();
    persistedBefore = spark.sparkContext().getPersistentRDDs().size();
    first = new NightlyJob(spark, cfg).run(DS);
    noCacheAfter = spark.sharedState().cacheManager().isEmpty();
    persistedAfter = spark.sparkContext().getPersistentRDDs().size();
  }

  static Warehouse wh() {
    return new Warehouse(spark, cfg.warehouse());
  }

  @Test
  void theRunReleasesWhatItKept() {
    // Local checkpoints and columnar caches are the run's own: the session may run more days.
    assertEquals(persistedBefore, persistedAfter, "persisted RDDs after the run");
    if (noCacheBefore) {
      assertTrue(noCacheAfter, "no cached plan left by the run");
    }
  }

  @Test
  void campaignCopiesFormOneClusterAndBackgroundStaysOut() {
    List<Row> rows = wh().read(Tables.MESSAGE_CLUSTERS).collectAsList();
    Map<String, String> clusterOf = rows.stream().collect(Collectors.toMap(r -> r.getAs("message_id"),
        r -> r.getAs("cluster_id")));
    for (int i = 0; i < 8; i++) {
      assertEquals(clusterOf.get("p0"), clusterOf.get("p" + i), "edited copy p" + i + " should join p0's cluster");
    }
    assertNotNull(clusterOf.get("s0"), "the markup campaign is a cluster");
    assertNotEquals(clusterOf.get("p0"), clusterOf.get("s0"), "two different texts must not merge");
    assertTrue(rows.stream().noneMatch(r -> r.<String>getAs("message_id").startsWith("b")),
        "unique background messages must not be clustered");
  }

  @Test
  void knownCoordinatedPostersAreTieredAndSafeguardsHold() {
    Map<String, Row> cand = wh().read(Tables.SUSPENSION_CANDIDATES).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("account_id"), r -> r));
    Row p0 = cand.get("prop0");
    assertNotNull(p0, "a poster of the known coordinated text is a candidate");
    assertTrue(List.of("T1", "T2").contains(p0.<String>getAs("tier")), "expected T1/T2, got " + p0.getAs("tier"));
    assertTrue(p0.<scala.collection.Seq<String>>getAs("reasons") != null);
    assertTrue(p0.getList(p0.fieldIndex("reasons")).contains("KNOWN_PROPAGANDA"), "reasons explain the match");
    Row news = cand.get("news1");
    assertNotNull(news, "the protected news account that touched propaganda is shown to leads");
    assertEquals("protected_review", news.getAs("status"));
    assertNull(news.getAs("tier"), "a protected account never gets a review tier");
    Row cs = cand.get("cs1");
    if (cs != null) {
      assertNull(cs.getAs("tier"), "counter-speech never gets a tier");
    }
  }

  @Test
  void aLinkManyYoungAccountsPostAtOnceIsAFlaggedLinkClusterAndTheirAccountsAreTiered() {
    List<Row> links = wh().read(Tables.CLUSTERS).filter(col("kind").equalTo("link")).collectAsList();
    Map<String, Row> byLink = links.stream().collect(Collectors.toMap(r -> r.getAs("link"), r -> r));
    Row files = byLink.get("files.example/v/123");
    assertNotNull(files, "the file-host link is a link cluster: " + byLink.keySet());
    assertEquals(5L, files.<Long>getAs("distinct_accounts"));
    List<String> reasons = files.getList(files.fieldIndex("reasons"));
    assertTrue(reasons.contains("CO_LINK") && reasons.contains("KNOWN_LINK"), "reasons: " + reasons);
    assertTrue(files.<Double>getAs("propaganda_score") >= cfg.scoring().flaggedClusterScore(), "flagged");
    assertNotNull(files.getAs("campaign_id"), "a flagged link cluster starts or joins a campaign");
    Row news = byLink.get("news.example/story");
    assertTrue(news == null || news.<Double>getAs("propaganda_score") < cfg.scoring().flaggedClusterScore(),
        "a link shared hours apart is not flagged");
    assertEquals(0L, wh().read(Tables.CLUSTERS).filter(col("kind").equalTo("text")
        .and(col("link").isNotNull())).count(), "text clusters have no link");
    Map<String, Row> cand = wh().read(Tables.SUSPENSION_CANDIDATES).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("account_id"), r -> r));
    for (int i = 0; i < 5; i++) {
      Row c = cand.get("link" + i);
      assertNotNull(c, "link poster " + i + " is a candidate");
      assertTrue(List.of("T1", "T2").contains(c.<String>getAs("tier")), "tier of link" + i + ": " + c.getAs("tier"));
      assertTrue(c.getList(c.fieldIndex("reasons")).contains("CO_LINK"));
    }
  }

  @Test
  void nearIdenticalImagesOfFourYoungAccountsAreAFlaggedMediaClusterMatchedToKnownMedia() {
    List<Row> media = wh().read(Tables.CLUSTERS).filter(col("kind").equalTo("media")).collectAsList();
    assertEquals(1, media.size(), "one media cluster");
    Row c = media.get(0);
    assertEquals(4L, c.<Long>getAs("distinct_accounts"));
    List<String> reasons = c.getList(c.fieldIndex("reasons"));
    assertTrue(reasons.contains("CO_MEDIA") && reasons.contains("KNOWN_MEDIA"), "reasons: " + reasons);
    assertTrue(c.getList(c.fieldIndex("known_refs")).contains("media:md5:" + IMAGE_MD5));
    assertTrue(c.<Double>getAs("propaganda_score") >= cfg.scoring().flaggedClusterScore(), "flagged");
    assertNotNull(c.getAs("media_hash"));
  }

  @Test
  void badRowsAreRejectedWithReasonsAndReporterIdsNeverStored() {
    Map<String, Long> reasons = wh().read(Tables.REJECTED_RECORDS).groupBy("reason").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertEquals(1L, reasons.get("malformed_json"), "reasons: " + reasons);
    assertEquals(1L, reasons.get("null_message_id"), "reasons: " + reasons);
    assertEquals(2L, reasons.get("unparsable_created_at"), "one message and one report; reasons: " + reasons);
    assertEquals(1L, reasons.get("outside_day"), "reasons: " + reasons);
    assertEquals(1L, reasons.get("duplicate_message_id"), "reasons: " + reasons);
    List<String> raw = wh().read(Tables.REJECTED_RECORDS).select("raw").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    assertTrue(raw.stream().noneMatch(s -> s.contains("SECRET-REPORTER")), "raw reporter ids must not be stored");
    assertEquals(6L, first.rejectedRows(), "5 bad messages + 1 bad report");
  }

  @Test
  void noOutputTableHoldsARawReporterIdAndReportLogHasPseudonyms() {
    for (String t : Tables.OUTPUTS) {
      assertFalse(java.util.Arrays.stream(wh().read(t).columns()).anyMatch(c -> c.equals("reporter_id")),
          t + " must not have a reporter_id column");
      long leaks = wh().read(t).select(org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.struct("*"))
          .as("j")).filter("j LIKE '%SECRET-REPORTER%'").count();
      assertEquals(0L, leaks, t + " must not contain a raw reporter id");
    }
    List<Row> log = wh().read(Tables.REPORT_LOG).collectAsList();
    assertEquals(1, log.size(), "the one valid report is logged");
    String p = log.get(0).getAs("reporter_pseudonym");
    assertTrue(p.matches("[0-9a-f]{64}"), "HMAC-SHA256 hex pseudonym, got " + p);
    assertEquals(nightwatch.privacy.Pseudonymizer.ofKey(System.getenv("NIGHTWATCH_PSEUDONYM_KEY"))
        .pseudonym("SECRET-REPORTER-7"), p, "keyed with the key from the environment");
  }

  @Test
  void rerunReplacesTheDayAndMovesEachTableByOneVersion() {
    Map<String, Long> before = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    for (String t : List.of(Tables.MESSAGE_CLUSTERS, Tables.CLUSTERS, Tables.SUSPENSION_CANDIDATES,
        Tables.REJECTED_RECORDS, Tables.CAMPAIGN_TRENDS, Tables.HASHTAG_TRENDS, Tables.REPORT_LOG)) {
      before.put(t, wh().read(t).count());
      versions.put(t, version(t));
    }
    List<Row> clustersBefore = wh().read(Tables.CLUSTERS).select("cluster_id", "messages").orderBy("cluster_id")
        .collectAsList();
    new NightlyJob(spark, cfg).run(DS);
    for (String t : before.keySet()) {
      assertEquals(before.get(t), wh().read(t).count(), t + ": a rerun must not duplicate rows");
      assertEquals(versions.get(t) + 1, version(t), t + ": one commit per table per run");
    }
    assertEquals(clustersBefore, wh().read(Tables.CLUSTERS).select("cluster_id", "messages").orderBy("cluster_id")
        .collectAsList(), "same cluster ids and sizes on a rerun");
    assertTrue(wh().read(Tables.JOB_RUNS).count() >= 2, "every run is recorded");
  }

  @Test
  void everyRunRecordsAStartedRowThenItsEndAndReleasesItsLock() {
    List<Row> rows = wh().read(Tables.JOB_RUNS).filter(org.apache.spark.sql.functions.col("run_id")
        .equalTo(first.runId())).orderBy("outcome").collectAsList();
    assertEquals(List.of("started", "success"), rows.stream().map(r -> r.<String>getAs("outcome")).toList());
    assertNull(rows.get(0).getAs("ended_at"), "the started row has no end: a killed run shows as never ended");
    assertNotNull(rows.get(1).getAs("ended_at"));
    assertEquals(0, wh().read(Tables.RUN_LOCKS).count(), "lock released at the end");
  }

  @Test
  void aSecondRunOfADayThatIsRunningFailsAtOnceAndWritesNoDailyTable() {
    Map<String, Long> versions = new HashMap<>();
    for (String t : List.of(Tables.MESSAGE_CLUSTERS, Tables.CLUSTERS, Tables.SUSPENSION_CANDIDATES,
        Tables.REJECTED_RECORDS, Tables.CAMPAIGNS)) {
      versions.put(t, version(t));
    }
    // Another live run (this process, so never stale) holds the day.
    try (nightwatch.io.DayLock held = nightwatch.io.DayLock.acquire(spark, wh(), DS, "other-run", java.time.Duration.ofMinutes(5), java.time.Clock.systemUTC())) {
      nightwatch.io.DayLock.HeldException e = assertThrows(nightwatch.io.DayLock.HeldException.class,
          () -> new NightlyJob(spark, cfg).run(DS));
      assertTrue(e.getMessage().startsWith("day " + DS + " is locked by run other-run (host "), e.getMessage());
    }
    for (String t : versions.keySet()) {
      assertEquals(versions.get(t), version(t), t + ": the refused run wrote nothing");
    }
    assertEquals(1, wh().read(Tables.JOB_RUNS).filter("outcome = 'failed' AND error LIKE '%locked by run other-run%'")
        .count(), "the refused run is recorded as failed, naming the holder");
  }

  @Test
  void reportEscapesMarkupAndIsWritten() throws IOException {
    String html = Files.readString(Path.of(java.net.URI.create(first.reportPath())));
    assertFalse(html.contains("<script>alert(1)"), "message markup must be escaped");
    assertTrue(html.contains("&lt;script&gt;alert(1)"), "the text is shown, escaped");
    assertTrue(Files.exists(Path.of(java.net.URI.create(first.reportPath())).resolveSibling("candidates-T1.csv")), "reviewer export");
    // Every file the page links to (the summary and each tier's exports) is written next to it.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"([^\"#][^\"]*)\"").matcher(html);
    List<String> links = new ArrayList<>();
    while (m.find()) {
      links.add(m.group(1));
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(first.reportPath())).resolveSibling(m.group(1))), "linked: " + m.group(1));
    }
    assertTrue(links.containsAll(List.of("summary.md", "candidates-T1.csv", "candidates-T1.jsonl", "candidates-T2.csv",
        "candidates-T2.jsonl", "candidates-T3.csv", "candidates-T3.jsonl")), "links: " + links);
    assertTrue(html.contains("previous day: n/a"), "no earlier day in this warehouse");
  }

  @Test
  void missingInputStopsWithAClearError() {
    Map<String, Object> o = new HashMap<>();
    o.put("nightwatch.warehouse", tmp.resolve("wh2").toString());
    o.put("nightwatch.input.root", tmp.resolve("nowhere").toString());
    MissingInputException e = assertThrows(MissingInputException.class,
        () -> new NightlyJob(spark, NightwatchConfig.load(null, o)).run(DS));
    assertTrue(e.getMessage().startsWith("missing input: messages"), e.getMessage());
  }

  static long version(String table) {
    return DeltaTable.forPath(spark, wh().path(table)).history(1).select("version").first().getLong(0);
  }

  static String msg(String id, String account, String ts, String text, String quoteOf) {
    return "{" + (id == null ? "\"message_id\":null" : "\"message_id\":\"" + id + "\"") + ",\"account_id\":\"" + account
        + "\",\"created_at\":\"" + ts + "\",\"text\":" + json(text) + ",\"lang\":\"en\""
        + (quoteOf == null ? "" : ",\"quote_of\":\"" + quoteOf + "\"") + "}";
  }

  static String withUrls(String msg, String... urls) {
    return msg.substring(0, msg.length() - 1) + ",\"urls\":[" + String.join(",",
        java.util.Arrays.stream(urls).map(NightlyJobTest::json).toList()) + "]}";
  }

  static String acct(String id, String created) {
    return "{\"account_id\":\"" + id + "\",\"handle\":\"" + id + "_h\",\"display_name\":\"" + id
        + "\",\"description\":\"\",\"created_at\":\"" + created + "\",\"followers\":10,\"following\":5,"
        + "\"verified\":false}";
  }

  static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String word(int i) {
    String[] w = {"coffee", "music", "football", "weather", "garden", "cinema", "travel", "books", "market",
        "school", "river", "pizza", "concert", "mountain", "museum", "bicycle", "kitchen", "harbour", "festival"};
    return w[Math.floorMod(i, w.length)] + i;
  }

  static void write(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
