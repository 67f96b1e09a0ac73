package nightwatch.stages.dedup;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.toMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;

import java.util.Map;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ExactDuplicatesTest extends SparkTest {
  private static final int MIN_CHARS = 5;

  private Dataset<Row> messages() {
    return df(spark, "message_id string, norm_text string",
        r("m1", "buy now friends"), r("m2", "buy now friends"), r("m3", "something else entirely"),
        r("m4", "ok"), r("m5", "ok"), r("m6", null));
  }

  @Test
  void sameTextSameIdNearEmptyDistinct() {
    Map<String, Long> ids = toMap(ExactDuplicates.assignDocIds(messages(), MIN_CHARS), "message_id", "doc_id");
    assertEquals(ids.get("m1"), ids.get("m2"), "equal normalised texts must share a doc_id");
    assertNotEquals(ids.get("m1"), ids.get("m3"), "different texts must get different doc_ids");
    assertNotEquals(ids.get("m4"), ids.get("m5"), "near-empty texts must get distinct doc_ids even when equal");
    assertNotEquals(ids.get("m4"), ids.get("m6"), "near-empty and null texts must get distinct doc_ids");
    assertEquals(5L, ids.values().stream().distinct().count(), "6 messages with one shared text should have 5 distinct ids");
  }

  @Test
  void placeholdersAloneAreNearEmpty() {
    // Two unrelated tweets of a mention and a t.co link normalise alike: they must not become one text.
    Dataset<Row> m = df(spark, "message_id string, norm_text string",
        r("p1", "@user url_t_co"), r("p2", "@user url_t_co"), r("p3", "ha ha ha url_t_co"), r("p4", "ha ha ha url_t_co"));
    Map<String, Long> ids = toMap(ExactDuplicates.assignDocIds(m, MIN_CHARS), "message_id", "doc_id");
    assertNotEquals(ids.get("p1"), ids.get("p2"), "placeholders alone are near-empty: distinct ids");
    assertEquals(ids.get("p3"), ids.get("p4"), "words of their own (8 characters) make a comparable text");
    assertEquals(Map.of("ha ha ha url_t_co", 2L),
        toMap(ExactDuplicates.docs(ExactDuplicates.assignDocIds(m, MIN_CHARS)), "norm_text", "messages"),
        "only the text with words of its own is a doc");
  }

  @Test
  void idsDoNotDependOnPartitioning() {
    Map<String, Long> a = toMap(ExactDuplicates.assignDocIds(messages(), MIN_CHARS), "message_id", "doc_id");
    Map<String, Long> b = toMap(ExactDuplicates.assignDocIds(messages().repartition(3), MIN_CHARS),
        "message_id", "doc_id");
    assertEquals(a, b, "doc_ids must not change with partitioning");
  }

  @Test
  void docsOnePerDistinctTextWithoutNearEmpty() {
    Map<String, Long> counts = toMap(
        ExactDuplicates.docs(ExactDuplicates.assignDocIds(messages(), MIN_CHARS)), "norm_text", "messages");
    assertEquals(Map.of("buy now friends", 2L, "something else entirely", 1L), counts,
        "docs should hold one row per distinct non-near-empty text with its copy count");
  }

  @Test
  void docsAreAHashAggregateAfterTheOneShuffleTheKeptSignaturesNeed() {
    // As the nightly job keeps the signed texts (Banding.keepPartitioned: by doc_id, adaptive execution off).
    String aqe = spark.conf().get("spark.sql.adaptive.enabled");
    spark.conf().set("spark.sql.adaptive.enabled", "false");
    try {
      int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
      Dataset<Row> kept = ExactDuplicates.docs(ExactDuplicates.assignDocIds(messages(), MIN_CHARS))
          .repartition(partitions, col("doc_id"));
      String plan = kept.queryExecution().executedPlan().toString();
      assertEquals(1, plan.lines().filter(l -> l.contains("Exchange")).count(), "one shuffle:\n" + plan);
      assertTrue(plan.contains("Exchange hashpartitioning(doc_id"), "by doc_id:\n" + plan);
      assertFalse(plan.contains("SortAggregate"), "no sort aggregate:\n" + plan);
      assertEquals(2L, kept.count(), "two distinct comparable texts");
    } finally {
      spark.conf().set("spark.sql.adaptive.enabled", aqe);
    }
  }
}
