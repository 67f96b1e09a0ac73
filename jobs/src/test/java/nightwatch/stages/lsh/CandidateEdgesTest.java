package nightwatch.stages.lsh;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CandidateEdgesTest extends SparkTest {
  @Test
  void smallBucketsGiveAllPairsOversizedBucketsStarEdges() {
    Dataset<Row> keys = df(spark, "doc_id bigint, band_key bigint",
        r(5L, 100L), r(3L, 100L), r(9L, 100L),                        // size 3 <= cap: all 3 pairs
        r(14L, 200L), r(12L, 200L), r(11L, 200L), r(13L, 200L), r(10L, 200L), // size 5 > cap: 4 star edges
        r(7L, 300L));                                                  // singleton: nothing
    List<String> e = Banding.candidateEdges(perDoc(keys), 3).orderBy("src", "dst").collectAsList().stream()
        .map(Row::toString).toList();
    assertEquals(List.of("[5,3]", "[9,3]", "[9,5]", "[11,10]", "[12,10]", "[13,10]", "[14,10]"), e,
        "pairs inside a small bucket (larger id first), k-1 star edges to the smallest member of a large one");
  }

  @Test
  void edgesAreTheBruteForceEdgesOfEveryBucketWhateverTheRowOrder() {
    // Buckets of 1 to about 12 rows around a cap of 4, doc ids in random order and sometimes listed twice.
    java.util.Random rnd = new java.util.Random(11);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(org.apache.spark.sql.RowFactory.create((long) rnd.nextInt(900), (long) rnd.nextInt(500)));
    }
    java.util.Map<Long, java.util.List<Long>> buckets = new java.util.HashMap<>();
    rows.forEach(x -> buckets.computeIfAbsent(x.getLong(1), k -> new java.util.ArrayList<>()).add(x.getLong(0)));
    java.util.Set<String> expected = new java.util.TreeSet<>();
    for (List<Long> m : buckets.values()) {
      long root = java.util.Collections.min(m);
      for (long a : m) {
        for (long b : m) {
          if (m.size() <= 4 ? a > b : a != root && b == root) {
            expected.add(a + "->" + b);
          }
        }
      }
    }
    Dataset<Row> keys = spark.createDataFrame(rows, org.apache.spark.sql.types.StructType.fromDDL(
        "doc_id bigint, band_key bigint")).repartition(7);
    java.util.Set<String> got = new java.util.TreeSet<>();
    List<Row> edges = Banding.candidateEdges(perDoc(keys), 4).collectAsList();
    edges.forEach(e -> got.add(e.getLong(0) + "->" + e.getLong(1)));
    assertEquals(expected, got);
    assertEquals(expected.size(), edges.size(), "each edge once");
    assertTrue(expected.size() > 1000, "buckets of both kinds: " + expected.size());
  }

  @Test
  void aBucketAtTheCapGivesPairsOneAboveItStars() {
    List<String> atCap = edgesOf(new long[][] {{1, 7}, {1, 5}, {1, 6}}, 3);
    assertEquals(List.of("(6,5)", "(7,5)", "(7,6)"), atCap);
    List<String> above = edgesOf(new long[][] {{1, 7}, {1, 5}, {1, 6}, {1, 8}}, 3);
    assertEquals(List.of("(6,5)", "(7,5)", "(8,5)"), above);
    List<String> twoBuckets = edgesOf(new long[][] {{1, 2}, {1, 1}, {2, 1}, {3, 9}, {3, 4}, {3, 4}}, 3);
    assertEquals(List.of("(2,1)", "(9,4)", "(9,4)"), twoBuckets, "a doc listed twice pairs with the others twice");
  }

  @Test
  void keysThatShareOnlyTheirHighBitsAreSeparateBuckets() {
    long a = 0x0000000100000001L;
    long b = 0x0000000100000002L; // the high 32 bits of a, by which rows are sorted
    List<String> e = edgesOf(new long[][] {{a, 4}, {b, 3}, {a, 2}, {b, 1}, {b, 5}, {a, 6}, {0x0000000200000001L, 7}}, 3);
    assertEquals(List.of("(3,1)", "(4,2)", "(5,1)", "(5,3)", "(6,2)", "(6,4)"), e,
        "two buckets of 3 at the cap (all pairs in each), not one of 6 (stars)");
  }

  /** The rows {key, doc} as one partition's parallel arrays, through {@link BucketEdges}; edges sorted. */
  private static List<String> edgesOf(long[][] rows, int cap) {
    long[] keys = java.util.Arrays.stream(rows).mapToLong(x -> x[0]).toArray();
    long[] docs = java.util.Arrays.stream(rows).mapToLong(x -> x[1]).toArray();
    List<String> out = new java.util.ArrayList<>();
    new BucketEdges(keys, docs, cap).forEachRemaining(t -> out.add(t.toString()));
    java.util.Collections.sort(out);
    return out;
  }

  /** Band key rows ({@code doc_id}, {@code band_key}) as each text's key array, the input of candidateEdges. */
  private static Dataset<Row> perDoc(Dataset<Row> keys) {
    return keys.groupBy("doc_id").agg(org.apache.spark.sql.functions.collect_list("band_key").as("band_keys"));
  }

  @Test
  void exactVerificationKeepsOnlyPairsAtTheThreshold() {
    // identical signatures (an estimate of 1.0 would pass both) but shingle sets with exact Jaccard 2/4 and 1/5
    Dataset<Row> signed = df(spark, "doc_id bigint, sig array<int>, sh array<int>",
        r(1L, new int[] {1, 2}, new int[] {1, 2, 3}), r(2L, new int[] {1, 2}, new int[] {2, 3, 4}),
        r(3L, new int[] {1, 2}, new int[] {3, 7, 8}));
    Dataset<Row> edges = df(spark, "src bigint, dst bigint", r(2L, 1L), r(3L, 1L));
    List<Row> kept = Banding.verifyExact(edges, signed, 0.5).collectAsList();
    assertEquals(1, kept.size(), "only the pair at exact Jaccard 0.5 stays: " + kept);
    assertEquals(0.5, kept.get(0).getDouble(2), 1e-9);
  }

  @Test
  void signaturesPartitionedByDocIdAreNotShuffledAgainByVerification() {
    withoutBroadcastJoins(() -> {
      // As the nightly job keeps them: hash-partitioned by doc_id, sorted, lineage cut.
      Dataset<Row> signed = Banding.keepPartitioned(df(spark, "doc_id bigint, sig array<int>, sh array<int>",
          r(1L, new int[] {1}, new int[] {1, 2}), r(2L, new int[] {1}, new int[] {1, 2})), LEVEL);
      Dataset<Row> edges = df(spark, "src bigint, dst bigint", r(2L, 1L));
      Dataset<Row> kept = Banding.verifyExact(edges, signed, 0.5);
      assertEquals(2, exchanges(kept).size(), "only the edges are shuffled (by src, then by dst):\n" + plan(kept));
      assertEquals(1, kept.count(), "identical shingle sets are kept");
    });
  }

  @Test
  void candidateEdgesKeptBySrcMeetTheKeptSignaturesWithoutAShuffle() {
    withoutBroadcastJoins(() -> {
      // As the nightly job keeps both: signatures by doc_id, candidate edges by src.
      Dataset<Row> signed = Banding.keepPartitioned(df(spark, "doc_id bigint, sig array<int>, sh array<int>",
          r(1L, new int[] {1}, new int[] {1, 2}), r(2L, new int[] {1}, new int[] {1, 2}),
          r(3L, new int[] {1}, new int[] {1, 2}), r(4L, new int[] {1}, new int[] {8, 9})), LEVEL);
      // Texts 1-3 share two bands and 4 shares one with 3: the pair (2,1) comes from both bands, once.
      Dataset<Row> keys = df(spark, "doc_id bigint, band_key bigint",
          r(1L, 10L), r(2L, 10L), r(3L, 10L), r(1L, 20L), r(2L, 20L), r(3L, 30L), r(4L, 30L));
      Dataset<Row> edges = Banding.keepSorted(Banding.candidateEdges(perDoc(keys), 50), "src", LEVEL);
      assertEquals(List.of("[2,1]", "[3,1]", "[3,2]", "[4,3]"),
          edges.orderBy("src", "dst").collectAsList().stream().map(Row::toString).toList(), "each edge once");
      Dataset<Row> kept = Banding.verifyExact(edges, signed, 0.5);
      List<String> exchanges = exchanges(kept);
      assertEquals(1, exchanges.size(), "only the first join's output is shuffled (by dst):\n" + plan(kept));
      assertTrue(exchanges.get(0).contains("hashpartitioning(dst"), "the one shuffle is by dst:\n" + plan(kept));
      assertEquals(List.of("[2,1,1.0]", "[3,1,1.0]", "[3,2,1.0]"),
          kept.orderBy("src", "dst").collectAsList().stream().map(Row::toString).toList());
    });
  }

  private static final org.apache.spark.storage.StorageLevel LEVEL =
      org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK();

  /** Runs {@code body} with broadcast joins off, so tiny fixtures are joined as a large day's data is. */
  private static void withoutBroadcastJoins(Runnable body) {
    String broadcast = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    try {
      body.run();
    } finally {
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", broadcast);
    }
  }

  private static String plan(Dataset<Row> d) {
    return d.queryExecution().executedPlan().toString();
  }

  /** The plan's hash shuffles, one line each. */
  private static List<String> exchanges(Dataset<Row> d) {
    return plan(d).lines().filter(l -> l.contains("Exchange hashpartitioning")).toList();
  }

  @Test
  void weightedChoiceBuysRecallAtTheThreshold() {
    LshParams p = LshParams.choose(0.5, 64, 4.0);
    assertEquals(17, p.bands());
    assertEquals(3, p.rows());
    assertTrue(p.probabilityAtThreshold() > 0.89, "P(0.5) = " + p.probabilityAtThreshold());
    assertTrue(p.toString().contains("P(threshold)=0.897"), p.toString());
  }
}
