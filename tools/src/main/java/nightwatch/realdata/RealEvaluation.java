package nightwatch.realdata;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Storage;
import nightwatch.generate.GeneratedDay;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.ModelStore;
import nightwatch.io.Warehouse;
import nightwatch.job.NightlyJob;
import nightwatch.schema.Tables;
import nightwatch.stages.classify.BinaryMetrics;
import nightwatch.stages.classify.ClassifierTrainer;
import nightwatch.stages.classify.PropagandaClassifier;
import nightwatch.stages.text.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluation on the public tweets of the shared data folder (see its README for the sources):
 * <ol>
 *   <li>the classifier on an account split: Fifth Tribe pro-ISIS tweets against the 2018 background tweets and
 *       the IRA October 2016 tweets that mention ISIS (hard negatives);</li>
 *   <li>a replay: one month of Fifth Tribe tweets as their accounts' messages in a synthetic day, with held-out
 *       background and IRA ISIS-commentary accounts, known_propaganda seeded from the months before, and a
 *       model trained only on data from before that month and on other negative accounts; the nightly job runs
 *       and the candidate tiers are counted.</li>
 * </ol>
 * Real clustering figures are not computed here (null).
 */
public final class RealEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(RealEvaluation.class);
  static final String MARKER = ".nightwatch-evaluate-real";
  static final LocalDate REPLAY_DAY = LocalDate.of(2026, 11, 20);

  private final SparkSession spark;
  private final NightwatchConfig cfg;
  private final String dataDir;
  private final long syntheticMessages;

  public RealEvaluation(SparkSession spark, NightwatchConfig cfg, String dataDir, long syntheticMessages) {
    this.spark = spark;
    this.cfg = cfg;
    this.dataDir = dataDir;
    this.syntheticMessages = syntheticMessages;
  }

  /** Why the data cannot be used (a missing folder or file), or null when all three files are there. */
  public static String missingFile(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "data folder " + dir.toAbsolutePath().normalize() + " not found";
    }
    for (String f : List.of(FifthTribe.FILE, Background2018.FILE, IraCommentary.FILE)) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        return "data file " + f + " not found in " + dir.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  public Map<String, Object> run() {
    PropagandaClassifier.registerFunctions(spark);
    prepareWarehouse(cfg.warehouse());
    Dataset<Row> ft = FifthTribe.read(spark, dataDir).cache();
    Dataset<Row> bg = Background2018.read(spark, dataDir).cache();
    Dataset<Row> ira = IraCommentary.read(spark, dataDir).cache();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sources", List.of(
        "Fifth Tribe, \"How ISIS Uses Twitter\" (CC0): " + FifthTribe.FILE,
        "random tweets from 2018, origin undocumented: " + Background2018.FILE,
        "Internet Research Agency troll tweets, October 2016, published by FiveThirtyEight (2018): "
            + IraCommentary.FILE + ", only tweets mentioning ISIS/ISIL/Daesh/Islamic State"));
    long t0 = System.nanoTime();
    double reg = accountSplit(ft, bg, ira, out);
    out.put("classifier_seconds", (System.nanoTime() - t0) / 1_000_000_000L);
    t0 = System.nanoTime();
    replay(ft, bg, ira, reg, out);
    out.put("replay_seconds", (System.nanoTime() - t0) / 1_000_000_000L);
    out.put("real_cluster_pair_precision", null);
    out.put("real_cluster_pair_recall", null);
    out.put("real_cluster_note", "not computed by evaluate-real: the clustering evaluation on the IRA data is "
        + "measured separately");
    return out;
  }

  private static Dataset<Row> labelled(Dataset<Row> rows, double label, String kind) {
    // The commentary about ISIS stands for what reviewers dismiss or mark as counter-speech in production.
    return rows.select(col("text"), col("account_id"), lit(label).as("label"), lit(kind).as("kind"),
        lit(kind.equals("commentary")).as(ClassifierTrainer.HARD_NEGATIVE));
  }

  /** Groups for the split: the exact-duplicate text after normalisation (retweets and copies). */
  private static Dataset<Row> grouped(Dataset<Row> labelled) {
    return Normalizer.apply(labelled).withColumn("group_id", xxhash64(col("norm_text")))
        .drop("norm_text", "hashtags", "domains");
  }

  /** Part 1; returns the regularisation chosen by cross-validation. */
  private double accountSplit(Dataset<Row> ft, Dataset<Row> bg, Dataset<Row> ira, Map<String, Object> out) {
    Dataset<Row> all = grouped(labelled(ft, 1.0, "propaganda")
        .unionByName(labelled(bg, 0.0, "background"))
        .unionByName(labelled(ira, 0.0, "commentary")));
    NightwatchConfig.Classifier p = cfg.classifier();
    Dataset<Row> split = ClassifierTrainer.split(all, p.holdoutShare(), 1L).cache();
    for (Row r : split.groupBy("split", "kind").agg(count(lit(1)), countDistinct("account_id")).orderBy("split", "kind")
        .collectAsList()) {
      out.put("rows_" + r.getString(0) + "_" + r.getString(1), r.getLong(2));
      out.put("accounts_" + r.getString(0) + "_" + r.getString(1), r.getLong(3));
    }
    ClassifierTrainer.Result r = ClassifierTrainer.fit(split, p, p.targetPrecision());
    BinaryMetrics hard = BinaryMetrics.of(r.testScored().filter(col("kind").isin("propaganda", "commentary")),
        PropagandaClassifier.SCORE);
    out.put("classifier_auc", r.test().auc());
    out.put("classifier_threshold", r.threshold());
    out.put("classifier_precision", r.testPrecision());
    out.put("classifier_recall", r.testRecall());
    out.put("hard_negative_precision", hard.precisionAt(r.threshold()));
    out.put("hard_negative_recall", hard.recallAt(r.threshold()));
    out.put("hard_negative_auc", hard.auc());
    out.put("classifier_reg_param", r.regParam());
    out.put("classifier_test_positive_texts", r.test().positives());
    out.put("classifier_test_negative_texts", r.test().negatives());
    out.put("hard_negative_test_texts", hard.negatives());
    // Logged as soon as known: the replay that follows takes long, and a lost run keeps these.
    LOG.info("account split: AUC {}, threshold {}, precision {}, recall {}; hard negatives: precision {}, recall {}, "
        + "AUC {}", r.test().auc(), r.threshold(), r.testPrecision(), r.testRecall(), hard.precisionAt(r.threshold()),
        hard.recallAt(r.threshold()), hard.auc());
    r.testScored().unpersist();
    split.unpersist();
    return r.regParam();
  }

  /** Part 2. */
  private void replay(Dataset<Row> ft, Dataset<Row> bg, Dataset<Row> ira, double reg, Map<String, Object> out) {
    // The busiest month of the Fifth Tribe data is replayed; everything before it is "known".
    Row busiest = ft.groupBy(date_trunc("month", col("created_at")).as("m")).count()
        .orderBy(col("count").desc(), col("m")).first();
    Timestamp monthStart = busiest.getTimestamp(0);
    Column inMonth = date_trunc("month", col("created_at")).equalTo(lit(monthStart));
    Dataset<Row> earlier = ft.filter(col("created_at").lt(lit(monthStart)));
    Dataset<Row> month = ft.filter(inMonth);
    // Negative accounts split in two: one half trains the replay model, the other half is replayed.
    Column trainHalf = pmod(xxhash64(col("account_id"), lit(3L)), lit(2L)).equalTo(0L);
    Dataset<Row> iraReplay = ira.filter(not(trainHalf));
    Dataset<Row> bgReplay = bg.filter(not(trainHalf));
    out.put("replay_month", monthStart.toLocalDateTime().toLocalDate().toString().substring(0, 7));

    NightwatchConfig.Classifier p = cfg.classifier();
    NightwatchConfig.Classifier one = new NightwatchConfig.Classifier(p.trainingDays(), p.targetPrecision(),
        p.holdoutShare(), p.ordinarySample(), p.numFeatures(), p.charNgrams(), p.binaryTf(), p.folds(), List.of(reg), p.maxIter(),
        p.hardNegativeShare(), p.clusterWeight(), p.accountWeight(), p.consistentMessages(), p.consistentShare(), p.consistentWeight(),
        p.minScriptNegatives());
    Dataset<Row> train = grouped(labelled(earlier, 1.0, "propaganda")
        .unionByName(labelled(bg.filter(trainHalf), 0.0, "background"))
        .unionByName(labelled(ira.filter(trainHalf), 0.0, "commentary")));
    ClassifierTrainer.Result r = ClassifierTrainer.fit(ClassifierTrainer.split(train, p.holdoutShare(), 2L), one,
        p.targetPrecision());
    r.testScored().unpersist();
    Warehouse wh = new Warehouse(spark, cfg.warehouse());
    wh.ensureTables();
    ModelStore store = new ModelStore(spark, wh);
    String version = "replay-" + out.get("replay_month");
    Row row = RowFactory.create(version, Timestamp.from(Instant.now()), store.pathFor(version),
        java.sql.Date.valueOf(LocalDate.of(2015, 1, 1)), new java.sql.Date(monthStart.getTime() - 86_400_000L),
        r.test().positives(), r.test().negatives(), r.trainAccounts(), r.validationRows(), r.testRows(),
        r.test().auc(), r.testPrecision(), r.testRecall(), r.threshold(), p.targetPrecision(), r.regParam(),
        cfg.digest(), r.negativesByScript(), null, null, null, null, null);
    store.save(version, r.model(), null, spark.createDataFrame(List.of(row), Tables.schema(Tables.MODELS).struct()));
    out.put("replay_model_threshold", r.threshold());

    // The synthetic day, with the real accounts' messages moved onto it (same time of day).
    LocalDate d = REPLAY_DAY;
    GeneratedDay day = SyntheticDay.generate(spark, d, syntheticMessages, 7L);
    Dataset<Row> extra = asMessages(month, d).unionByName(asMessages(iraReplay, d)).unionByName(asMessages(
        bgReplay.withColumn("created_at", timestamp_seconds(pmod(xxhash64(col("message_id")), lit(86400L)))), d));
    Dataset<Row> extraAccounts = extra.select("account_id").distinct()
        .join(ft.select("account_id", "handle", "display_name", "description", "followers")
            .unionByName(ira.select(col("account_id"), col("handle"), lit(null).cast("string").as("display_name"),
                lit(null).cast("string").as("description"), col("followers")))
            .dropDuplicates("account_id"), new String[] {"account_id"}, "left")
        .select(col("account_id"), col("handle"), col("display_name"), col("description"),
            // Unknown: the shared files carry no creation times. One made-up instant for every account would read
            // as accounts created together (CREATED_TOGETHER); null counts as neither young nor created together.
            lit(null).cast("timestamp").as("created_at"), coalesce(col("followers"), lit(100L))
                .as("followers"), lit(100L).as("following"), lit(false).as("verified"));
    Dataset<Row> known = earlier.select(
        concat(lit("kp-ft-"), col("message_id")).as("ref_id"), col("text"), lit("pro-ISIS (Fifth Tribe)").as("label"),
        lit("fifthtribe").as("source"), col("created_at").as("added_at"));
    Map<String, Dataset<Row>> reference = new LinkedHashMap<>(day.reference());
    reference.put(Tables.KNOWN_PROPAGANDA, reference.get(Tables.KNOWN_PROPAGANDA).unionByName(known));
    // The real messages have no urls, mentions or media: those columns are null for them.
    GeneratedDay mixed = new GeneratedDay(day.messages().unionByName(extra, true),
        day.accounts().unionByName(extraAccounts), day.reports(), reference, day.truthMessages(),
        day.truthAccounts());
    String input = cfg.input().path(cfg.input().root(), d);
    SyntheticDay.write(mixed, input);
    // Public and synthetic data only, in a scratch warehouse: like the demo, a random pseudonym key when the
    // environment has none (the nightly command itself refuses to run without one).
    new NightlyJob(spark, cfg, nightwatch.privacy.Pseudonymizer.fromEnvironmentOrRandom(cfg.pseudonymKeyEnv(),
        System.getenv())).run(d);

    Dataset<Row> cands = wh.read(Tables.SUSPENSION_CANDIDATES).filter(col("ds").equalTo(lit(d.toString()).cast("date")))
        .select("account_id", "tier", "status", "reasons");
    Dataset<Row> ftAccounts = month.select("account_id").distinct();
    Dataset<Row> csAccounts = iraReplay.select("account_id").distinct();
    Row f = shares(ftAccounts, cands);
    Row c = shares(csAccounts, cands);
    out.put("replay_propagandist_accounts", f.getLong(0));
    out.put("replay_propagandist_recall", f.getLong(2) / (double) f.getLong(0));
    out.put("replay_propagandist_any_tier", f.getLong(1) / (double) f.getLong(0));
    out.put("replay_commentary_accounts", c.getLong(0));
    out.put("replay_commentary_flag_rate", c.getLong(1) / (double) Math.max(1, c.getLong(0)));
    out.put("replay_commentary_review_tier_rate", c.getLong(2) / (double) Math.max(1, c.getLong(0)));
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (Row x : ftAccounts.join(cands, "account_id").filter(col("tier").isNotNull())
        .select(explode(col("reasons")).as("r")).groupBy("r").count().orderBy(col("count").desc()).collectAsList()) {
      reasons.put(x.getString(0), x.getLong(1));
    }
    out.put("replay_propagandist_reasons", reasons);
  }

  /** accounts, accounts in any tier, accounts in T1 or T2. */
  private static Row shares(Dataset<Row> accounts, Dataset<Row> cands) {
    return accounts.join(cands, new String[] {"account_id"}, "left")
        .agg(countDistinct("account_id"), countDistinct(when(col("tier").isNotNull(), col("account_id"))),
            countDistinct(when(col("tier").isin("T1", "T2"), col("account_id"))))
        .first();
  }

  /** Message contract rows on day d, keeping each tweet's time of day. */
  private static Dataset<Row> asMessages(Dataset<Row> rows, LocalDate d) {
    Column secOfDay = pmod(unix_timestamp(col("created_at")), lit(86400L));
    return rows.select(col("message_id"), col("account_id"),
        timestamp_seconds(lit(d.toEpochDay() * 86400L).plus(secOfDay)).as("created_at"), col("text"),
        lit(null).cast("string").as("lang"), lit(null).cast("string").as("reply_to"),
        lit(null).cast("string").as("retweet_of"), lit(null).cast("string").as("quote_of"));
  }

  /** The scratch warehouse (any Hadoop URI) is replaced on each run, but only a folder this command made or an empty one. */
  private void prepareWarehouse(String dir) {
    org.apache.hadoop.conf.Configuration conf = Storage.conf(spark);
    org.apache.hadoop.fs.FileStatus[] entries = Storage.list(conf, dir);
    String marker = Storage.child(dir, MARKER);
    if (entries.length > 0 && !Storage.exists(conf, marker)) {
      throw new IllegalArgumentException("refusing to replace " + dir + ": not empty and not made by evaluate-real "
          + "(no " + MARKER + "); pass another --warehouse");
    }
    for (org.apache.hadoop.fs.FileStatus e : entries) {
      Storage.deleteRecursively(conf, e.getPath().toString());
    }
    Storage.writeString(conf, marker, "scratch warehouse of nightwatch evaluate-real\n");
  }
}
