package nightwatch.stages.media;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.stages.graph.ConnectedComponents;
import nightwatch.stages.known.KnownMediaMatcher;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

public class MediaClustersTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);
  static final String MESSAGES = "message_id string, account_id string, created_at timestamp, text string, "
      + "media array<struct<kind:string,md5:string,pdq:string>>";

  /** A random 256-bit hash as hex. */
  public static String pdq(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      b.append(Character.forDigit(rng.nextInt(16), 16));
    }
    return b.toString();
  }

  /** {@code hex} with {@code n} distinct bits flipped (drawn with {@code seed}). */
  public static String flip(String hex, int n, long seed) {
    char[] c = hex.toCharArray();
    new SplittableRandom(seed).ints(0, 256).distinct().limit(n).forEach(bit -> {
      int d = Character.digit(c[bit / 4], 16) ^ (1 << (3 - bit % 4));
      c[bit / 4] = Character.forDigit(d, 16);
    });
    return new String(c);
  }

  private static Object[] m(String id, String account, String pdq, String md5) {
    return r(id, account, ts("2024-05-01T10:00:00Z"), "look " + id,
        List.of(RowFactory.create("image", md5, pdq)));
  }

  private static int distance(String a, String b) {
    Row x = df(spark, "a string, b string", r(a, b))
        .select(PdqBands.distance(PdqBands.words(col("a")), PdqBands.words(col("b")))).first();
    return x.getInt(0);
  }

  @Test
  void distanceIsTheNumberOfDifferingBits() {
    String a = pdq(1);
    assertEquals(0, distance(a, a));
    assertEquals(7, distance(a, flip(a, 7, 3)));
    assertEquals(31, distance(a, flip(a, 31, 4)));
    assertEquals(31, distance(a.toUpperCase(), flip(a, 31, 4)), "case does not matter");
  }

  @Test
  void nearIdenticalImagesClusterAndUnrelatedOnesDoNot() {
    String image = pdq(7);
    String other = pdq(8);
    String md5 = "0123456789abcdef0123456789abcdef";
    Dataset<Row> messages = df(spark, MESSAGES,
        m("a1", "u1", image, null), m("a2", "u2", flip(image, 5, 1), null), m("a3", "u3", flip(image, 12, 2), null),
        m("a4", "u4", flip(image, 25, 3), null), m("a5", "u4", image, null),
        m("b1", "u5", other, null), m("b2", "u6", flip(other, 90, 5), null),
        m("c1", "u1", null, md5), m("c2", "u2", null, md5), m("c3", "u3", null, md5), m("c4", "u4", null, md5),
        m("d1", "u5", pdq(9), null));
    Dataset<Row> items = MediaClusters.items(messages).cache();
    Dataset<Row> hashes = MediaClusters.hashes(items, 64, 24);
    Dataset<Row> edges = MediaClusters.edges(hashes, 31);
    Dataset<Row> comps = ConnectedComponents.run(edges, 10, edges.count()).components();
    Map<String, Long> componentOf = new TreeMap<>();
    for (Row x : MediaClusters.members(items, comps, 4).collectAsList()) {
      componentOf.put(x.getAs("message_id"), x.getAs("component"));
    }
    assertEquals(List.of("a1", "a2", "a3", "a4", "a5", "c1", "c2", "c3", "c4"), List.copyOf(componentOf.keySet()),
        "four accounts each: the image's variants (a), the same file (c); not b (90 bits apart) nor d (alone)");
    for (String id : List.of("a2", "a3", "a4", "a5")) {
      assertEquals(componentOf.get("a1"), componentOf.get(id), id);
    }
    assertEquals(componentOf.get("c1"), componentOf.get("c4"));

    Dataset<Row> assigned = MediaClusters.assign(messages, MediaClusters.members(items, comps, 4), DS, true);
    assertEquals(9L, assigned.filter(col("kind").equalTo("media")).count());
    assertEquals(1L, assigned.filter(col("message_id").equalTo("c1")).select("media_hash").distinct()
        .filter(col("media_hash").equalTo(md5)).count(), "an md5-only cluster is named by its md5");
  }

  @Test
  void knownMediaMatchesByMd5AndByNearPdq() {
    String image = pdq(21);
    Dataset<Row> items = df(spark, "cluster_id string, pdq string, md5 string",
        r("k1", flip(image, 9, 1), null), r("k2", null, "ffffffffffffffffffffffffffffffff"), r("k3", pdq(22), null),
        r("k4", flip(image, 60, 2), null))
        .withColumn("words", PdqBands.words(col("pdq")))
        .withColumn("band_keys", PdqBands.bandKeys(PdqBands.bits(col("pdq")), 64, 24));
    Dataset<Row> known = df(spark, "hash string, kind string, label string",
        r(image.toUpperCase(), "pdq", "video still"), r("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "md5", "magazine"));
    Map<String, String> matched = new TreeMap<>();
    for (Row x : KnownMediaMatcher.match(items, known, 31, 64, 24).collectAsList()) {
      matched.put(x.getAs("cluster_id"), x.getAs("label"));
    }
    assertEquals(Map.of("k1", "video still", "k2", "magazine"), matched, "not k3 (unrelated) nor k4 (60 bits)");
  }
}
