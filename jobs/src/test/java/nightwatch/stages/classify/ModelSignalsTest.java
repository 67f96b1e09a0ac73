package nightwatch.stages.classify;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** What the scorers get from the model's message scores. */
class ModelSignalsTest extends SparkTest {

  @Test
  void accountsGetTheirHitsTheirMeanAndTheShareOfTheirDay() {
    Dataset<Row> scored = df(spark, "message_id string, account_id string, model_p double, script string",
        r("a1", "a", 0.9, "latin"), r("a2", "a", 0.7, "arabic"), r("a3", "a", 0.1, "latin"),
        r("a4", "a", 0.5, "latin"), r("b1", "b", 0.2, "latin"), r("c1", "c", 0.6, "other"),
        r("d1", "d", 0.9, "arabic"));
    Dataset<Row> clustered = df(spark, "message_id string, cluster_id string", r("a1", "k"), r("b1", "k"));
    ModelSignals m = ModelSignals.of(scored, clustered, 0.5, 0.45, 0.5, new ModelSignals.Consistent(5, 0.8, 0.6,
        Set.of("latin", "other")), "v");
    Map<String, Row> acc = new TreeMap<>();
    for (Row x : m.accounts().collectAsList()) {
      acc.put(x.getAs("account_id"), x);
    }
    assertFalse(acc.containsKey("b"), "no message at or above the threshold: no row");
    Row a = acc.get("a");
    assertEquals(3L, a.<Long>getAs("model_messages"), "the threshold itself counts");
    assertEquals(0.7, a.<Double>getAs("model_score"), 1e-12, "mean of the hits only");
    assertEquals(0.75, a.<Double>getAs("model_share"), 1e-12, "3 of its 4 messages");
    assertEquals(2L, a.<Long>getAs("model_validated_messages"), "the Arabic hit is not in a validated script");
    assertEquals(2.0 / 3, a.<Double>getAs("model_validated_share"), 1e-12, "2 of its 3 messages in those scripts");
    assertEquals(List.of("a1", "a2", "a4"), a.getList(a.fieldIndex("model_sample_ids")), "hits only");
    assertEquals(1.0, acc.get("c").<Double>getAs("model_share"), 1e-12);
    assertEquals(0L, acc.get("d").<Long>getAs("model_validated_messages"), "nothing readable");
    assertEquals(0.0, acc.get("d").<Double>getAs("model_validated_share"), 1e-12, "and no division by zero");
    assertEquals(0.55, m.clusters().first().<Double>getAs("model_score"), 1e-12, "cluster: mean of all messages");
  }
}
