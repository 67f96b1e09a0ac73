package nightwatch.stages.known;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nightwatch.SparkTest;
import nightwatch.TextPipeline;
import nightwatch.stages.lsh.Banding;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class KnownPropagandaMatcherTest extends SparkTest {
  static final String REF = "brothers rise up and join the caravan of the faithful the hour of victory is near "
      + "spread this message to every city";

  @Test
  void lightEditMatchesUnrelatedDoesNot() {
    Dataset<Row> day = TextPipeline.sign(spark, df(spark, "doc_id bigint, text string",
        r(1L, "RT @x: Brothers, RISE UP and join the caravan of the faithful! The hour of victory is near. "
            + "Spread this message to every town https://t.co/abc"),
        r(2L, "the football match tonight was great and the home team won by two goals after extra time"))).cache();
    Dataset<Row> refs = TextPipeline.sign(spark, df(spark, "ref_id string, label string, text string",
        r("k1", "group-a", REF))).cache();
    Dataset<Row> refBands = Banding.bandKeys(refs.withColumn("doc_id", col("ref_id")), TextPipeline.LSH)
        .withColumnRenamed("doc_id", "ref_id");
    List<Row> m = KnownPropagandaMatcher.match(Banding.bandKeys(day, TextPipeline.LSH), day, refs, refBands, 0.4, 0.5)
        .collectAsList();
    assertEquals(1, m.size(), "exactly the edited copy should match: " + m);
    assertEquals(1L, m.get(0).<Long>getAs("doc_id"), "doc 1 is the light edit");
    assertEquals("k1", m.get(0).getAs("ref_id"), "matched ref");
    assertEquals("group-a", m.get(0).getAs("label"), "ref label carried");
    assertTrue(m.get(0).<Double>getAs("jaccard") >= 0.5, "exact jaccard at least the threshold");
  }

  @Test
  void aKnownItemOfPlaceholdersAloneIsNotMatchable() {
    // A link alone normalises to "url_t_co": it would match every tweet made of a mention and a link.
    Dataset<Row> refs = df(spark, "ref_id string, text string",
        r("link", "https://t.co/Ew7xDldC5b"), r("mention-link", "@someone https://t.co/abc"),
        r("two-words", "@someone thanks you https://t.co/abc"),
        r("words", "@someone spread this message https://t.co/abc"))
        .withColumn("norm_text", nightwatch.stages.text.Normalizer.normalizeUdf().apply(col("text")));
    List<String> kept = KnownPropagandaMatcher.matchable(refs, 6).collectAsList().stream()
        .map(x -> (String) x.getAs("ref_id")).toList();
    assertEquals(List.of("words"), kept, "only an item with three words of its own or more can be matched");
  }
}
