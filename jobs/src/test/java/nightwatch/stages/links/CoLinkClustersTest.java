package nightwatch.stages.links;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CoLinkClustersTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);
  static final String MESSAGES = "message_id string, account_id string, created_at timestamp, text string, "
      + "urls array<string>";

  private static Object[] m(String id, String account, String at, String... urls) {
    return r(id, account, ts("2024-05-01T" + at + "Z"), "text of " + id, urls.length == 0 ? null : List.of(urls));
  }

  @Test
  void sharesAreCanonicalAndOncePerMessageAndLink() {
    Dataset<Row> messages = df(spark, MESSAGES,
        m("m1", "a1", "10:00:00", "https://www.files.org/x/?utm_source=a", "http://files.org/x"),
        m("m2", "a2", "10:00:05", "https://other.org/y"),
        m("m3", "a3", "10:00:09"));
    Map<String, String> shares = new TreeMap<>();
    for (Row x : CoLinkClusters.shares(messages).collectAsList()) {
      shares.put(x.getAs("message_id"), x.getAs("link"));
    }
    assertEquals(Map.of("m1", "files.org/x", "m2", "other.org/y"), shares);
  }

  @Test
  void intervalIsTheQuantileOfTheTimesToPassTheShareOfEachLinksSharesWithinBounds() {
    // Links L1..L4 shared 4 times each; the first share past half of them (the 3rd) comes 2, 4, 40, 400 s after the
    // first. Quantile 1.0 takes all links: their median (at quantile 0.5) is 4 (the approximate percentile is exact on
    // so few values). A link shared once (L5) does not count.
    String[][] times = {{"0", "1", "2", "3"}, {"0", "2", "4", "6"}, {"0", "20", "40", "60"}, {"0", "200", "400", "600"}};
    java.util.List<Object[]> rows = new java.util.ArrayList<>();
    for (int l = 0; l < times.length; l++) {
      for (int i = 0; i < 4; i++) {
        rows.add(r("m" + l + i, "a" + i, 36_000L + Long.parseLong(times[l][i]), "L" + l));
      }
    }
    rows.add(r("m5", "a9", 36_000L, "L5"));
    Dataset<Row> shares = df(spark, "message_id string, account_id string, t bigint, link string",
        rows.toArray(new Object[0][]));
    assertEquals(4L, CoLinkClusters.intervalSeconds(shares, new NightwatchConfig.Links(4, 1.0, 0.5, 1, 3600)));
    assertEquals(10L, CoLinkClusters.intervalSeconds(shares, new NightwatchConfig.Links(4, 1.0, 0.5, 10, 3600)),
        "held at the lower bound");
    assertEquals(3L, CoLinkClusters.intervalSeconds(shares, new NightwatchConfig.Links(4, 1.0, 0.5, 1, 3)),
        "held at the upper bound");
    assertEquals(7L, CoLinkClusters.intervalSeconds(shares.filter(col("link").equalTo("L5")),
        new NightwatchConfig.Links(4, 1.0, 0.5, 7, 3600)), "no link shared twice: the lower bound");
  }

  @Test
  void aLinkIsCoordinatedWhenEnoughAccountsFirstShareItWithinOneInterval() {
    Dataset<Row> messages = df(spark, MESSAGES,
        // burst: four accounts within 50 s (a1 twice, counted once), then a late fifth
        m("b1", "a1", "10:00:00", "https://files.org/burst"), m("b2", "a2", "10:00:20", "https://files.org/burst"),
        m("b3", "a3", "10:00:40", "http://www.files.org/burst/"), m("b4", "a1", "10:00:45", "https://files.org/burst"),
        m("b5", "a4", "10:00:50", "https://files.org/burst"), m("b6", "a5", "18:00:00", "https://files.org/burst"),
        // spread: five accounts an hour apart
        m("s1", "a1", "01:00:00", "https://news.org/story"), m("s2", "a2", "02:00:00", "https://news.org/story"),
        m("s3", "a3", "03:00:00", "https://news.org/story"), m("s4", "a4", "04:00:00", "https://news.org/story"),
        m("s5", "a5", "05:00:00", "https://news.org/story"),
        // three accounts at once: under min-accounts
        m("t1", "a1", "12:00:00", "https://paste.org/3"), m("t2", "a2", "12:00:01", "https://paste.org/3"),
        m("t3", "a3", "12:00:02", "https://paste.org/3"));
    Dataset<Row> shares = CoLinkClusters.shares(messages);
    Dataset<Row> coordinated = CoLinkClusters.coordinated(shares, 60, 4);
    List<Row> c = coordinated.collectAsList();
    assertEquals(1, c.size());
    assertEquals("files.org/burst", c.get(0).getAs("link"));
    assertEquals(4L, c.get(0).<Long>getAs("coordinated_accounts"));
    assertEquals(6L, c.get(0).<Long>getAs("shares"));

    List<Row> clustered = CoLinkClusters.assign(messages, shares, coordinated, DS, true).orderBy("message_id")
        .collectAsList();
    assertEquals(List.of("b1", "b2", "b3", "b4", "b5", "b6"),
        clustered.stream().map(x -> x.<String>getAs("message_id")).toList(), "every message of the day's link");
    for (Row x : clustered) {
      assertEquals("link", x.getAs("kind"));
      assertEquals("files.org/burst", x.getAs("link"));
      assertEquals(clustered.get(0).<String>getAs("cluster_id"), x.getAs("cluster_id"));
      assertTrue(x.<String>getAs("cluster_id").startsWith("20240501-"), x.<String>getAs("cluster_id"));
      assertEquals("text of " + x.getAs("message_id"), x.getAs("text"), "the message's own columns");
    }
  }
}
