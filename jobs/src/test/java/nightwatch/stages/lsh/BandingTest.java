package nightwatch.stages.lsh;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nightwatch.SparkTest;
import nightwatch.TextPipeline;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class BandingTest extends SparkTest {
  static final String BASE = "the council will meet on monday to discuss the new budget for schools roads "
      + "and hospitals across the whole region";
  static final String EDIT = BASE.replace("monday", "tuesday");
  static final String OTHER = "my cat sleeps all afternoon in the sun while the neighbours dog barks at every "
      + "passing car and bicycle";

  private Dataset<Row> signed() {
    assertEquals(20, BASE.split(" ").length, "fixture should be a 20-word text");
    return TextPipeline.sign(spark, df(spark, "doc_id bigint, text string",
        r(1L, BASE), r(2L, EDIT), r(3L, OTHER))).cache();
  }

  @Test
  void bandKeysOnePerBand() {
    Dataset<Row> keys = Banding.bandKeys(signed(), TextPipeline.LSH);
    assertEquals(3L * TextPipeline.LSH.bands(), keys.count(), "one band key per band and doc");
  }

  @Test
  void bandKeysEqualTheBuiltInExpressionBitForBit() {
    // Keys are persisted (campaigns.band_keys): the fast path must give exactly the built-in hash.
    Dataset<Row> s = signed();
    List<Row> fast = Banding.bandKeys(s, TextPipeline.LSH).groupBy("doc_id")
        .agg(org.apache.spark.sql.functions.sort_array(org.apache.spark.sql.functions.collect_list("band_key")))
        .orderBy("doc_id").collectAsList();
    List<Row> builtIn = s.select(col("doc_id"), org.apache.spark.sql.functions.sort_array(
        Banding.bandKeyExpression(TextPipeline.LSH))).orderBy("doc_id").collectAsList();
    assertEquals(builtIn.toString(), fast.toString());
    assertEquals(3, fast.size());
  }

  @Test
  void bandKeysOfASubsetHashEachSignatureOnce() {
    Dataset<Row> subset = signed().join(df(spark, "doc_id bigint", r(2L)), "doc_id", "left_semi");
    Dataset<Row> keys = Banding.bandKeys(subset, TextPipeline.LSH);
    String plan = keys.queryExecution().optimizedPlan().toString();
    assertEquals(1, plan.split("UDF\\(", -1).length - 1,
        "the band-key function runs once per row, after the join (no inferred filter calls it again):\n" + plan);
    assertEquals(TextPipeline.LSH.bands(), keys.count());
  }

  @Test
  void nearDuplicatesShareABandAndPassVerificationUnrelatedDoNot() {
    Dataset<Row> s = signed();
    Dataset<Row> edges = Banding.candidateEdges(s, TextPipeline.LSH, 50);
    List<Row> e = edges.collectAsList();
    assertEquals(1, e.size(), "only the near-duplicate pair should share a band: " + e);
    assertEquals(2L, e.get(0).getLong(e.get(0).fieldIndex("src")), "edge source is the larger doc");
    assertEquals(1L, e.get(0).getLong(e.get(0).fieldIndex("dst")), "edge points to the smaller doc");

    List<Row> v = Banding.verifyExact(edges, s, 0.5).collectAsList();
    assertEquals(1, v.size(), "the near-duplicate edge should pass verification");
    // word bigrams: 19 each, 17 shared, so the exact Jaccard is 17 / 21
    assertEquals(17.0 / 21, v.get(0).getDouble(v.get(0).fieldIndex("jaccard")), 1e-9);
    assertEquals(0, Banding.verifyExact(edges, s, 0.99).count(), "verification drops edges below the threshold");
  }

  @Test
  void edgesOfSignaturesAreTheEdgesOfTheirBuiltInBandKeys() {
    // Random signatures drawn from few values, so that many texts share bands; a null-free array<int> column as
    // the signer writes it, and a nullable one as a table may hold it.
    java.util.Random rnd = new java.util.Random(3);
    int n = TextPipeline.LSH.bands() * TextPipeline.LSH.rows();
    List<Object[]> rows = new java.util.ArrayList<>();
    for (long doc = 1; doc <= 300; doc++) {
      int[] sig = new int[n];
      for (int j = 0; j < n; j++) {
        sig[j] = rnd.nextInt(3);
      }
      rows.add(r(doc, sig));
    }
    Dataset<Row> nullable = df(spark, "doc_id bigint, sig array<int>", rows.toArray(new Object[0][]));
    Dataset<Row> nullFree = nullable.select(col("doc_id"), org.apache.spark.sql.functions.array_compact(col("sig"))
        .as("sig"));
    List<Row> expected = Banding.candidateEdges(nullable.select(col("doc_id"),
        Banding.bandKeyExpression(TextPipeline.LSH).as("band_keys")), 4).orderBy("src", "dst").collectAsList();
    assertTrue(expected.size() > 300, "the fixture should put many texts in shared buckets: " + expected.size());
    assertEquals(expected, Banding.candidateEdges(nullFree, TextPipeline.LSH, 4).orderBy("src", "dst")
        .collectAsList());
    assertEquals(expected, Banding.candidateEdges(nullable, TextPipeline.LSH, 4).orderBy("src", "dst")
        .collectAsList());
  }

  @Test
  void estimatedJaccardOfIdenticalSignaturesIsOne() {
    Row row = df(spark, "a array<int>, b array<int>, c array<int>",
        r(List.of(1, 2, 3, 4), List.of(1, 2, 3, 4), List.of(1, 9, 3, 9)))
        .select(Banding.estimatedJaccard(col("a"), col("b")), Banding.estimatedJaccard(col("a"), col("c")))
        .first();
    assertEquals(1.0, row.getDouble(0), 1e-12, "identical signatures estimate Jaccard 1.0");
    assertEquals(0.5, row.getDouble(1), 1e-12, "2 of 4 equal positions estimate 0.5");
  }
}
