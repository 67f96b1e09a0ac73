package nightwatch.stages.scoring;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.classify.ModelSignals;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The classifier's seam in the scorers: its own term and reason code, and no effect without a model. */
class ClassifierSignalTest extends SparkTest {
  static final NightwatchConfig.Scoring S = NightwatchConfig.defaults().scoring();
  static final NightwatchConfig.Classifier C = NightwatchConfig.defaults().classifier();
  static final ModelSignals.Consistent DEFAULT_CONSISTENT =
      new ModelSignals.Consistent(C.consistentMessages(), C.consistentShare(), C.consistentWeight(), Set.of("latin"));
  static final String ACCOUNTS = "account_id string, model_messages bigint, model_score double, model_share double, "
      + "model_validated_messages bigint, model_validated_share double, model_sample_ids array<string>";

  static ModelSignals signals() {
    Dataset<Row> clusters = df(spark, "cluster_id string, model_score double", r("quiet", 0.9), r("burst", 0.2));
    Dataset<Row> accounts = df(spark, ACCOUNTS,
        r("solo", 2L, 0.9, 1.0, 2L, 1.0, List.of("m1", "m2")), r("once", 1L, 0.8, 1.0, 1L, 1.0, List.of("m3")),
        r("chatty", 2L, 0.9, 0.4, 2L, 0.4, List.of("m4", "m5")));
    return new ModelSignals(clusters, accounts, 0.7, 0.8, 0.9, DEFAULT_CONSISTENT, "v-test");
  }

  static List<String> reasons(Row r) {
    return r.getList(r.fieldIndex("reasons"));
  }

  static Map<String, Row> clusters(ModelSignals m) {
    Dataset<Row> known = df(spark, "cluster_id string, ref_id string, label string");
    Dataset<Row> reports = df(spark, "cluster_id string, cluster_reports_weighted double");
    Map<String, Row> c = new TreeMap<>();
    for (Row x : ClusterScorer.score(ClusterScorerTest.stats(), known, reports, m, S).collectAsList()) {
      c.put(x.getAs("cluster_id"), x);
    }
    return c;
  }

  @Test
  void clusterTermAndReason() {
    Map<String, Row> c = clusters(signals());
    // quiet: coordination 0.016 -> 1 - (1 - 0.016 * 0.9) * (1 - 0.8 * 0.9) = 0.724032
    assertEquals(0.724032, c.get("quiet").<Double>getAs("propaganda_score"), 1e-9, "classifier term");
    assertTrue(reasons(c.get("quiet")).contains("CLASSIFIER"), "reason code");
    assertEquals(0.9, c.get("quiet").<Double>getAs("model_score"), 1e-12, "model_score column");
    assertFalse(reasons(c.get("burst")).contains("CLASSIFIER"), "below threshold: no reason");
    assertNull(c.get("known").getAs("model_score"), "cluster without scored messages");
  }

  @Test
  void withoutModelScoresAreUnchanged() {
    Map<String, Row> with = clusters(null);
    assertEquals(0.0144, with.get("quiet").<Double>getAs("propaganda_score"), 1e-9, "rule-based score only");
    assertNull(with.get("quiet").getAs("model_score"), "model_score null without a model");
  }

  /** CandidateScorer on rule-scored clusters, no reports, the given old accounts, and {@code model}. */
  static Map<String, Row> candidates(Dataset<Row> clustered, ModelSignals model, String... accountIds) {
    Dataset<Row> clusters = ClusterScorer.score(ClusterScorerTest.stats(),
        df(spark, "cluster_id string, ref_id string, label string"),
        df(spark, "cluster_id string, cluster_reports_weighted double"), null, S);
    Dataset<Row> reports = df(spark, "account_id string, reports_raw bigint, reports_weighted double, "
        + "brigade_reports bigint");
    Object[][] rows = new Object[accountIds.length][];
    for (int i = 0; i < accountIds.length; i++) {
      rows[i] = r(accountIds[i], "@" + accountIds[i], ts("2015-01-01T00:00:00Z"));
    }
    Dataset<Row> accounts = df(spark, "account_id string, handle string, created_at timestamp", rows);
    Map<String, Row> m = new TreeMap<>();
    for (Row x : CandidateScorer.score(clustered, clusters, reports, accounts,
        df(spark, "account_id string, category string"), model, LocalDate.of(2024, 5, 1), S).collectAsList()) {
      m.put(x.getAs("account_id"), x);
    }
    return m;
  }

  @Test
  void accountsFlaggedByTheModelAloneGetTiers() {
    Dataset<Row> clustered = df(spark, "cluster_id string, message_id string, account_id string, "
            + "created_at timestamp, text string, quote_of string, reply_to string",
        r("quiet", "m9", "other", ts("2024-05-01T10:00:00Z"), "hello", null, null));
    Map<String, Row> m = candidates(clustered, signals(), "solo", "once", "chatty");
    // solo: 0.9 * min(1, 0.5 + 2 * 0.15) * 0.9 = 0.648 -> T2; once: 0.8 * 0.65 * 0.9 = 0.468 -> T3.
    assertEquals(0.648, m.get("solo").<Double>getAs("score"), 1e-9, "two messages above the threshold");
    assertEquals("T2", m.get("solo").getAs("tier"), "tier");
    assertTrue(reasons(m.get("solo")).contains("CLASSIFIER"), "reason code");
    assertEquals(List.of("m1", "m2"), m.get("solo").getList(m.get("solo").fieldIndex("sample_message_ids")),
        "evidence: the model's messages");
    assertEquals(0.468, m.get("once").<Double>getAs("score"), 1e-9, "one message");
    assertEquals("T3", m.get("once").getAs("tier"), "tier");
    assertFalse(m.containsKey("other"), "unflagged cluster, no model hit: no row");
    // chatty: as solo, but its hits are 40% of its day: 0.648 * 0.4 / 0.8 = 0.324 -> no tier.
    assertFalse(m.containsKey("chatty"), "model hits a small part of the day: no tier");
  }

  @Test
  void withTheDefaultWeightsTheModelAloneReachesReviewOnlyWhenConsistent() {
    NightwatchConfig.Classifier d = C;
    // The strongest model-only evidence short of consistency: every hit at probability 1.
    Dataset<Row> clusters = df(spark, "cluster_id string, model_score double", r("quiet", 1.0));
    Dataset<Row> accounts = df(spark, ACCOUNTS,
        r("four", 4L, 1.0, 1.0, 4L, 1.0, List.of("m1")),          // all of its day, but one message short
        r("diluted", 50L, 1.0, 0.79, 50L, 0.79, List.of("m2")),   // many hits, just under the consistent share
        r("consistent", 5L, 0.5, 0.8, 5L, 0.8, List.of("m3")),    // exactly consistent, weak probabilities
        r("unseen", 50L, 1.0, 1.0, 4L, 1.0, List.of("m5")),       // 46 hits in a script the model never saw
                                                                  // ordinary speech in: 4 readable ones
        r("once", 1L, 1.0, 1.0, 1L, 1.0, List.of("m4")));
    ModelSignals strongest = new ModelSignals(clusters, accounts, 0.5, d.clusterWeight(), d.accountWeight(),
        DEFAULT_CONSISTENT, "v");
    Row quiet = clusters(strongest).get("quiet");
    assertTrue(reasons(quiet).contains("CLASSIFIER"), "the reason is still shown");
    assertFalse(quiet.<Boolean>getAs("flagged"), "model alone does not flag: " + quiet.getAs("propaganda_score"));

    Dataset<Row> clustered = df(spark, "cluster_id string, message_id string, account_id string, "
        + "created_at timestamp, text string, quote_of string, reply_to string");
    Map<String, Row> m = candidates(clustered, strongest, "four", "diluted", "consistent", "unseen", "once");
    assertEquals(0.5, m.get("four").<Double>getAs("score"), 1e-9, "1.0 * min(1, 0.5 + 4 * 0.15) * 0.5");
    assertEquals("T3", m.get("four").getAs("tier"), "four hits alone: watch tier, never review");
    assertEquals(0.5 * 0.79 / 0.8, m.get("diluted").<Double>getAs("score"), 1e-9, "share below 0.8 scales");
    assertEquals("T3", m.get("diluted").getAs("tier"), "not consistent: watch tier");
    assertFalse(reasons(m.get("diluted")).contains("CLASSIFIER_CONSISTENT"), "no consistent reason");
    assertEquals(0.6, m.get("consistent").<Double>getAs("score"), 1e-9, "the consistent weight");
    assertEquals("T2", m.get("consistent").getAs("tier"), "consistent: review tier on the model alone");
    assertTrue(reasons(m.get("consistent")).containsAll(List.of("CLASSIFIER", "CLASSIFIER_CONSISTENT")),
        "explained");
    assertEquals("T3", m.get("unseen").getAs("tier"), "hits in an unvalidated script: watch tier at most");
    assertFalse(reasons(m.get("unseen")).contains("CLASSIFIER_CONSISTENT"), "not consistent");
    assertFalse(m.containsKey("once"), "one model hit alone: no tier");
  }
}
