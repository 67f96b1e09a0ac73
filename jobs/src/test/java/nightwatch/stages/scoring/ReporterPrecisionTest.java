package nightwatch.stages.scoring;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ReporterPrecisionTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 10);

  static Date d(String s) {
    return Date.valueOf(s);
  }

  @Test
  void confirmedAndDismissedReportsSetASmoothedPrecision() {
    var log = df(spark, "ds date, reporter_pseudonym string, reported_account_id string",
        // alice: 3 reports decided (2 suspend, 1 dismiss), 1 undecided, one counted twice (same day and target)
        r(d("2024-05-08"), "alice", "prop1"), r(d("2024-05-08"), "alice", "prop1"),
        r(d("2024-05-08"), "alice", "prop2"), r(d("2024-05-09"), "alice", "ord1"),
        r(d("2024-05-09"), "alice", "nobody"),
        // bob: reported cs1 (reviewers: counter_speech) and ord1 (dismissed)
        r(d("2024-05-09"), "bob", "cs1"), r(d("2024-05-09"), "bob", "ord1"),
        // carol: her only report was decided BEFORE she filed it (does not count), and one is today (not history)
        r(d("2024-05-09"), "carol", "old"), r(d("2024-05-10"), "carol", "prop1"),
        // dave: reported too long ago (outside history-days)
        r(d("2023-01-01"), "dave", "prop1"));
    var decisions = df(spark, "ds date, account_id string, decision string",
        r(d("2024-05-08"), "prop1", "suspend"), r(d("2024-05-09"), "prop2", "suspend"),
        r(d("2024-05-09"), "ord1", "dismiss"), r(d("2024-05-09"), "cs1", "counter_speech"),
        r(d("2024-05-01"), "old", "dismiss"));
    Map<String, Row> p = new TreeMap<>();
    for (Row x : ReporterPrecision.compute(log, decisions, DS, NightwatchConfig.defaults().scoring().reports())
        .collectAsList()) {
      p.put(x.getAs("reporter_pseudonym"), x);
    }
    assertEquals(java.util.Set.of("alice", "bob"), p.keySet(), "only reporters with decided history reports");
    assertEquals(3L, p.get("alice").<Long>getAs("history_decided"));
    assertEquals(2L, p.get("alice").<Long>getAs("history_confirmed"));
    assertEquals((2 + 1.0) / (3 + 2), p.get("alice").<Double>getAs("history_precision"), 1e-9,
        "(confirmed + prior 0.5 x 2) / (decided + 2)");
    assertEquals(2L, p.get("bob").<Long>getAs("history_decided"));
    assertEquals(1.0 / 4, p.get("bob").<Double>getAs("history_precision"), 1e-9, "counter_speech counts as dismissed");
    assertNull(p.get("carol"));
  }
}
