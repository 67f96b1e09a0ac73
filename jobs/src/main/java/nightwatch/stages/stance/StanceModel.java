package nightwatch.stages.stance;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Optional;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.classify.BinaryMetrics;
import nightwatch.stages.classify.ClassifierTrainer;
import nightwatch.stages.classify.PropagandaClassifier;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learnt stance model: whether the own words of a quote or a reply condemn or expose what they answer. The same
 * MLlib pipeline as the propaganda classifier (normalised words, bigrams, character n-grams, hashed, IDF, logistic
 * regression) in a smaller feature space, trained on the own words (OwnWords) of quotes and replies of accounts
 * reviewers marked {@code counter_speech} against the own words of accounts they suspended, split by account.
 * With a model, a quote or reply condemns when the seed terms match (StanceAnalyzer) or the model's probability
 * reaches its threshold: the model widens what the terms catch and never narrows it.
 */
public final class StanceModel {
  private static final Logger LOG = LoggerFactory.getLogger(StanceModel.class);

  private StanceModel() {}

  /** Output column of {@link #apply}: the model's probability that the own words condemn (null if not scored). */
  public static final String SCORE = "stance_p";
  private static final List<Integer> CHAR_NGRAMS = List.of(2, 3, 4);

  /** A trained model, its threshold and what it was trained and measured on. */
  public record Trained(PipelineModel model, double threshold, long positives, long negatives, Double testAuc,
                        Double testPrecision, Double testRecall) {}

  /** A stance model ready for the nightly job. */
  public record Loaded(PipelineModel model, double threshold) {}

  /**
   * Labelled own words: text (the own words), account_id, label (1 condemns, 0 propaganda), group_id.
   *
   * @param annotated messages after OwnWords.annotate (account_id, own_text, responds)
   * @param decisions account_id, decision (review_decisions: counter_speech and suspend are used)
   */
  public static Dataset<Row> labelled(Dataset<Row> annotated, Dataset<Row> decisions) {
    Dataset<Row> label = decisions.filter(col("decision").isin("suspend", "counter_speech")).groupBy("account_id").agg(
            max(when(col("decision").equalTo("suspend"), 1)).as("_suspend"),
            max(when(col("decision").equalTo("counter_speech"), 1)).as("_counter"))
        // An account with both decisions is left out: its words teach nothing clear.
        .filter(col("_suspend").isNull().or(col("_counter").isNull()))
        .select(col("account_id"), when(col("_counter").isNotNull(), 1.0).otherwise(0.0).as("label"));
    Dataset<Row> own = annotated.join(label, "account_id")
        .withColumn("text", trim(col("own_text")))
        // Condemning words are what counter-speech adds to a quote or reply; a suspended account's every own word counts.
        .filter(col("text").notEqual("").and(col("label").equalTo(0.0).or(col("responds"))));
    return own.select(col("text"), col("account_id"), col("label"), xxhash64(lower(col("text"))).as("group_id"));
  }

  /** The untrained pipeline (reads text, label, weight). */
  public static Pipeline pipeline(NightwatchConfig.StanceModel m) {
    return PropagandaClassifier.pipeline(m.numFeatures(), CHAR_NGRAMS, true, m.maxIter(), m.regParam());
  }

  /**
   * Trains on {@link #labelled} rows: split by account (ClassifierTrainer.split), balanced class weights, threshold on
   * the validation accounts for the target precision, metrics on the test accounts. Empty when either class has
   * fewer than min-texts texts.
   */
  public static Optional<Trained> fit(Dataset<Row> labelled, NightwatchConfig.StanceModel m, double holdoutShare) {
    Dataset<Row> rows = ClassifierTrainer.split(labelled, holdoutShare, 3L)
        .repartition(labelled.sparkSession().sparkContext().defaultParallelism()).cache();
    try {
      Row n = rows.filter(col("split").equalTo("train"))
          .agg(sum(when(col("label").geq(0.5), 1L).otherwise(0L)), sum(when(col("label").lt(0.5), 1L).otherwise(0L)))
          .first();
      long pos = n.isNullAt(0) ? 0 : n.getLong(0);
      long neg = n.isNullAt(1) ? 0 : n.getLong(1);
      if (pos < m.minTexts() || neg < m.minTexts()) {
        LOG.warn("stance model not trained: {} condemning and {} propaganda texts in the training split, fewer than "
            + "min-texts {}; the seed terms alone judge stance", pos, neg, m.minTexts());
        return Optional.empty();
      }
      Dataset<Row> train = rows.filter(col("split").equalTo("train")).withColumn(PropagandaClassifier.WEIGHT,
          when(col("label").geq(0.5), lit((pos + neg) / (2.0 * pos))).otherwise(lit((pos + neg) / (2.0 * neg))));
      PipelineModel model = pipeline(m).fit(train);
      BinaryMetrics vm = BinaryMetrics.of(PropagandaClassifier.score(model, rows.filter(col("split").equalTo(
          "validation"))), PropagandaClassifier.SCORE);
      // Without both classes held out, only a confident probability counts.
      double threshold = vm.positives() > 0 && vm.negatives() > 0 ? vm.thresholdFor(m.targetPrecision()) : 0.9;
      BinaryMetrics tm = BinaryMetrics.of(PropagandaClassifier.score(model, rows.filter(col("split").equalTo("test"))),
          PropagandaClassifier.SCORE);
      LOG.info("stance model: {} condemning and {} propaganda training texts, threshold {} (validation {}+/{}-), "
          + "test AUC {} ({}+/{}-)", pos, neg, threshold, vm.positives(), vm.negatives(), tm.auc(), tm.positives(),
          tm.negatives());
      return Optional.of(new Trained(model, threshold, pos, neg, tm.auc(), tm.precisionAt(threshold),
          tm.recallAt(threshold)));
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Adds {@value #SCORE} to messages that respond (OwnWords) and sets {@code stance} where the model reaches its
   * threshold; other columns are unchanged.
   */
  public static Dataset<Row> apply(Dataset<Row> annotated, Loaded stance) {
    return stance == null ? annotated : apply(annotated, stance.model(), stance.threshold());
  }

  /** As above with a model and threshold. */
  public static Dataset<Row> apply(Dataset<Row> annotated, PipelineModel model, double threshold) {
    Dataset<Row> asText = annotated.withColumnRenamed("text", "_text")
        .withColumn("text", when(col("responds"), col("own_text")).otherwise(lit("")));
    return PropagandaClassifier.score(model, asText)
        .withColumnRenamed(PropagandaClassifier.SCORE, SCORE)
        .withColumn(SCORE, when(col("responds"), col(SCORE)))
        .withColumn("stance", col("stance").or(coalesce(col(SCORE).geq(threshold), lit(false))))
        .drop("text")
        .withColumnRenamed("_text", "text");
  }
}
