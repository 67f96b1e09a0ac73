package nightwatch.stages.cluster;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ClusterStatsTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);
  static final String CLUSTERED = "cluster_id string, component bigint, message_id string, account_id string, doc_id bigint, "
      + "created_at timestamp, text string, lang string, hashtags array<string>, domains array<string>";

  @Test
  void spreadContentAndAccountShares() {
    Dataset<Row> clustered = df(spark, CLUSTERED,
        r("c1", 1L, "m1", "a1", 1L, ts("2024-05-01T10:00:10Z"), "First text #x", "en", List.of("x"), List.of("e.com")),
        r("c1", 1L, "m2", "a2", 1L, ts("2024-05-01T10:00:20Z"), "Copy #x", "en", List.of("x"), List.of()),
        r("c1", 1L, "m3", "a3", 2L, ts("2024-05-01T10:00:50Z"), "Copy 2 #y", null, List.of("y", "x"), List.of()),
        r("c1", 1L, "m4", "a3", 2L, ts("2024-05-01T10:00:55Z"), "Copy 3", "fr", List.of(), List.of()),
        r("c1", 1L, "m5", "a4", 1L, ts("2024-05-01T10:30:00Z"), "Late", "en", List.of(), List.of()),
        r("c1", 1L, "m6", "a5", 1L, ts("2024-05-01T12:00:00Z"), "Later", "en", List.of(), List.of()));
    Dataset<Row> accounts = df(spark, "account_id string, created_at timestamp",
        r("a1", ts("2024-04-25T00:00:00Z")), r("a2", ts("2020-01-01T00:00:00Z")), r("a3", ts("2024-04-30T00:00:00Z")),
        r("a4", ts("2019-01-01T00:00:00Z")), r("a5", ts("2019-01-01T00:00:00Z")));
    Dataset<Row> suspensions = df(spark, "account_id string, reinstated_at timestamp",
        r("a4", null), r("a5", ts("2024-01-01T00:00:00Z")));
    Row s = ClusterStats.compute(clustered, accounts, suspensions, DS, 30, 60, 3600, 3600).first();
    assertEquals(6L, s.<Long>getAs("messages"), "messages");
    assertEquals(5L, s.<Long>getAs("distinct_accounts"), "distinct accounts");
    assertEquals(2L, s.<Long>getAs("distinct_texts"), "distinct texts");
    assertEquals(ts("2024-05-01T10:00:10Z"), s.getAs("first_seen"), "first_seen");
    assertEquals(ts("2024-05-01T12:00:00Z"), s.getAs("last_seen"), "last_seen");
    assertEquals(3L, s.<Long>getAs("max_accounts_60s"), "a1,a2,a3 post inside the minute 10:00");
    assertEquals(4L, s.<Long>getAs("max_accounts_1h"), "a1..a4 post inside the hour 10:00");
    assertEquals(0.4, s.<Double>getAs("young_account_share"), 1e-9, "a1 and a3 of 5 are younger than 30 days");
    assertEquals(0.2, s.<Double>getAs("suspended_account_share"), 1e-9, "a4 suspended, a5 reinstated");
    assertEquals(2L, s.<Long>getAs("max_accounts_created_together"), "a4 and a5 were created at the same second");
    assertEquals("First text #x", s.getAs("representative_text"), "earliest message's text");
    assertEquals(List.of("en", "fr", "und"), s.getList(s.fieldIndex("languages")), "most frequent first, null -> und");
    assertEquals(List.of("x", "y"), s.getList(s.fieldIndex("top_hashtags")), "x (3) before y (1)");
    assertEquals(List.of("e.com"), s.getList(s.fieldIndex("top_domains")), "domains");
  }

  @Test
  void windowsAreTumblingMinutes() {
    // Documented behaviour: fixed (tumbling) windows, so a burst straddling a minute boundary is split.
    Dataset<Row> clustered = df(spark, CLUSTERED,
        r("c2", 2L, "m1", "a1", 1L, ts("2024-05-01T10:00:58Z"), "t", "en", List.of(), List.of()),
        r("c2", 2L, "m2", "a2", 1L, ts("2024-05-01T10:00:59Z"), "t", "en", List.of(), List.of()),
        r("c2", 2L, "m3", "a3", 1L, ts("2024-05-01T10:01:01Z"), "t", "en", List.of(), List.of()));
    Dataset<Row> accounts = df(spark, "account_id string, created_at timestamp");
    Dataset<Row> suspensions = df(spark, "account_id string, reinstated_at timestamp");
    Row s = ClusterStats.compute(clustered, accounts, suspensions, DS, 30, 60, 3600, 3600).first();
    assertEquals(2L, s.<Long>getAs("max_accounts_60s"), "10:00:58/59 in one minute, 10:01:01 in the next");
    assertEquals(0.0, s.<Double>getAs("young_account_share"), 1e-9, "unknown accounts do not count as young");
    assertEquals(null, s.<Object>getAs("top_hashtags"), "no hashtag in the cluster: null, not an empty list");
    assertEquals(null, s.<Object>getAs("top_domains"), "no link in the cluster");
  }

  @Test
  void accountsCreatedTogetherUseASlidingWindowPerCluster() {
    Dataset<Row> clustered = df(spark, CLUSTERED,
        r("c3", 3L, "m1", "b1", 1L, ts("2024-05-01T10:00:00Z"), "t", "en", List.of(), List.of()),
        r("c3", 3L, "m2", "b2", 1L, ts("2024-05-01T10:00:01Z"), "t", "en", List.of(), List.of()),
        r("c3", 3L, "m3", "b2", 1L, ts("2024-05-01T10:00:02Z"), "t", "en", List.of(), List.of()),
        r("c3", 3L, "m4", "b3", 1L, ts("2024-05-01T10:00:03Z"), "t", "en", List.of(), List.of()),
        r("c3", 3L, "m5", "b4", 1L, ts("2024-05-01T10:00:04Z"), "t", "en", List.of(), List.of()),
        r("c3", 3L, "m6", "b5", 1L, ts("2024-05-01T10:00:05Z"), "t", "en", List.of(), List.of()),
        r("c3", 3L, "m7", "b6", 1L, ts("2024-05-01T10:00:06Z"), "t", "en", List.of(), List.of()),
        r("c4", 4L, "m8", "b1", 1L, ts("2024-05-01T10:00:07Z"), "t", "en", List.of(), List.of()),
        r("c4", 4L, "m9", "b7", 1L, ts("2024-05-01T10:00:08Z"), "t", "en", List.of(), List.of()));
    // b1 at 10:00; b2 at 10:30; b3 at 10:59:59; b4 at 11:00:00 (one full hour after b1: outside its window);
    // b5 at 11:20; b6 unknown. From b2: b2, b3, b4, b5 fall in [10:30, 11:30).
    Dataset<Row> accounts = df(spark, "account_id string, created_at timestamp",
        r("b1", ts("2023-03-01T10:00:00Z")), r("b2", ts("2023-03-01T10:30:00Z")), r("b3", ts("2023-03-01T10:59:59Z")),
        r("b4", ts("2023-03-01T11:00:00Z")), r("b5", ts("2023-03-01T11:20:00Z")), r("b7", ts("2023-03-01T12:00:00Z")));
    Dataset<Row> suspensions = df(spark, "account_id string, reinstated_at timestamp");
    java.util.Map<String, Long> together = new java.util.TreeMap<>();
    for (Row s : ClusterStats.compute(clustered, accounts, suspensions, DS, 30, 60, 3600, 3600).collectAsList()) {
      together.put(s.getAs("cluster_id"), s.getAs("max_accounts_created_together"));
    }
    assertEquals(java.util.Map.of("c3", 4L, "c4", 1L), together,
        "c3: b2..b5 within an hour of b2, the same account counted once, b6 unknown; c4: b1 and b7 two hours apart");
  }

  @Test
  void eachComponentIsWalkedOnItsOwnRows() {
    String emoji = "\uD83D\uDE00"; // U+1F600, two UTF-16 units
    String fullwidthA = "\uFF21"; // U+FF21: before the emoji by code point, after it in UTF-16 order
    String longText = emoji.repeat(300);
    // Two components, their rows interleaved (one shuffle partition holds both).
    Dataset<Row> clustered = df(spark, CLUSTERED,
        r("c5", 5L, "m9", "a1", 1L, ts("2024-05-01T10:00:00Z"), "nine", "en", List.of("z", "b"), List.of()),
        r("c6", 6L, "x1", "b1", 7L, ts("2024-05-01T09:00:00Z"), longText, "ar", List.of(), List.of("e.com")),
        r("c5", 5L, "m10", "a1", 2L, ts("2024-05-01T10:00:00Z"), "ten", "en",
            List.of("z", "a", "\u00e9", fullwidthA, emoji), List.of()),
        r("c6", 6L, "x2", "b2", 7L, ts("2024-05-01T09:00:30Z"), "later", "ar", List.of(), List.of("e.com", "f.org")),
        r("c5", 5L, "m11", "a2", 2L, ts("2024-05-01T10:00:59Z"), "eleven", "fr", List.of(), List.of()),
        r("c5", 5L, "m12", "a3", 3L, ts("2024-05-01T10:01:00Z"), "twelve", "fr", List.of(), List.of()));
    Dataset<Row> accounts = df(spark, "account_id string, created_at timestamp");
    Dataset<Row> suspensions = df(spark, "account_id string, reinstated_at timestamp");
    java.util.Map<String, Row> by = new java.util.TreeMap<>();
    for (Row s : ClusterStats.compute(clustered, accounts, suspensions, DS, 30, 60, 3600, 3600).collectAsList()) {
      by.put(s.getAs("cluster_id"), s);
    }
    Row c5 = by.get("c5");
    assertEquals(4L, c5.<Long>getAs("messages"), "c5 messages");
    assertEquals(3L, c5.<Long>getAs("distinct_texts"), "doc ids 1, 2, 3");
    assertEquals(3L, c5.<Long>getAs("distinct_accounts"), "a1, a2, a3");
    assertEquals("ten", c5.getAs("representative_text"), "same time: the smaller message id, m10 < m9");
    assertEquals(2L, c5.<Long>getAs("max_accounts_60s"), "a1 twice and a2 in 10:00, a3 in 10:01");
    assertEquals(3L, c5.<Long>getAs("max_accounts_1h"), "all in hour 10");
    assertEquals(ts("2024-05-01T10:01:00Z"), c5.getAs("last_seen"), "last_seen");
    assertEquals(List.of("en", "fr"), c5.getList(c5.fieldIndex("languages")), "2 each: by item");
    assertEquals(List.of("z", "a", "b", "\u00e9", fullwidthA), c5.getList(c5.fieldIndex("top_hashtags")),
        "z twice, then ties by code point (U+FF21 before U+1F600), five at most");
    assertEquals(null, c5.<Object>getAs("top_domains"), "no link");
    Row c6 = by.get("c6");
    assertEquals(2L, c6.<Long>getAs("messages"), "c6 messages");
    assertEquals(1L, c6.<Long>getAs("distinct_texts"), "one text");
    assertEquals(emoji.repeat(ClusterStats.REPRESENTATIVE_CHARS), c6.getAs("representative_text"),
        "cut at 280 characters, not 280 UTF-16 units");
    assertEquals(List.of("e.com", "f.org"), c6.getList(c6.fieldIndex("top_domains")), "e.com twice");
    assertEquals(null, c6.<Object>getAs("top_hashtags"), "no hashtag");
  }

  @Test
  void theWalkGivesEachComponentItsRowAsSoonAsItEnds() throws Exception {
    // The walk's input: component, cluster_id, doc_id, account hash, time (microseconds), message_id, text, lang,
    // hashtags, domains; sorted by component, as the shuffle gives it.
    // Arrays as Spark gives a Row's arrays: Scala sequences.
    java.util.function.Function<List<String>, Object> seq =
        l -> scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq();
    List<Row> in = List.of(
        RowFactory.create(1L, "c1", 10L, 100L, 60_000_000L, "m1", "a", "en", seq.apply(List.of("x")), null),
        RowFactory.create(1L, "c1", 10L, 101L, 61_000_000L, "m2", "a", "en", seq.apply(List.of()),
            seq.apply(List.of())),
        RowFactory.create(2L, "c2", 20L, 100L, null, "m3", "b", "und", null, null),
        RowFactory.create(3L, "c3", 30L, 102L, 0L, "m4", "c", "fr", null, seq.apply(List.of("e.com"))));
    Iterator<Row> out = new ClusterStats.Content(60, 3600).call(in.iterator());
    List<String> got = new java.util.ArrayList<>();
    out.forEachRemaining(r -> got.add(r.getString(1) + ":" + r.getLong(2) + ":" + r.get(4) + ":" + r.getLong(7)
        + ":" + r.get(10)));
    assertEquals(List.of("c1:2:60000000:2:List(x)", "c2:1:null:1:null", "c3:1:0:1:null"), got,
        "one row per component in order; a row without a time is its own window; no hashtag gives null");
  }
}
