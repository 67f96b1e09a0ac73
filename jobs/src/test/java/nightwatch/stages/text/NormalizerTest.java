package nightwatch.stages.text;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nightwatch.SparkTest;
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
}
