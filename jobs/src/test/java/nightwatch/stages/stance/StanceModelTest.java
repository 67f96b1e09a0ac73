package nightwatch.stages.stance;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.classify.PropagandaClassifier;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class StanceModelTest extends SparkTest {
  static final NightwatchConfig.Safeguards G = NightwatchConfig.defaults().scoring().safeguards();
  static final String MSG = "message_id string, account_id string, text string, quote_of string, reply_to string, "
      + "retweet_of string";

  @Test
  void labelsOwnWordsOfCounterSpeechRepliesAgainstSuspendedAccounts() {
    Dataset<Row> messages = df(spark, MSG,
        r("cs-reply", "cs", "@abu_x you will never win here, nobody believes you", null, "p1", null),
        r("cs-plain", "cs", "lovely weather in Lyon today", null, null, null),
        r("cs-retweet", "cs", "RT @abu_x: join the caravan", null, null, null),
        r("sus-plain", "sus", "brothers rise up and join the caravan", null, null, null),
        r("sus-reply", "sus", "@kafir the hour of victory is near", null, "p2", null),
        r("both", "both", "@x whatever you say", null, "p3", null),
        r("undecided", "u", "@x hello there friend", null, "p4", null));
    Dataset<Row> decisions = df(spark, "account_id string, decision string",
        r("cs", "counter_speech"), r("sus", "suspend"), r("both", "suspend"), r("both", "counter_speech"),
        r("u", "dismiss"));
    Map<String, Double> label = new TreeMap<>();
    for (Row x : StanceModel.labelled(OwnWords.annotate(messages, G), decisions).collectAsList()) {
      label.put(x.getAs("text"), x.getAs("label"));
    }
    assertEquals(Map.of(
        "@abu_x you will never win here, nobody believes you", 1.0,
        "brothers rise up and join the caravan", 0.0,
        "@kafir the hour of victory is near", 0.0), label,
        "counter-speech replies are positive; suspended accounts' own words negative; plain posts, retweets, "
            + "accounts with both decisions and other decisions are left out");
  }

  @Test
  void learnsCondemningPhrasingsTheSeedTermsMissAndOnlyWidensStance() {
    NightwatchConfig.StanceModel m = new NightwatchConfig.StanceModel(4096, 0.01, 100, 0.9, 5);
    String[] condemning = {"nobody believes your nonsense", "you will never win here", "nobody believes these clowns",
        "these clowns will never win", "what nonsense, nobody follows you", "clowns spreading nonsense again",
        "never going to win, clowns", "nobody here believes that nonsense"};
    String[] propaganda = {"the caravan of victory marches on", "join the caravan brothers", "victory is near brothers",
        "the hour of victory has come", "brothers march with the caravan", "the caravan marches to victory",
        "rise brothers the hour is near", "victory belongs to the caravan"};
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < condemning.length; i++) {
      rows.add(r(condemning[i], "c" + i, 1.0, (long) i));
      rows.add(r(propaganda[i], "p" + i, 0.0, 100L + i));
    }
    Dataset<Row> labelled = df(spark, "text string, account_id string, label double, group_id bigint",
        rows.toArray(new Object[0][]));
    assertTrue(StanceModel.fit(labelled, new NightwatchConfig.StanceModel(4096, 0.01, 100, 0.9, 100), 0.2).isEmpty(),
        "fewer than min-texts texts of a class: no model");

    PropagandaClassifier.registerFunctions(spark);
    PipelineModel model = StanceModel.pipeline(m).fit(labelled.withColumn(PropagandaClassifier.WEIGHT,
        org.apache.spark.sql.functions.lit(1.0)));
    Dataset<Row> day = OwnWords.annotate(df(spark, MSG,
        r("unseen-condemning", "a", "@abu_x nobody believes you clowns", null, "p1", null),
        r("propaganda-reply", "b", "@brother the caravan of victory", null, "p1", null),
        r("seed-term", "c", "@abu_x this is terrorist propaganda", null, "p1", null),
        r("plain", "d", "nobody believes you clowns", null, null, null)), G);
    Map<String, Row> out = new TreeMap<>();
    for (Row x : StanceModel.apply(day, model, 0.5).collectAsList()) {
      out.put(x.getAs("message_id"), x);
    }
    assertEquals(true, out.get("unseen-condemning").getAs("stance"), "the model catches what no seed term names");
    assertEquals(false, out.get("propaganda-reply").getAs("stance"));
    assertEquals(true, out.get("seed-term").getAs("stance"), "the seed terms still apply");
    assertEquals(false, out.get("plain").getAs("stance"), "neither a quote nor a reply: not scored");
    assertNull(out.get("plain").getAs(StanceModel.SCORE));
    assertEquals("nobody believes you clowns", out.get("plain").getAs("text"), "the message text is kept");
  }
}
