package nightwatch.stages.text;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ShinglerTest extends SparkTest {

  private Map<String, List<String>> shingles() {
    NightwatchConfig.Text p = NightwatchConfig.defaults().text(); // words 2, chars 4, min words 6
    Map<String, List<String>> m = new TreeMap<>();
    for (Row row : Shingler.apply(df(spark, "id string, norm_text string",
        r("long", "a b c d e f g"),
        r("repeat", "a b a b a b a b"),
        r("short", "hello world")), p).collectAsList()) {
      m.put(row.getAs("id"), row.getList(row.fieldIndex("shingles")));
    }
    return m;
  }

  @Test
  void longTextGetsWordBigrams() {
    Map<String, List<String>> m = shingles();
    assertEquals(List.of("a b", "b c", "c d", "d e", "e f", "f g"), m.get("long"),
        "a 7-word text should get its 6 word bigrams in order");
    assertEquals(List.of("a b", "b a"), m.get("repeat"), "shingles should be distinct");
  }

  @Test
  void shortTextGetsCharacterNgrams() {
    List<String> s = shingles().get("short");
    assertEquals(8, s.size(), "'hello world' (11 chars, 2 words < 6) should get 8 character 4-grams: " + s);
    assertEquals("hell", s.get(0), "first char 4-gram of 'hello world'");
    assertTrue(s.contains("orld"), "last char 4-gram expected in " + s);
    assertFalse(s.contains("hello world"), "short text must not get a word bigram");
  }
}
