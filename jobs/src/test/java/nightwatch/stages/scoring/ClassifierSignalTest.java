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

  static ModelSignals signals() {
    Dataset<Row> clusters = df(spark, "cluster_id string, model_score double", r("quiet", 0.9), r("burst", 0.2));
    Dataset<Row> accounts = df(spark, "account_id string, model_messages bigint, model_score double, "
            + "model_sample_ids array<string>",
        r("solo", 2L, 0.9, List.of("m1", "m2")), r("once", 1L, 0.8, List.of("m3")));
    return new ModelSignals(clusters, accounts, 0.7, 0.8, 0.9, "v-test");
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
            + "created_at timestamp, norm_text string, quote_of string, reply_to string",
        r("quiet", "m9", "other", ts("2024-05-01T10:00:00Z"), "hello", null, null));
    Map<String, Row> m = candidates(clustered, signals(), "solo", "once");
    // solo: 0.9 * min(1, 0.5 + 2 * 0.15) * 0.9 = 0.648 -> T2; once: 0.8 * 0.65 * 0.9 = 0.468 -> T3.
    assertEquals(0.648, m.get("solo").<Double>getAs("score"), 1e-9, "two messages above the threshold");
    assertEquals("T2", m.get("solo").getAs("tier"), "tier");
    assertTrue(reasons(m.get("solo")).contains("CLASSIFIER"), "reason code");
    assertEquals(List.of("m1", "m2"), m.get("solo").getList(m.get("solo").fieldIndex("sample_message_ids")),
        "evidence: the model's messages");
    assertEquals(0.468, m.get("once").<Double>getAs("score"), 1e-9, "one message");
    assertEquals("T3", m.get("once").getAs("tier"), "tier");
    assertFalse(m.containsKey("other"), "unflagged cluster, no model hit: no row");
  }

  @Test
  void withTheDefaultWeightsTheModelAloneNeverFlagsNorEscalates() {
    NightwatchConfig.Classifier d = NightwatchConfig.defaults().classifier();
    // The strongest possible model-only evidence: every message at probability 1, many of them.
    Dataset<Row> clusters = df(spark, "cluster_id string, model_score double", r("quiet", 1.0));
    Dataset<Row> accounts = df(spark, "account_id string, model_messages bigint, model_score double, "
        + "model_sample_ids array<string>", r("many", 50L, 1.0, List.of("m1")), r("once", 1L, 1.0, List.of("m2")));
    ModelSignals strongest = new ModelSignals(clusters, accounts, 0.5, d.clusterWeight(), d.accountWeight(), "v");
    Row quiet = clusters(strongest).get("quiet");
    assertTrue(reasons(quiet).contains("CLASSIFIER"), "the reason is still shown");
    assertFalse(quiet.<Boolean>getAs("flagged"), "model alone does not flag: " + quiet.getAs("propaganda_score"));

    Dataset<Row> clustered = df(spark, "cluster_id string, message_id string, account_id string, "
        + "created_at timestamp, norm_text string, quote_of string, reply_to string");
    Map<String, Row> m = candidates(clustered, strongest, "many", "once");
    assertEquals("T3", m.get("many").getAs("tier"), "many model hits alone: watch tier, never review");
    assertFalse(m.containsKey("once"), "one model hit alone: no tier");
  }
}
