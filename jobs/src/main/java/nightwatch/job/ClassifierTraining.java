package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.DayInput;
import nightwatch.io.MissingInputException;
import nightwatch.io.ModelStore;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import nightwatch.stages.classify.ClassifierTrainer;
import nightwatch.stages.classify.PropagandaClassifier;
import nightwatch.stages.ingest.InputValidator;
import nightwatch.stages.stance.OwnWords;
import nightwatch.stages.stance.StanceModel;
import nightwatch.stages.text.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly training job: labels the messages of the training window from what reviewers decided, trains
 * the classifier ({@link ClassifierTrainer}), saves it and records the version in {@code models}.
 *
 * <p>Labels: positives are {@code known_propaganda} texts (training split only: they belong to no account)
 * and the messages of accounts that reviewers suspended; negatives are the messages of accounts reviewers
 * dismissed or marked as counter-speech, and a sample of ordinary accounts (never a candidate, never
 * decided on, never suspended). An account with any suspend decision counts as positive.
 * Messages are grouped for the split by their cluster of the day where they have one, else by their
 * exact-duplicate text, so near-duplicates of a training text stay out of the held-out splits.
 */
public final class ClassifierTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ClassifierTraining.class);

  private final SparkSession spark;
  private final NightwatchConfig cfg;
  private final Warehouse wh;

  public ClassifierTraining(SparkSession spark, NightwatchConfig cfg) {
    this.spark = spark;
    this.cfg = cfg;
    this.wh = new Warehouse(spark, cfg.warehouse());
  }

  public record Outcome(String version, String path, ClassifierTrainer.Result result, long positives,
                        long negatives, Optional<StanceModel.Trained> stance) {}

  public Outcome run(LocalDate asOf) {
    NightwatchConfig.Classifier p = cfg.classifier();
    LocalDate from = asOf.minusDays(p.trainingDays() - 1L);
    wh.ensureTables();
    PropagandaClassifier.registerFunctions(spark);

    Dataset<Row> messages = windowMessages(from, asOf).cache();
    // A few hundred thousand texts at most: one partition per core, not one per input file and join.
    Dataset<Row> labelled = label(messages, from, asOf)
        .repartition(spark.sparkContext().defaultParallelism()).cache();
    Row n = labelled.agg(sum(when(col("label").geq(0.5), 1L).otherwise(0L)), count(lit(1))).first();
    long pos = n.isNullAt(0) ? 0 : n.getLong(0);
    long neg = n.getLong(1) - pos;
    LOG.info("training window {} .. {}: {} positive and {} negative texts", from, asOf, pos, neg);

    ClassifierTrainer.Result r = ClassifierTrainer.fit(ClassifierTrainer.split(labelled, p.holdoutShare(), 1L), p,
        p.targetPrecision());
    labelled.unpersist();
    Optional<StanceModel.Trained> stance = trainStance(messages, asOf);
    messages.unpersist();
    String version = asOf + "-" + UUID.randomUUID().toString().substring(0, 8);
    ModelStore store = new ModelStore(spark, wh);
    Row row = RowFactory.create(version, Timestamp.from(Instant.now()), store.pathFor(version),
        java.sql.Date.valueOf(from), java.sql.Date.valueOf(asOf), pos, neg, r.trainAccounts(), r.validationRows(),
        r.testRows(), r.test().auc(), r.testPrecision(), r.testRecall(), r.threshold(), p.targetPrecision(),
        r.regParam(), cfg.digest(), r.negativesByScript(), stance.map(t -> store.stancePathFor(version)).orElse(null),
        stance.map(StanceModel.Trained::threshold).orElse(null), stance.map(StanceModel.Trained::positives).orElse(null),
        stance.map(StanceModel.Trained::negatives).orElse(null), stance.map(StanceModel.Trained::testAuc).orElse(null));
    store.save(version, r.model(), stance.map(StanceModel.Trained::model).orElse(null),
        spark.createDataFrame(List.of(row), Tables.schema(Tables.MODELS).struct()));
    LOG.info("model {} saved to {}", version, store.pathFor(version));
    return new Outcome(version, store.pathFor(version), r, pos, neg, stance);
  }

  /** The stance model, from the own words of the window's messages by decided accounts (StanceModel). */
  private Optional<StanceModel.Trained> trainStance(Dataset<Row> messages, LocalDate asOf) {
    // labelled() joins the decisions again; the semi-join first keeps the Lucene analysis to decided accounts.
    Dataset<Row> decisions = decisions(asOf).cache();
    Dataset<Row> decided = messages.join(decisions.select("account_id").distinct(), "account_id", "left_semi");
    try {
      return StanceModel.fit(StanceModel.labelled(OwnWords.annotate(decided, cfg.scoring().safeguards()), decisions),
          cfg.scoring().safeguards().stanceModel(), cfg.classifier().holdoutShare());
    } finally {
      decisions.unpersist();
    }
  }

  /** Review decisions known on {@code asOf}: account_id, decision. */
  private Dataset<Row> decisions(LocalDate asOf) {
    Column asOfEnd = lit(asOf.plusDays(1).toString()).cast("timestamp");
    return wh.read(Tables.REVIEW_DECISIONS)
        .filter(col("ds").leq(lit(asOf.toString()).cast("date"))
            .and(col("decided_at").isNull().or(col("decided_at").lt(asOfEnd))))
        .select("account_id", "decision");
  }

  /** Valid messages of every day of the window that has input (days without input are skipped). */
  private Dataset<Row> windowMessages(LocalDate from, LocalDate to) {
    NightwatchConfig.Input in = cfg.input();
    List<Dataset<Row>> days = new ArrayList<>();
    Instant now = Instant.now();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      Dataset<Row> lines = DayInput.optional(spark, in.path(in.messages(), d), in.format());
      if (lines == null) {
        LOG.info("no messages for {} at {}: day skipped", d, in.path(in.messages(), d));
        continue;
      }
      days.add(InputValidator.validate(lines, Tables.schema("messages"),
              new InputValidator.Rules("messages", "message_id", "created_at", true, "text",
                  cfg.limits().maxTextChars(), cfg.limits().clockSkewMinutes()), d, now).valid()
          .select(col("message_id"), col("account_id"), col("text"), col("quote_of"), col("reply_to"),
              col("retweet_of"), lit(d.toString()).cast("date").as("ds")));
    }
    if (days.isEmpty()) {
      throw new MissingInputException("missing input: no messages in the training window " + from + " .. " + to
          + " (" + in.path(in.messages(), from) + " ...)");
    }
    return days.stream().reduce(Dataset::unionByName).orElseThrow();
  }

  /** text, account_id, label, group_id, forced_split, hard_negative (the reviewed negatives). */
  private Dataset<Row> label(Dataset<Row> messages, LocalDate from, LocalDate asOf) {
    Dataset<Row> decisions = decisions(asOf)
        .groupBy("account_id").agg(
            max(when(col("decision").equalTo("suspend"), 1.0)).as("_pos"),
            max(when(col("decision").isin("dismiss", "counter_speech"), 1.0)).as("_neg"))
        .select(col("account_id"), when(col("_pos").isNotNull(), 1.0).when(col("_neg").isNotNull(), 0.0).as("label"))
        .filter(col("label").isNotNull());
    Dataset<Row> notOrdinary = wh.read(Tables.SUSPENSION_CANDIDATES).select("account_id")
        .union(wh.read(Tables.SUSPENSIONS).select("account_id"))
        .union(wh.read(Tables.REVIEW_DECISIONS).select("account_id"))
        .distinct();
    double share = cfg.classifier().ordinarySample();
    // Sampled by account, so that an ordinary account's messages stay together in one split.
    Dataset<Row> ordinary = messages.join(notOrdinary, new String[] {"account_id"}, "left_anti")
        .filter(pmod(xxhash64(col("account_id"), lit(11L)), lit(1_000_000L)).lt((long) (share * 1_000_000)))
        .withColumn("label", lit(0.0)).withColumn(ClassifierTrainer.HARD_NEGATIVE, lit(false));
    Dataset<Row> decided = messages.join(decisions, "account_id")
        .withColumn(ClassifierTrainer.HARD_NEGATIVE, col("label").lt(0.5));
    Dataset<Row> clusterOf = wh.read(Tables.MESSAGE_CLUSTERS)
        .filter(col("ds").between(lit(from.toString()).cast("date"), lit(asOf.toString()).cast("date")))
        .select("ds", "message_id", "cluster_id");
    Dataset<Row> accountRows = decided.unionByName(ordinary)
        .join(clusterOf, new String[] {"ds", "message_id"}, "left");
    Dataset<Row> known = wh.read(Tables.KNOWN_PROPAGANDA)
        .select(col("text"), concat(lit("known:"), col("ref_id")).as("account_id"), lit(1.0).as("label"),
            lit(null).cast("string").as("cluster_id"), lit("train").as("forced_split"),
            lit(false).as(ClassifierTrainer.HARD_NEGATIVE));
    Dataset<Row> all = accountRows
        .select(col("text"), col("account_id"), col("label"), col("cluster_id"),
            lit(null).cast("string").as("forced_split"), col(ClassifierTrainer.HARD_NEGATIVE))
        .unionByName(known);
    return Normalizer.apply(all)
        // xxhash64 of null is not null: choose the key explicitly.
        .withColumn("group_id", when(col("cluster_id").isNotNull(), xxhash64(lit("c"), col("cluster_id")))
            .otherwise(xxhash64(col("norm_text"))))
        .select("text", "account_id", "label", "group_id", "forced_split", ClassifierTrainer.HARD_NEGATIVE);
  }
}
