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
    List<String> e = Banding.candidateEdges(keys, 3).orderBy("src", "dst").collectAsList().stream()
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
    List<Row> edges = Banding.candidateEdges(keys, 4).collectAsList();
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

  private static List<String> edgesOf(long[][] sortedRows, int cap) {
    List<scala.Tuple2<Long, Long>> in = java.util.Arrays.stream(sortedRows)
        .map(x -> new scala.Tuple2<>(x[0], x[1])).toList();
    List<String> out = new java.util.ArrayList<>();
    new BucketEdges(in.iterator(), cap).forEachRemaining(t -> out.add(t.toString()));
    java.util.Collections.sort(out);
    return out;
  }

  @Test
  void bandKeysAreShuffledOnceForPairsAndStars() {
    Dataset<Row> keys = df(spark, "doc_id bigint, band_key bigint", r(2L, 1L), r(1L, 1L));
    String plan = Banding.candidateEdges(keys, 3).queryExecution().executedPlan().toString();
    long byBand = plan.lines().filter(l -> l.contains("Exchange hashpartitioning(band_key")).count();
    assertEquals(1, byBand, "one shuffle by band key feeds both kinds of edges:\n" + plan);
  }

  @Test
  void exactVerificationKeepsOnlyPairsAtTheThreshold() {
    // identical signatures (an estimate of 1.0 would pass both) but shingle sets with exact Jaccard 2/4 and 1/5
    Dataset<Row> signed = df(spark, "doc_id bigint, sig array<int>, sh array<bigint>",
        r(1L, new int[] {1, 2}, new long[] {1, 2, 3}), r(2L, new int[] {1, 2}, new long[] {2, 3, 4}),
        r(3L, new int[] {1, 2}, new long[] {3, 7, 8}));
    Dataset<Row> edges = df(spark, "src bigint, dst bigint", r(2L, 1L), r(3L, 1L));
    List<Row> kept = Banding.verifyExact(edges, signed, 0.5).collectAsList();
    assertEquals(1, kept.size(), "only the pair at exact Jaccard 0.5 stays: " + kept);
    assertEquals(0.5, kept.get(0).getDouble(2), 1e-9);
  }

  @Test
  void signaturesPartitionedByDocIdAreNotShuffledAgainByVerification() {
    String broadcast = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    try {
      // As the nightly job keeps them: hash-partitioned by doc_id, sorted, lineage cut.
      Dataset<Row> signed = Banding.keepPartitioned(df(spark, "doc_id bigint, sig array<int>, sh array<bigint>",
          r(1L, new int[] {1}, new long[] {1, 2}), r(2L, new int[] {1}, new long[] {1, 2})),
          org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> edges = df(spark, "src bigint, dst bigint", r(2L, 1L));
      Dataset<Row> kept = Banding.verifyExact(edges, signed, 0.5);
      String plan = kept.queryExecution().executedPlan().toString();
      long exchanges = plan.lines().filter(l -> l.contains("Exchange hashpartitioning")).count();
      assertEquals(2, exchanges, "only the edges are shuffled (by src, then by dst):\n" + plan);
      assertEquals(1, kept.count(), "identical shingle sets are kept");
    } finally {
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", broadcast);
    }
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
