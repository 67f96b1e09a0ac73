package nightwatch.stages.text;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import nightwatch.Rows;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ScriptsTest extends SparkTest {

  @Test
  void firstScriptWithALetterInArabicCyrillicLatinOrder() {
    Dataset<Row> texts = df(spark, "id string, text string",
        r("ar", "انضموا إلى الخلافة #dawla https://t.co/x"),
        r("ru", "Новости дня #news"),
        r("fr", "rejoignez le califat, frères"),
        r("digits", "123 !!! 🎶"),
        r("empty", ""));
    Map<String, String> s = Rows.toMap(texts.withColumn("script", Scripts.of(col("text"))), "id", "script");
    assertEquals(Map.of("ar", "arabic", "ru", "cyrillic", "fr", "latin", "digits", "other", "empty", "other"), s);
  }
}
