package nightwatch.bench;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SkewedDayTest extends SparkTest {
  static Dataset<Row> messages(int n) {
    return spark.range(n).selectExpr("concat('m', id) AS message_id", "concat('a', id % 100) AS account_id",
        "concat('text number ', id) AS text");
  }

  @Test
  void viralTextReplacesAboutTheRequestedShareDeterministically() {
    Dataset<Row> skewed = SkewedDay.apply(messages(20_000), SkewedDay.Kind.text, 4_000, 20_000, "x");
    long viral = skewed.filter(col("text").equalTo(SkewedDay.VIRAL_TEXT)).count();
    assertTrue(Math.abs(viral - 4_000) < 250, "viral rows " + viral);
    assertEquals(20_000, skewed.count());
    List<Row> again = SkewedDay.apply(messages(20_000), SkewedDay.Kind.text, 4_000, 20_000, "x")
        .filter(col("text").equalTo(SkewedDay.VIRAL_TEXT)).select("message_id").orderBy("message_id").collectAsList();
    assertEquals(skewed.filter(col("text").equalTo(SkewedDay.VIRAL_TEXT)).select("message_id")
        .orderBy("message_id").collectAsList(), again);
  }

  @Test
  void heavyAccountTakesItsShareAndTextsStay() {
    Dataset<Row> skewed = SkewedDay.apply(messages(20_000), SkewedDay.Kind.account, 1_000, 20_000, "heavy");
    long heavy = skewed.filter(col("account_id").equalTo("heavy")).count();
    assertTrue(Math.abs(heavy - 1_000) < 120, "heavy rows " + heavy);
    assertEquals(0, skewed.filter(col("text").equalTo(SkewedDay.VIRAL_TEXT)).count());
  }

  @Test
  void noneLeavesTheDayAlone() {
    Dataset<Row> m = messages(10);
    assertEquals(m, SkewedDay.apply(m, SkewedDay.Kind.none, 5, 10, "x"));
  }
}
