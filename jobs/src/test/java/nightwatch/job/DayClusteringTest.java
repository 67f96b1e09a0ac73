package nightwatch.job;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Normalizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The clustering rules end to end on a handful of messages: normalised as the job reads them, then components. */
class DayClusteringTest extends SparkTest {
  static final NightwatchConfig CFG = NightwatchConfig.defaults();
  // 12 words (no digits: they normalise to 0); WEAK keeps 8 of A's words then 4 others: word-bigram Jaccard 7/15 = 0.467, under 0.5
  static final String A = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima";
  static final String A2 = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo zulu";
  static final String WEAK = "echo foxtrot golf hotel india juliet kilo lima mike november oscar papa";
  static final String WEAK2 = "echo foxtrot golf hotel india juliet kilo lima mike november oscar quebec";

  private static Map<String, Long> components(Dataset<Row> messages) {
    Map<String, Long> m = new TreeMap<>();
    Dataset<Row> norm = ExactDuplicates.assignDocIds(Normalizer.apply(messages), CFG.text().minChars());
    LshParams lsh = LshParams.of(CFG.lsh());
    Run run = Run.start(spark, "test", LocalDate.of(2026, 11, 20), StorageLevel.MEMORY_AND_DISK());
    try {
      DayClustering.Components c = DayClustering.components(norm, CFG, MinHashSigner.of(spark, CFG, lsh), lsh, run);
      for (Row row : DayClustering.componentOfEachMessage(norm, c).select("message_id", "component").collectAsList()) {
        m.put(row.getString(0), row.getLong(1));
      }
      return m;
    } finally {
      run.release();
    }
  }

  private static Dataset<Row> msgs(Object[]... rows) {
    return df(spark, "message_id string, account_id string, text string", rows);
  }

  @Test
  void diacriticAndLetterVariantsJoin() {
    Map<String, Long> c = components(msgs(
        r("ar1", "u1", "قَالَ الرَّئِيسُ إِنَّ الحَرْبَ سَتَنْتَهِي قَرِيبًا فِي المَدِينَةِ"),
        r("ar2", "u2", "قال الرئيس ان الحرب ستنتهي قريبا في المدينة"),
        r("fr1", "u1", "Le président a annoncé une réforme économique très importante à Paris"),
        r("fr2", "u2", "Le president a annonce une reforme economique tres importante a Paris"),
        r("ru1", "u1", "Всё ещё идёт подготовка к выборам в нашём городе сегодня"),
        r("ru2", "u2", "Все еще идет подготовка к выборам в нашем городе сегодня")));
    assertEquals(c.get("ar1"), c.get("ar2"), "Arabic with harakat, hamza alef and tatweel joins its plain form");
    assertEquals(c.get("fr1"), c.get("fr2"), "Latin accents do not split a cluster");
    assertEquals(c.get("ru1"), c.get("ru2"), "Cyrillic yo/ye does not split a cluster");
    assertNotEquals(c.get("ar1"), c.get("fr1"), "different texts stay apart");
  }

  @Test
  void emptyAndNearEmptyMessagesStayAlone() {
    Map<String, Long> c = components(msgs(
        r("e1", "u1", ""), r("e2", "u2", ""), r("e3", "u3", "!!! 🙂🙂"), r("e4", "u4", "🙂🙂 ..."),
        r("e5", "u5", "ok"), r("e6", "u6", "ok")));
    assertEquals(6, c.values().stream().distinct().count(), "each near-empty message is its own component: " + c);
  }

  @Test
  void weakLinkDoesNotMergeTwoClusters() {
    Map<String, Long> c = components(msgs(
        r("a1", "u1", A), r("a2", "u2", A2), r("b1", "u3", WEAK), r("b2", "u4", WEAK2)));
    assertEquals(c.get("a1"), c.get("a2"), "A and its one-word variant (Jaccard 0.83) join");
    assertEquals(c.get("b1"), c.get("b2"), "WEAK and its variant join");
    assertNotEquals(c.get("a1"), c.get("b1"), "a link of Jaccard 0.467 < 0.5 must not merge the two clusters");
  }

  @Test
  void idsDoNotDependOnPartitionCount() {
    Object[][] rows = new Object[40][];
    for (int i = 0; i < 40; i++) {
      String text = (i % 4 == 0 ? A : i % 4 == 1 ? A2 : i % 4 == 2 ? WEAK : "unrelated text number " + i
          + " about the weather and the sea and ships");
      rows[i] = r("m" + i, "u" + (i % 7), text);
    }
    Dataset<Row> m = msgs(rows);
    Map<String, Long> one = components(m.repartition(1));
    Map<String, Long> seven = components(m.repartition(7));
    assertEquals(one, seven, "same input, same component ids on 1 and 7 partitions");
  }
}
