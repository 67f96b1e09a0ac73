package nightwatch.stages.classify;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nightwatch.Rows;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Catalog;
import nightwatch.io.ModelStore;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train and apply on a tiny labelled fixture; the model round-trips through save and load. */
class PropagandaClassifierTest extends SparkTest {
  static final NightwatchConfig.Classifier P = new NightwatchConfig.Classifier(7, 0.9, 0.2, 0.05, 4096,
      List.of(3, 4, 5), true, 2,
      List.of(0.01), 15, 0.5, 0.8, 0.9, 5, 0.8, 0.6, 200L);

  static final String[] PROPAGANDA = {
      "join the caravan brothers the khilafah needs you #dawla",
      "the soldiers of the khilafah advance glory to the mujahideen",
      "rejoignez le califat mes freres la victoire est proche",
      "انضموا إلى الخلافة يا إخوة النصر قريب",
      "the mujahideen of the dawla took the city today #khilafah",
      "hijrah is an obligation come to the land of the khilafah"};
  static final String[] ORDINARY = {
      "the weather is lovely today going to the park with friends",
      "just watched the new episode what a twist #tvnight",
      "on va au cinema ce soir avec les enfants",
      "مباراة رائعة اليوم في الملعب مع الأصدقاء",
      "the news about isis today is terrible my thoughts with the victims",
      "new recipe for dinner tonight pasta with tomatoes"};

  static Dataset<Row> fixture() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < PROPAGANDA.length; i++) {
      rows.add(r(PROPAGANDA[i], "p" + i, 1.0, 1.0));
      rows.add(r(ORDINARY[i], "n" + i, 0.0, 1.0));
    }
    return df(spark, "text string, account_id string, label double, weight double", rows.toArray(new Object[0][]));
  }

  static Map<String, Double> scores(PipelineModel m, String... texts) {
    Object[][] rows = Arrays.stream(texts).map(t -> r(t)).toArray(Object[][]::new);
    return Rows.toMap(PropagandaClassifier.score(m, df(spark, "text string", rows)), "text", PropagandaClassifier.SCORE);
  }

  @Test
  void trainsAppliesAndRoundTrips(@TempDir Path dir) {
    PropagandaClassifier.registerFunctions(spark);
    PipelineModel m = PropagandaClassifier.pipeline(P).fit(fixture());
    String prop = "brothers join the khilafah the mujahideen need you";
    String ord = "going to the cinema with friends tonight";
    Map<String, Double> s = scores(m, prop, ord);
    assertTrue(s.get(prop) > 0.5, "unseen propaganda scores above 0.5: " + s);
    assertTrue(s.get(ord) < 0.5, "unseen ordinary text scores below 0.5: " + s);

    // Saved and registered through the store, the latest version loads and scores identically.
    Warehouse wh = new Warehouse(spark, dir.toString());
    ModelStore store = new ModelStore(spark, wh);
    assertFalse(store.latest().isPresent(), "no model before the first save");
    Row row = RowFactory.create("v1", Timestamp.from(Instant.now()), store.pathFor("v1"), Date.valueOf("2024-01-01"),
        Date.valueOf("2024-01-07"), 6L, 6L, 12L, 0L, 0L, null, null, null, 0.6, 0.9, 0.01, null,
        Map.of("latin", 5L, "arabic", 1L), store.stancePathFor("v1"), 0.7, 8L, 6L, null);
    // Any pipeline stands in for the stance model here: the store saves and loads it the same way.
    store.save("v1", m, m, spark.createDataFrame(List.of(row), Tables.schema(Tables.MODELS).struct()));
    ModelStore.Entry e = store.latest().orElseThrow();
    assertEquals("v1", e.version(), "latest version");
    assertEquals(0.6, e.threshold(), 0.0, "threshold recorded");
    assertEquals(Map.of("latin", 5L, "arabic", 1L), e.negativesByScript(), "negatives per script recorded");
    // Analysts find the registry by name, like the other tables.
    assertTrue(Catalog.register(spark, wh, "models_test").contains("models"), "models registered");
    assertEquals(1L, spark.sql("SELECT count(*) FROM models_test.models").first().getLong(0), "readable by name");
    Map<String, Double> again = scores(store.load(e), prop, ord);
    assertEquals(s.get(prop), again.get(prop), 1e-12, "same score after save and load");
    assertEquals(s.get(ord), again.get(ord), 1e-12, "same score after save and load");
    assertEquals(store.pathFor("v1") + "/stance", e.stancePath().orElseThrow(), "stance model beside the classifier");
    assertEquals(0.7, e.stanceThreshold(), 0.0, "stance threshold recorded");
    assertEquals(s.get(prop), scores(store.loadStance(e), prop, ord).get(prop), 1e-12, "stance model loads");
  }

  @Test
  void stopWordsCoverEnglishFrenchAndArabicInNormalisedForm() {
    List<String> sw = Arrays.asList(PropagandaClassifier.stopWords());
    assertTrue(sw.contains("the"), "english");
    assertTrue(sw.contains("etaient"), "french, accents folded like the texts");
    assertTrue(sw.contains("في"), "arabic");
    assertTrue(sw.contains("الي"), "arabic, alef-maqsura folded to ya");
  }

  @Test
  void fitCountsTheNegativeTrainingTextsPerScript() {
    PropagandaClassifier.registerFunctions(spark);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < PROPAGANDA.length; i++) {
      rows.add(r(PROPAGANDA[i], "p" + i, 1.0, (long) i, "train"));
      rows.add(r(ORDINARY[i], "n" + i, 0.0, 100L + i, "train"));
    }
    for (String split : List.of("validation", "test")) {
      rows.add(r("the khilafah calls the brothers " + split, "p-" + split, 1.0, 200L, split));
      rows.add(r("dinner with friends " + split, "n-" + split, 0.0, 201L, split));
    }
    Dataset<Row> labelled = df(spark, "text string, account_id string, label double, group_id bigint, "
        + "forced_split string", rows.toArray(new Object[0][]));
    ClassifierTrainer.Result r = ClassifierTrainer.fit(ClassifierTrainer.split(labelled, 0.2, 1L), P, 0.9);
    r.testScored().unpersist();
    assertEquals(Map.of("latin", 5L, "arabic", 1L), r.negativesByScript(), "training negatives only, per script");
  }

  @Test
  void hardNegativesCarryTheirShareOfTheNegativeWeight() {
    // 100 positives, 900 negatives of which 100 hard; share 0.5: the classes weigh 500 each, the hard ones 250.
    ClassifierTrainer.Weights w = ClassifierTrainer.Weights.of(100, 900, 100, 0.5);
    assertEquals(500.0, 100 * w.positive(), 1e-9, "positives: half the total weight");
    assertEquals(250.0, 100 * w.hardNegative(), 1e-9, "hard negatives: their share of the negatives' half");
    assertEquals(250.0, 800 * w.negative(), 1e-9, "other negatives: the rest");
    // Without hard negatives (or with only hard ones) every negative weighs the same: plain balanced classes.
    ClassifierTrainer.Weights none = ClassifierTrainer.Weights.of(100, 900, 0, 0.5);
    assertEquals(500.0, 900 * none.negative(), 1e-9, "balanced classes");
    assertEquals(none.negative(), ClassifierTrainer.Weights.of(100, 900, 900, 0.5).hardNegative(), 1e-12,
        "all negatives hard: balanced classes");
  }

  @Test
  void fitWeighsHardNegativesUp() {
    PropagandaClassifier.registerFunctions(spark);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < PROPAGANDA.length; i++) {
      rows.add(r(PROPAGANDA[i], "p" + i, 1.0, (long) i, "train", false));
      rows.add(r(ORDINARY[i], "n" + i, 0.0, 100L + i, "train", ORDINARY[i].contains("isis")));
    }
    for (String split : List.of("validation", "test")) {
      rows.add(r("the khilafah calls the brothers " + split, "p-" + split, 1.0, 200L, split, false));
      rows.add(r("dinner with friends " + split, "n-" + split, 0.0, 201L, split, false));
    }
    Dataset<Row> labelled = df(spark, "text string, account_id string, label double, group_id bigint, "
        + "forced_split string, hard_negative boolean", rows.toArray(new Object[0][]));
    String commentary = "the news about isis today";
    double plain = scores(ClassifierTrainer.fit(ClassifierTrainer.split(labelled.drop("hard_negative"), 0.2, 1L), P,
        0.9).model(), commentary).get(commentary);
    double hard = scores(ClassifierTrainer.fit(ClassifierTrainer.split(labelled, 0.2, 1L), P, 0.9).model(),
        commentary).get(commentary);
    assertTrue(hard < plain, "a text like the hard negative scores lower when they weigh more: " + hard + " vs " + plain);
  }

  @Test
  void splitKeepsAccountsWholeAndCopiesOfTrainingTextsOut() {
    List<Object[]> rows = new ArrayList<>();
    for (int a = 0; a < 40; a++) {
      rows.add(r("text " + a, "acct" + a, a % 2 == 0 ? 1.0 : 0.0, (long) a, null));
      rows.add(r("shared copy", "acct" + a, 1.0, 999L, null));
    }
    rows.add(r("known item", "known:k1", 1.0, 1000L, "train"));
    Dataset<Row> split = ClassifierTrainer.split(df(spark,
        "text string, account_id string, label double, group_id bigint, forced_split string",
        rows.toArray(new Object[0][])), 0.2, 1L);
    assertEquals(0, split.groupBy("account_id").agg(org.apache.spark.sql.functions.countDistinct("split").as("n"))
        .filter(col("n").gt(1)).count(), "no account in two splits");
    assertEquals(0, split.filter(col("split").notEqual("train").and(col("group_id").equalTo(999L))).count(),
        "copies of a training text never held out");
    assertEquals("train", split.filter(col("account_id").equalTo("known:k1")).first().getAs("split"), "forced split");
    assertTrue(split.filter(col("split").equalTo("test")).count() > 0, "some accounts held out for test");
    assertTrue(split.filter(col("split").equalTo("validation")).count() > 0, "and for validation");
  }
}
