package nightwatch.stages.signature;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.TextPipeline;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class MinHashSignerTest extends SparkTest {

  private Map<Long, List<Integer>> sigs(Dataset<Row> texts) {
    Map<Long, List<Integer>> m = new TreeMap<>();
    for (Row row : TextPipeline.sign(spark, texts).collectAsList()) {
      m.put(row.getAs("doc_id"), row.getList(row.fieldIndex("sig")));
    }
    return m;
  }

  @Test
  void signaturesHaveOneValuePerHashAndAreDeterministic() {
    Dataset<Row> texts = df(spark, "doc_id bigint, text string",
        r(1L, "the quick brown fox jumps over the lazy dog again"),
        r(2L, "the quick brown fox jumps over the lazy dog again"),
        r(3L, "completely different words about the weather and rain"),
        r(4L, "hi")); // 2 chars: fewer than min-shingles character 4-grams
    Map<Long, List<Integer>> a = sigs(texts);
    assertEquals(List.of(1L, 2L, 3L), List.copyOf(a.keySet()), "a text with too few shingles gets no signature");
    assertEquals(64, a.get(1L).size(), "one min-hash per configured hash function");
    assertTrue(a.get(1L).stream().allMatch(v -> v >= 0), "min-hashes are non-negative ints");
    assertEquals(a.get(1L), a.get(2L), "identical texts must get identical signatures");
    assertNotEquals(a.get(1L), a.get(3L), "different texts should get different signatures");
    assertEquals(a, sigs(texts.repartition(3)), "a new signer with the same seed gives the same signatures");
  }

  @Test
  void theSignatureIsOfTheShinglesSixtyFourBitHashesAndTheVerifiedSetIsTheirFoldedForm() {
    Dataset<Row> signed = TextPipeline.sign(spark, df(spark, "doc_id bigint, text string",
        r(1L, "the quick brown fox jumps over the lazy dog again"))).localCheckpoint();
    Row row = signed.first();
    List<Long> hashes = signed
        .select(org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions.col("shingles")).as("s"))
        .select(org.apache.spark.sql.functions.xxhash64(org.apache.spark.sql.functions.col("s")))
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
    assertEquals(row.getList(row.fieldIndex("shingles")).size(), hashes.size());
    long[] x = hashes.stream().mapToLong(Long::longValue).toArray();
    MinHashSigner s = TextPipeline.signer(spark);
    assertEquals(java.util.Arrays.stream(MinHashSigner.signature(x, s.coefficientsA(), s.coefficientsB())).boxed()
        .toList(), row.getList(row.fieldIndex("sig")), "min-hashes of the 64-bit xxhash64 of each shingle");
    assertEquals(hashes.stream().map(h -> (int) (h ^ (h >>> 32))).sorted().toList(),
        row.getList(row.fieldIndex("sh")), "each 64-bit hash, its halves xor-ed, in ascending order");
  }

  /**
   * The share of equal min-hashes estimates the Jaccard similarity without bias, and its spread is that of
   * independent functions (binomial: sqrt(J(1-J)/k)). Sets of random 64-bit values, as the shingle hashes are.
   */
  @Test
  void agreementEstimatesJaccardLikeIndependentHashes() {
    int k = 64;
    MinHashSigner s = new MinHashSigner(k, 20150101L, 3);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (double j : new double[] {0.2, 0.5, 0.8}) {
      int pairs = 400;
      double sum = 0;
      double sumSq = 0;
      for (int p = 0; p < pairs; p++) {
        // |A n B| = shared, |A u B| = 40: Jaccard exactly shared / 40.
        int union = 40;
        int shared = (int) Math.round(j * union);
        int onlyA = (union - shared) / 2;
        long[] common = rnd.longs(shared).toArray();
        long[] x = java.util.stream.LongStream.concat(java.util.Arrays.stream(common), rnd.longs(onlyA)).toArray();
        long[] y = java.util.stream.LongStream.concat(java.util.Arrays.stream(common),
            rnd.longs(union - shared - onlyA)).toArray();
        int[] sx = MinHashSigner.signature(x, s.coefficientsA(), s.coefficientsB());
        int[] sy = MinHashSigner.signature(y, s.coefficientsA(), s.coefficientsB());
        int eq = 0;
        for (int i = 0; i < k; i++) {
          eq += sx[i] == sy[i] ? 1 : 0;
        }
        double est = (double) eq / k;
        sum += est;
        sumSq += est * est;
      }
      double exact = Math.round(j * 40) / 40.0;
      double mean = sum / pairs;
      double sd = Math.sqrt(sumSq / pairs - mean * mean);
      double binomial = Math.sqrt(exact * (1 - exact) / k);
      assertEquals(exact, mean, 0.02, "mean estimate at Jaccard " + exact);
      assertEquals(binomial, sd, 0.25 * binomial, "spread at Jaccard " + exact);
    }
  }
}
