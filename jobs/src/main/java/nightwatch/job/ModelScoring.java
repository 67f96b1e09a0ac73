package nightwatch.job;

import static org.apache.spark.sql.functions.col;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.ModelStore;
import nightwatch.io.Warehouse;
import nightwatch.stages.classify.ModelSignals;
import nightwatch.stages.classify.PropagandaClassifier;
import nightwatch.stages.stance.StanceModel;
import nightwatch.stages.text.Scripts;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job's use of the classifier: loads the latest model from the warehouse and scores the day's
 * messages, and loads the stance model trained with it. Without a model (or with one that cannot be loaded) the night
 * runs on the rule-based signals alone; {@code model_present} and {@code stance_model_present} in the run's counts
 * tell the report.
 */
final class ModelScoring {
  private static final Logger LOG = LoggerFactory.getLogger(ModelScoring.class);

  private ModelScoring() {}

  /** The classifier's signals and the stance model of the same version; each null when missing. */
  record Models(ModelSignals signals, StanceModel.Loaded stance) {}

  static Models apply(SparkSession spark, Warehouse wh, NightwatchConfig cfg, Dataset<Row> messages,
                      Dataset<Row> clustered, Map<String, Long> counts) {
    ModelStore store = new ModelStore(spark, wh);
    Optional<ModelStore.Entry> latest = store.latest();
    PipelineModel model = null;
    if (latest.isPresent()) {
      try {
        model = store.load(latest.get());
      } catch (RuntimeException e) {
        LOG.warn("model {} cannot be loaded from {}: {}; running without a model", latest.get().version(),
            latest.get().path(), NightlyJob.oneLine(e));
      }
    } else {
      LOG.warn("no trained model in {} (run 'nightwatch train'); running without a model", wh.path("models"));
    }
    counts.put("model_present", model == null ? 0L : 1L);
    if (model == null) {
      counts.put("stance_model_present", 0L);
      return new Models(null, null);
    }
    ModelStore.Entry e = latest.get();
    StanceModel.Loaded stance = stance(store, e);
    counts.put("stance_model_present", stance == null ? 0L : 1L);
    Dataset<Row> scored = PropagandaClassifier.score(model, messages.select("message_id", "account_id", "text"))
        .select(col("message_id"), col("account_id"), col(PropagandaClassifier.SCORE),
            Scripts.of(col("text")).as("script"))
        .localCheckpoint();
    NightwatchConfig.Classifier c = cfg.classifier();
    ModelSignals signals = ModelSignals.of(scored, clustered, e.threshold(), c.clusterWeight(), c.accountWeight(),
        new ModelSignals.Consistent(c.consistentMessages(), c.consistentShare(), c.consistentWeight(),
            validatedScripts(e.negativesByScript(), c.minScriptNegatives())), e.version());
    counts.put("model_positive_messages", scored.filter(col(PropagandaClassifier.SCORE).geq(e.threshold())).count());
    LOG.info("model {} (threshold {}) scored the day's messages: {} at or above the threshold", e.version(),
        e.threshold(), counts.get("model_positive_messages"));
    return new Models(signals, stance);
  }

  private static StanceModel.Loaded stance(ModelStore store, ModelStore.Entry e) {
    if (e.stancePath().isEmpty()) {
      LOG.info("model {} has no stance model (too few labelled quotes and replies): the seed terms alone judge stance",
          e.version());
      return null;
    }
    try {
      return new StanceModel.Loaded(store.loadStance(e), e.stanceThreshold());
    } catch (RuntimeException ex) {
      LOG.warn("stance model of {} cannot be loaded from {}: {}; the seed terms alone judge stance", e.version(),
          e.stancePath().get(), NightlyJob.oneLine(ex));
      return null;
    }
  }

  /** Scripts in which the model saw at least {@code min} negative training texts. */
  static Set<String> validatedScripts(Map<String, Long> negativesByScript, long min) {
    Set<String> s = new TreeSet<>();
    negativesByScript.forEach((script, n) -> {
      if (n >= min) {
        s.add(script);
      }
    });
    if (s.isEmpty()) {
      LOG.warn("the model was trained on fewer than {} negative texts in every script; it cannot put an account in "
          + "a review tier alone tonight", min);
    }
    return s;
  }
}
