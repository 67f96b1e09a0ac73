package nightwatch.stages.scoring;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.privacy.Pseudonymizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ReportWeightingTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);
  static final Pseudonymizer PSEUDO = Pseudonymizer.ofKey("unit-test-key-0123456789");
  static final String REPORTS = "report_id string, reporter_id string, reported_account_id string, "
      + "reported_message_id string, reason string, created_at timestamp";

  private Dataset<Row> weighted() {
    List<Object[]> reports = new ArrayList<>();
    List<Object[]> accounts = new ArrayList<>();
    for (int i = 0; i < 12; i++) { // 12 reports from day-old accounts within 10 minutes
      reports.add(r("b" + i, "new" + i, "target", null, "spam", ts("2024-05-01T09:0" + (i % 10) + ":00Z")));
      accounts.add(r("new" + i, ts("2024-04-30T08:00:00Z")));
    }
    reports.add(r("t1", "flagger", "x", "m1", "terror", ts("2024-05-01T10:00:00Z")));
    reports.add(r("e1", "old", "x", "m1", "terror", ts("2024-05-01T11:00:00Z")));
    reports.add(r("y1", "young", "x", "m1", "terror", ts("2024-05-01T12:00:00Z")));
    reports.add(r("n1", "lonely_new", "x", "m1", "terror", ts("2024-05-01T13:00:00Z")));
    accounts.add(r("old", ts("2020-01-01T00:00:00Z")));
    accounts.add(r("young", ts("2024-04-15T00:00:00Z")));
    accounts.add(r("lonely_new", ts("2024-04-29T00:00:00Z")));
    accounts.add(r("flagger", ts("2024-04-30T00:00:00Z"))); // new account, but trusted
    Dataset<Row> trusted = df(spark, "account_id string, organisation string, weight double",
        r("flagger", "NGO", 3.0));
    return ReportWeighting.weigh(df(spark, REPORTS, reports.toArray(new Object[0][])),
        df(spark, "account_id string, created_at timestamp", accounts.toArray(new Object[0][])), trusted, null,
        PSEUDO, DS, NightwatchConfig.defaults().scoring());
  }

  @Test
  void brigadeTrustedEstablishedYoungAndNew() {
    Dataset<Row> w = weighted().cache();
    List<Row> brigade = w.filter(col("reported_account_id").equalTo("target")).collectAsList();
    assertEquals(12, brigade.size(), "12 reports against the brigade target");
    for (Row x : brigade) {
      assertEquals(true, x.getAs("brigade"), "12 day-old reporters within 10 minutes are a brigade");
      assertEquals(0.0, x.<Double>getAs("weight"), 0.0, "brigade reports weigh nothing");
      assertEquals("brigade", x.getAs("band"), "band");
    }
    Map<String, String> bands = new TreeMap<>();
    Map<String, Double> weights = new TreeMap<>();
    for (Row x : w.filter(col("reported_account_id").equalTo("x")).collectAsList()) {
      String t = x.<java.sql.Timestamp>getAs("created_at").toInstant().toString();
      bands.put(t, x.getAs("band"));
      weights.put(t, x.getAs("weight"));
      assertEquals(false, x.getAs("brigade"), "no brigade against x");
    }
    assertEquals(Map.of("2024-05-01T10:00:00Z", "trusted_flagger", "2024-05-01T11:00:00Z", "established",
        "2024-05-01T12:00:00Z", "young_account", "2024-05-01T13:00:00Z", "new_account"), bands, "credibility bands");
    assertEquals(Map.of("2024-05-01T10:00:00Z", 3.0, "2024-05-01T11:00:00Z", 1.0,
        "2024-05-01T12:00:00Z", 0.5, "2024-05-01T13:00:00Z", 0.2), weights,
        "trusted flagger weighs its listed weight, established 1, young 0.5, new 0.2");
    assertEquals(List.of("reporter_pseudonym", "reported_account_id", "reported_message_id", "created_at", "weight",
        "brigade", "band", "history_precision", "history_decided"), List.of(w.columns()),
        "reporter ids never leave the stage, only their pseudonyms");
    assertEquals(PSEUDO.pseudonym("old"), w.filter(col("band").equalTo("established")).first()
        .getAs("reporter_pseudonym"), "keyed pseudonym of the reporter");
  }

  /** Reporter precision scales weights: dismissed reporters weigh less, confirmed ones more (capped). */
  @Test
  void historicalPrecisionScalesWeights() {
    Dataset<Row> reports = df(spark, REPORTS,
        r("a", "bad", "t", null, "spam", ts("2024-05-01T10:00:00Z")),
        r("b", "good", "t", null, "terror", ts("2024-05-01T10:00:00Z")),
        r("c", "fresh", "t", null, "terror", ts("2024-05-01T10:00:00Z")));
    Dataset<Row> accounts = df(spark, "account_id string, created_at timestamp",
        r("bad", ts("2020-01-01T00:00:00Z")), r("good", ts("2020-01-01T00:00:00Z")),
        r("fresh", ts("2020-01-01T00:00:00Z")));
    // bad: 0 of 3 confirmed -> (0 + 1) / (3 + 2) = 0.2 -> weight 0.4; good: 4 of 4 -> 5/6 -> factor capped 1.5.
    Dataset<Row> precision = df(spark, "reporter_pseudonym string, history_decided bigint, history_precision double",
        r(PSEUDO.pseudonym("bad"), 3L, 0.2), r(PSEUDO.pseudonym("good"), 4L, 5.0 / 6));
    Dataset<Row> w = ReportWeighting.weigh(reports, accounts,
        df(spark, "account_id string, organisation string, weight double"), precision, PSEUDO, DS,
        NightwatchConfig.defaults().scoring());
    Map<String, Double> weights = new TreeMap<>();
    for (Row x : w.collectAsList()) {
      weights.put(x.getAs("reporter_pseudonym"), x.getAs("weight"));
    }
    assertEquals(0.4, weights.get(PSEUDO.pseudonym("bad")), 1e-9, "1.0 x 0.2 / 0.5");
    assertEquals(1.5, weights.get(PSEUDO.pseudonym("good")), 1e-9, "1.0 x min(1.5, 0.833 / 0.5)");
    assertEquals(1.0, weights.get(PSEUDO.pseudonym("fresh")), 1e-9, "no record: unchanged");
    Row t = ReportWeighting.perTarget(w, NightwatchConfig.defaults().scoring().reports()).first();
    assertEquals(2.9, t.<Double>getAs("reports_weighted"), 1e-9, "0.4 + 1.5 + 1.0");
    assertEquals((0.2 + 5.0 / 6) / 2, t.<Double>getAs("reporter_precision"), 1e-9, "mean over reporters with a record");
    assertEquals(1L, t.<Long>getAs("reports_low_precision"), "one reporter below the prior");
  }

  @Test
  void perTargetSums() {
    Map<String, Row> t = new TreeMap<>();
    for (Row x : ReportWeighting.perTarget(weighted(), NightwatchConfig.defaults().scoring().reports())
        .collectAsList()) {
      t.put(x.getAs("account_id"), x);
    }
    assertEquals(12L, t.get("target").<Long>getAs("reports_raw"), "raw reports against the brigade target");
    assertEquals(0.0, t.get("target").<Double>getAs("reports_weighted"), 1e-9, "brigade target weighs 0");
    assertEquals(12L, t.get("target").<Long>getAs("brigade_reports"), "brigade reports counted");
    assertEquals(4L, t.get("x").<Long>getAs("reports_raw"), "raw reports against x");
    assertEquals(4.7, t.get("x").<Double>getAs("reports_weighted"), 1e-9, "3 + 1 + 0.5 + 0.2");
    assertEquals(0L, t.get("x").<Long>getAs("brigade_reports"), "no brigade against x");
  }

  @Test
  void perClusterCountsEachAccountAtMostOnce() {
    // c1: a heavily reported account among friends who retweeted it; c2: two accounts each credibly reported.
    Dataset<Row> clustered = df(spark, "cluster_id string, account_id string",
        r("c1", "loud"), r("c1", "loud"), r("c1", "f1"), r("c1", "f2"),
        r("c2", "a"), r("c2", "b"), r("c2", "b"), r("c3", "quiet"));
    Dataset<Row> perTarget = df(spark, "account_id string, reports_weighted double",
        r("loud", 9.0), r("a", 1.5), r("b", 0.5), r("elsewhere", 4.0));
    Map<String, Double> got = new TreeMap<>();
    for (Row x : ReportWeighting.perCluster(clustered, perTarget).collectAsList()) {
      got.put(x.getString(0), x.getDouble(1));
    }
    assertEquals(Map.of("c1", 1.0, "c2", 1.5), got,
        "loud's 9 reports count 1, not once per message; a counts 1, b 0.5; c3 has no reported account");
  }
}
