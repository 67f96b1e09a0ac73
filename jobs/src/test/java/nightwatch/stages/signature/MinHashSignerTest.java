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
}
