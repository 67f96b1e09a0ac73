package nightwatch.job;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class QualityGateTest extends SparkTest {
  static final NightwatchConfig.Gates G = new NightwatchConfig.Gates(0.5, 7, 3, 0.1);

  @Test
  void volumeBelowHalfTheMedianFails() {
    QualityGate.Verdict v = QualityGate.check(49, 49, List.of(100L, 90L, 200L), G, false);
    assertEquals("fail", v.status(), v.record());
    assertTrue(v.detail().contains("volume 49 vs 0.5 x median 100.0 of 3 earlier days"), v.detail());
  }

  @Test
  void volumeAtTheFloorPasses() {
    assertEquals("pass", QualityGate.check(50, 50, List.of(100L, 90L, 200L), G, false).status());
    assertEquals("pass", QualityGate.check(55, 55, List.of(100L, 120L, 90L, 200L), G, false).status(),
        "median of 4 is 110, floor 55");
  }

  @Test
  void tooFewEarlierDaysSkipsTheVolumeGate() {
    QualityGate.Verdict v = QualityGate.check(1, 1, List.of(1000L, 1000L), G, false);
    assertEquals("pass", v.status());
    assertTrue(v.detail().contains("volume gate skipped (2 earlier days, needs 3)"), v.detail());
  }

  @Test
  void rejectedShareAboveTheThresholdFails() {
    assertEquals("pass", QualityGate.check(90, 100, List.of(), G, false).status(), "exactly 10% passes");
    QualityGate.Verdict v = QualityGate.check(89, 100, List.of(), G, false);
    assertEquals("fail", v.status());
    assertTrue(v.detail().contains("rejected share 0.1100 (11 of 100 lines)"), v.detail());
  }

  @Test
  void forceTurnsAFailureIntoForcedAndLetsTheRunGoOn() {
    QualityGate.Verdict v = QualityGate.check(10, 100, List.of(100L, 100L, 100L), G, true);
    assertEquals("forced", v.status());
    assertTrue(v.passed());
    assertTrue(v.record().startsWith("forced: below gate: rejected share"), v.record());
    assertTrue(v.record().contains("volume 10 vs"), "both failed checks are named: " + v.record());
  }

  @Test
  void historyTakesTheLatestSuccessOfEachEarlierDayWithinTheWindow() {
    LocalDate ds = LocalDate.parse("2026-03-10");
    List<Row> rows = new ArrayList<>();
    rows.add(run("2026-03-09", "success", 100, 1));
    rows.add(run("2026-03-09", "success", 300, 2)); // a later rerun of the same day wins
    rows.add(run("2026-03-08", "failed", 5, 1));    // failures do not count
    rows.add(run("2026-03-03", "success", 200, 1)); // 7 days back: inside
    rows.add(run("2026-03-02", "success", 999, 1)); // 8 days back: outside
    rows.add(run("2026-03-10", "success", 7, 1));   // the day itself: outside
    List<Long> h = QualityGate.history(spark.createDataFrame(rows, Tables.schema(Tables.JOB_RUNS).struct()), ds, 7);
    h.sort(null);
    assertEquals(List.of(200L, 300L), h);
  }

  static Row run(String ds, String outcome, long messages, int minute) {
    Timestamp t = Timestamp.valueOf("2026-03-10 00:0" + minute + ":00");
    return RowFactory.create(Date.valueOf(ds), ds + "-" + minute, t, t, outcome, null, null,
        scala.jdk.javaapi.CollectionConverters.asScala(Map.of("messages", messages)), 0L, 0L, 0, "d", null, null);
  }
}
