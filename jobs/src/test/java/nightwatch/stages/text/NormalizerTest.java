package nightwatch.stages.text;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class NormalizerTest extends SparkTest {

  @Test
  void addsNormTextHashtagsAndDomains() {
    Row row = Normalizer.apply(df(spark, "message_id string, text string",
        r("m1", "RT @a: Read THIS #Truth #truth https://www.example.com/x and http://b.org")))
        .collectAsList().get(0);
    assertEquals("read this truth truth url_example_com and url_b_org", row.getAs("norm_text"),
        "norm_text should be TextNormalizer's output");
    assertEquals(List.of("truth"), row.getList(row.fieldIndex("hashtags")),
        "hashtags should be lower-cased, without '#', distinct");
    assertEquals(List.of("example.com", "b.org"), row.getList(row.fieldIndex("domains")),
        "domains should drop www. and keep the host");
  }

  @Test
  void skippingAPatternForTextsWithoutItsLiteralChangesNoResult() {
    // Each pattern is skipped when its literal is absent; the unguarded patterns are the reference.
    Dataset<Row> in = df(spark, "message_id string, text string",
        r("m1", "plain words only here"), r("m2", "#Tag and #tag"), r("m3", "see HTTPS://WWW.Example.org/p"),
        r("m4", "RT @someone: url_like words"), r("m5", "@a @b"), r("m6", "www.x.com only"), r("m7", null),
        r("m8", "ＨＴＴＰ://full.width and ＃tag"), r("m9", "  spaced   @x  https://t.co/q  "), r("m10", ""),
        // The patterns run on the text as posted, then lower-case what they find: mixed case, non-Latin text around a
        // link, a non-Latin text without one, Greek capitals that look like HTTP but lower-case to other letters,
        // capital non-Latin hashtags (a final sigma), a capital non-ASCII host, the Kelvin sign (the one non-ASCII
        // character that lower-cases to an ASCII letter).
        r("m11", "hTtPs://Mixed.Case/x"), r("m12", "\u0646\u0635 https://t.co/a"),
        r("m13", "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439"),
        r("m14", "\u0397\u03a4\u03a4\u03a1://greek.gr"),
        r("m15", "#\u039f\u0394\u039f\u03a3 #\u041f\u0420\u0418\u0412\u0415\u0422 #\u043f\u0440\u0438\u0432\u0435\u0442."),
        r("m16", "HTTP://WWW.B\u00dcCHER.DE/x https://\u212aelvin.example:80 #\u212aELVIN"));
    Column lower = lower(col("text"));
    Column content = trim(regexp_replace(col("norm_text"), "(^|\\s)(@user|url_\\S*)(?=\\s|$)", " "));
    Dataset<Row> out = Normalizer.apply(in).withColumn("len", Normalizer.contentLength(col("norm_text")))
        .withColumn("words", Normalizer.contentWords(col("norm_text")));
    Dataset<Row> reference = out.select(col("message_id"), col("norm_text"),
        array_distinct(regexp_extract_all(lower, lit("#([\\p{L}\\p{N}_]+)"), lit(1))).as("hashtags"),
        array_distinct(regexp_extract_all(lower, lit("https?://(?:www\\.)?([^\\s/?#:]+)"), lit(1))).as("domains"),
        length(content).as("len"),
        when(length(content).equalTo(0), lit(0)).otherwise(size(split(content, "\\s+"))).as("words"));
    Dataset<Row> got = out.select("message_id", "norm_text", "hashtags", "domains", "len", "words");
    assertEquals(reference.schema(), got.schema(), "same column types as the unguarded patterns");
    assertEquals(reference.orderBy("message_id").collectAsList(), got.orderBy("message_id").collectAsList(),
        "same values as the unguarded patterns, nulls included");
    Row m1 = got.filter(col("message_id").equalTo("m1")).first();
    assertEquals(List.of(), m1.getList(m1.fieldIndex("hashtags")), "a text without '#' has no hashtag, not null");
    Row m15 = got.filter(col("message_id").equalTo("m15")).first();
    assertEquals(List.of("\u03bf\u03b4\u03bf\u03c2", "\u043f\u0440\u0438\u0432\u0435\u0442"),
        m15.getList(m15.fieldIndex("hashtags")), "capital hashtags lower-cased (final sigma), then made distinct");
  }

  @Test
  void aHashtagIsLowerCasedAsAWhole() {
    // U+0130 lower-cases to "i" and a combining dot: lower-casing the text first cut the tag after the "i".
    Row row = Normalizer.apply(df(spark, "message_id string, text string", r("m1", "#\u0130stanbul now")))
        .collectAsList().get(0);
    assertEquals(List.of("i\u0307stanbul"), row.getList(row.fieldIndex("hashtags")));
  }
}
