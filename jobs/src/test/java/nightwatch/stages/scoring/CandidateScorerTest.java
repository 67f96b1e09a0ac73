package nightwatch.stages.scoring;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CandidateScorerTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);
  static final NightwatchConfig.Scoring S = NightwatchConfig.defaults().scoring();
  static final String COPY = "brothers rise up and join the caravan the hour of victory is near";

  static Object[] msg(String cluster, String id, String account, String time, String text, String quoteOf) {
    return r(cluster, id, account, ts("2024-05-01T" + time + "Z"), text, quoteOf, null);
  }

  private static Map<String, Row> cached;

  /** Computed once for the class: the fixture is the same for every test. */
  private static synchronized Map<String, Row> candidates() {
    if (cached == null) {
      cached = compute();
    }
    return cached;
  }

  private static Map<String, Row> compute() {
    // c1: a coordinated known-propaganda cluster (5 young accounts in one minute); c2: an unflagged cluster.
    Dataset<Row> stats = df(spark, ClusterScorerTest.STATS,
        r("c1", 5L, 5L, 5L, 1.0, 0.0, 1L), r("c2", 10L, 1L, 2L, 0.0, 0.0, 1L));
    Dataset<Row> clusters = ClusterScorer.score(stats,
        df(spark, "cluster_id string, ref_id string, label string", r("c1", "k1", "group-a")),
        df(spark, "cluster_id string, cluster_reports_weighted double"), S);
    Dataset<Row> clustered = df(spark, "cluster_id string, message_id string, account_id string, "
            + "created_at timestamp, text string, quote_of string, reply_to string",
        msg("c1", "m01", "p1", "10:00:00", COPY, null),
        msg("c1", "m02", "p1", "10:00:01", COPY, null),
        msg("c1", "m03", "p1", "10:00:02", COPY, null),
        msg("c1", "m04", "p2", "10:00:03", COPY, null),
        msg("c1", "m05", "news", "10:00:04", COPY, null),
        msg("c1", "m06", "cs", "10:00:05", "This is terrorist propaganda, report it: " + COPY, "m01"),
        // propaganda that itself says "lies": a plain copy, not a quote or reply of anything
        msg("c1", "m07", "liar", "10:00:06", "The western media lies! " + COPY, null),
        msg("c2", "m08", "q", "10:00:00", "nice weather today in the park with friends", null),
        // quotes with words of their own: one without a stance word, one with an Arabic clitic form of one
        msg("c1", "m09", "quoter", "10:00:07", "Look at what they post today: \"" + COPY + "\"", null),
        msg("c1", "m10", "quoter-ar", "10:00:08", "حساب يروج للإرهاب، الرجاء الإبلاغ عنه \"" + COPY + "\"", null),
        // an account a brigade reported, with one message of its own in the flagged cluster
        msg("c1", "m11", "target", "10:00:09", COPY, null));
    Dataset<Row> reports = df(spark, "account_id string, reports_raw bigint, reports_weighted double, "
            + "brigade_reports bigint",
        r("brig", 12L, 0.0, 12L), r("rep", 4L, 4.0, 0L), r("target", 12L, 0.0, 12L));
    Dataset<Row> accounts = df(spark, "account_id string, handle string, created_at timestamp",
        r("p1", "@p1", ts("2024-04-28T00:00:00Z")), r("p2", "@p2", ts("2020-01-01T00:00:00Z")),
        r("news", "@news", ts("2010-01-01T00:00:00Z")), r("cs", "@cs", ts("2015-01-01T00:00:00Z")),
        r("brig", "@brig", ts("2015-01-01T00:00:00Z")), r("rep", "@rep", ts("2015-01-01T00:00:00Z")));
    Dataset<Row> prot = df(spark, "account_id string, category string", r("news", "news"));
    Map<String, Row> m = new TreeMap<>();
    for (Row x : CandidateScorer.score(clustered, clusters, reports, accounts, prot, DS, S).collectAsList()) {
      m.put(x.getAs("account_id"), x);
    }
    return m;
  }

  @Test
  void coordinatedKnownClusterPutsPostersInTiers() {
    Map<String, Row> c = candidates();
    Row p1 = c.get("p1");
    assertEquals("T1", p1.getAs("tier"), "3 messages in a 0.97 cluster -> T1");
    assertEquals("candidate", p1.getAs("status"), "status");
    assertEquals("originator", p1.getAs("role"), "first poster is an originator");
    assertEquals(1, p1.<Integer>getAs("rank"), "highest score ranks first");
    assertEquals(3L, p1.<Long>getAs("flagged_messages"), "flagged messages");
    assertEquals(4, p1.<Integer>getAs("account_age_days"), "created 04-28, ds 05-01 -> 4 days");
    assertTrue(p1.getList(p1.fieldIndex("reasons"))
            .containsAll(java.util.List.of("KNOWN_PROPAGANDA", "FLAGGED_CLUSTER", "YOUNG_ACCOUNT")),
        "reasons: " + p1.getList(p1.fieldIndex("reasons")));
    assertEquals(java.util.List.of("k1"), p1.getList(p1.fieldIndex("known_refs")), "known refs");
    assertEquals(java.sql.Date.valueOf(DS), p1.getAs("ds"), "ds");

    Row p2 = c.get("p2");
    assertEquals("T2", p2.getAs("tier"), "one message in a 0.97 cluster -> 0.776 -> T2");
    assertEquals("amplifier", p2.getAs("role"), "4th poster is an amplifier");
    assertFalse(c.containsKey("q"), "accounts only in unflagged clusters are not candidates");
  }

  @Test
  void protectedAccountGetsProtectedReviewAndNoTier() {
    Row news = candidates().get("news");
    assertEquals("protected_review", news.getAs("status"), "protected account status");
    assertNull(news.getAs("tier"), "a protected account never gets a tier");
    assertTrue(news.getList(news.fieldIndex("reasons")).contains("PROTECTED_NEWS"), "reason names the category");
  }

  @Test
  void condemningQuoteIsCounterSpeech() {
    Row cs = candidates().get("cs");
    assertEquals("counter_speech", cs.getAs("status"), "a quote condemning propaganda is counter-speech");
    assertNull(cs.getAs("tier"), "counter-speech never gets a tier");
  }

  @Test
  void quotesWithOwnWordsAreNoClusterEvidence() {
    Map<String, Row> c = candidates();
    assertFalse(c.containsKey("quoter"), "a quote with words of its own is not its author's propaganda");
    Row ar = c.get("quoter-ar");
    assertEquals("counter_speech", ar.getAs("status"), "للإرهاب and الإبلاغ are stance words after analysis");
    assertEquals("quoter", ar.getAs("role"));
    assertTrue(ar.getList(ar.fieldIndex("reasons")).contains("QUOTES_ONLY"), "reasons: " + ar.getList(ar.fieldIndex("reasons")));
  }

  @Test
  void brigadeTargetNeedsMoreThanOneFlaggedMessage() {
    Row t = candidates().get("target");
    assertTrue(t == null || t.getAs("tier") == null, "one message in a flagged cluster and brigade reports: no tier");
  }

  @Test
  void propagandaThatSaysLiesIsNotCounterSpeech() {
    Row liar = candidates().get("liar");
    assertEquals("candidate", liar.getAs("status"),
        "a plain propaganda copy with a stance word (not quoting/replying) must stay a candidate");
    assertEquals("T2", liar.getAs("tier"), "one message in a 0.97 cluster -> T2");
  }

  @Test
  void reportsAloneBrigadeGetsNoTierCredibleReportsDo() {
    Map<String, Row> c = candidates();
    assertFalse(c.containsKey("brig") && c.get("brig").getAs("tier") != null,
        "a target of brigade reports only must not get a tier");
    assertFalse(c.containsKey("brig"), "and is not listed for review at all");
    Row rep = c.get("rep");
    assertEquals("T3", rep.getAs("tier"), "4 credible reports -> 0.8*0.6 = 0.48 -> T3");
    assertTrue(rep.getList(rep.fieldIndex("reasons")).contains("REPORTED_CREDIBLE"), "reason");
    assertNull(rep.getAs("role"), "no role without flagged messages");
  }

  /** A young account linked to a suspended one is listed with the link as evidence, even with no flagged post. */
  @Test
  void banEvasionLinkIsASignalWithItsEvidenceAndRetweetedAuthorsAreOriginators() {
    Dataset<Row> stats = df(spark, ClusterScorerTest.STATS, r("c1", 5L, 5L, 5L, 1.0, 0.0, 1L));
    Dataset<Row> clusters = ClusterScorer.score(stats,
        df(spark, "cluster_id string, ref_id string, label string", r("c1", "k1", "group-a")),
        df(spark, "cluster_id string, cluster_reports_weighted double"), S);
    String ddl = "cluster_id string, message_id string, account_id string, created_at timestamp, text string, "
        + "quote_of string, reply_to string, retweet_of string";
    Dataset<Row> clustered = df(spark, ddl,
        r("c1", "m1", "a1", ts("2024-05-01T10:00:00Z"), COPY, null, null, null),
        r("c1", "m2", "a2", ts("2024-05-01T10:00:01Z"), COPY, null, null, null),
        r("c1", "m3", "a3", ts("2024-05-01T10:00:02Z"), COPY, null, null, null),
        r("c1", "m4", "a4", ts("2024-05-01T10:00:03Z"), COPY, null, null, null),
        // a later burst seeded by a5 and retweeted by a6: a5 is an originator though 5th in the day
        r("c1", "m5", "a5", ts("2024-05-01T15:00:00Z"), COPY, null, null, null),
        r("c1", "m6", "a6", ts("2024-05-01T15:00:30Z"), COPY, null, null, "m5"));
    Dataset<Row> evasion = spark.createDataFrame(java.util.List.of(org.apache.spark.sql.RowFactory.create("ev",
            new scala.collection.mutable.ArraySeq.ofRef<>(new Object[] {org.apache.spark.sql.RowFactory.create("s1",
                "abu_omar_12", ts("2024-04-30T10:00:00Z"), 0.9, 1.0, 1.0, false, new String[0], 0.9)}), 0.9)),
        org.apache.spark.sql.types.StructType.fromDDL("account_id string, evasion_links array<"
            + nightwatch.stages.evasion.BanEvasionLinker.LINK_DDL + ">, evasion_score double"));
    Dataset<Row> accounts = df(spark, "account_id string, handle string, created_at timestamp",
        r("ev", "abu_omar_13", ts("2024-04-30T12:00:00Z")));
    Map<String, Row> c = new TreeMap<>();
    for (Row x : CandidateScorer.score(clustered, clusters, df(spark, "account_id string, reports_raw bigint, "
        + "reports_weighted double, brigade_reports bigint"), accounts, df(spark, "account_id string, category string"),
        evasion, DS, S).collectAsList()) {
      c.put(x.getAs("account_id"), x);
    }
    Row ev = c.get("ev");
    assertEquals(0.63, ev.<Double>getAs("score"), 1e-9, "0.9 x evasion score-weight 0.7");
    assertEquals("T2", ev.getAs("tier"));
    assertTrue(ev.getList(ev.fieldIndex("reasons")).contains("BAN_EVASION"), "reason code");
    Row link = (Row) ev.getList(ev.fieldIndex("evasion_links")).get(0);
    assertEquals("s1", link.getAs("suspended_account_id"), "the link is in the evidence");
    assertEquals("originator", c.get("a5").getAs("role"), "author of a retweeted message");
    assertEquals("amplifier", c.get("a4").getAs("role"), "4th poster, not retweeted");
    assertEquals("amplifier", c.get("a6").getAs("role"), "retweeter");
    assertEquals("originator", c.get("a1").getAs("role"), "first poster");
  }
}
