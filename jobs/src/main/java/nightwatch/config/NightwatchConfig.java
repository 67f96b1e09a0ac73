package nightwatch.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration as one typed, validated object. Defaults live in {@code reference.conf}; a file
 * from {@code conf/} and command-line overrides are layered on top. Unknown keys and wrong types fail at
 * start-up with a message that names the key.
 */
public record NightwatchConfig(String warehouse, Input input, Limits limits, Text text, Lsh lsh,
                               Cluster cluster, Scoring scoring, Report report, Gates gates,
                               RunLock runLock, Classifier classifier, Catalog catalog, Execution execution,
                               Maintenance maintenance, String pseudonymKeyEnv, String digest) {

  public record Input(String root, String messages, String accounts, String reports, String reference,
                      String format, boolean requireSuccessMarker) {
    /** Location of a dataset for a day, with {root} and {ds} filled in. */
    public String path(String template, LocalDate ds) {
      return template.replace("{root}", root).replace("{ds}", ds.toString());
    }
  }

  public record Limits(int maxTextChars, int clockSkewMinutes) {}

  public record Text(int wordShingleSize, int charShingleSize, int minWordsForWordShingles, int minShingles,
                     int numFeatures) {
    /** The shortest normalised content that can give minShingles character shingles; shorter is near-empty. */
    public int minChars() {
      return charShingleSize + minShingles - 1;
    }
  }

  public record Lsh(double threshold, int numHashes, double verifySlack, long seed, double falseNegativeWeight,
                    int pairBucketSize) {}

  public record Cluster(int minMessages, int minAccounts, int maxCcRounds, Links links, Media media) {}

  /**
   * Media clusters (stages.media): the same file (md5) or near-identical images (PDQ within max-distance of 256 bits)
   * posted by min-accounts accounts; PDQ candidates by bit-sampling LSH with bands of bits-per-band bits.
   */
  public record Media(int minAccounts, int maxDistance, int bands, int bitsPerBand) {}

  /**
   * Co-link clusters (stages.links): a canonical URL whose first shares by at least min-accounts accounts fall within
   * one coordination interval. The interval is estimated from the day's own sharing times as CooRnet does (the
   * median, over the quickest interval-quantile of the URLs shared more than once, of the time from a URL's first
   * share to the share past interval-share of its shares), then held within [min, max].
   */
  public record Links(int minAccounts, double intervalQuantile, double intervalShare, int minIntervalSeconds,
                      int maxIntervalSeconds) {}

  public record Reports(int newReporterDays, double newReporterWeight, double youngReporterWeight,
                        int brigadeWindowSeconds, int brigadeMinReports, double fullStrength, int historyDays,
                        double precisionPrior, double precisionPriorWeight, double precisionMaxFactor) {}

  public record Evasion(int lookbackDays, int maxAccountAgeDays, int handleNgram, int bands, int rows,
                        double minHandleSimilarity, double minNameSimilarity, double minDescriptionSimilarity,
                        double scoreWeight) {}

  public record Scoring(int youngAccountDays, int coordinationWindowShortSeconds,
                        int coordinationWindowLongSeconds, int creationWindowSeconds, double flaggedClusterScore, int originatorsPerCluster,
                        double tierT1, double tierT2, double tierT3, double counterSpeechShare, Reports reports,
                        Evasion evasion, Safeguards safeguards) {}

  /**
   * What keeps commentators, reporters and brigade targets out of the tiers: what counts as a quote with words of the
   * author's own, and the behaviours that give an account status protected_review (see docs/reason-codes.md).
   */
  public record Safeguards(int minOwnWords, int minQuotedChars, int reporterMinReports, int upheldMinDecided,
                           double upheldMinPrecision, int counterSpeechMinMessages, double counterSpeechDayShare,
                           int brigadeTargetMinMessages, StanceModel stanceModel) {}

  /**
   * The learnt stance model (trained by {@code train} beside the classifier, used by the nightly job when present):
   * hashed features of the own words of quotes and replies, logistic regression, a threshold chosen on the
   * validation accounts for target-precision; not trained with fewer than min-texts texts in either class.
   */
  public record StanceModel(int numFeatures, double regParam, int maxIter, double targetPrecision, long minTexts) {}

  public record Report(int topClusters, int maxCandidates) {}

  /** Data-quality gates checked after validation, before any write (see docs/operations.md). */
  public record Gates(double minVolumeFraction, int historyDays, int minHistoryDays, double maxRejectedShare) {}

  /** The per-day run lock (see io.DayLock): a lock not renewed for a lease is taken over. */
  public record RunLock(java.time.Duration lease) {}

  /** Retention in days (0: forever), and what OPTIMIZE and VACUUM keep. */
  public record Maintenance(int optimizeDays, int dailyRetentionDays, int rejectedRawDays, int reportLogDays,
                            int reportDays, int vacuumRetentionHours, int logRetentionDays) {}

  public record Classifier(int trainingDays, double targetPrecision, double holdoutShare, double ordinarySample,
                           int numFeatures, java.util.List<Integer> charNgrams, boolean binaryTf, int folds, java.util.List<Double> regParams, int maxIter,
                           double hardNegativeShare, double clusterWeight, double accountWeight, int consistentMessages,
                           double consistentShare, double consistentWeight, long minScriptNegatives) {}

  /** Where tables are registered by name: a database, in a shared Hive metastore or the embedded one. */
  public record Catalog(String database, String metastoreUri, String metastoreDir) {}

  /** How the nightly job stores its reused intermediates (a Spark storage level name). */
  public record Execution(String intermediateStorage) {
    public org.apache.spark.storage.StorageLevel storageLevel() {
      return org.apache.spark.storage.StorageLevel.fromString(intermediateStorage);
    }
  }

  /** Thrown for a bad config file or value; the message names the key. */
  public static final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
      super(message);
    }
  }

  private static final String ROOT = "nightwatch";

  /** Defaults only. */
  public static NightwatchConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * Loads defaults, then {@code file} (may be null), then {@code overrides} (full keys such as
   * "nightwatch.warehouse").
   */
  public static NightwatchConfig load(File file, Map<String, ?> overrides) {
    Config reference = ConfigFactory.parseResources(NightwatchConfig.class.getClassLoader(), "reference.conf");
    // Merged unresolved (so a user's warehouse flows into ${nightwatch.warehouse}); checked against the resolved copy.
    Config referenceResolved = reference.resolve();
    Config user = ConfigFactory.empty();
    if (file != null) {
      if (!file.isFile()) {
        throw new InvalidConfigException("config file not found: " + file);
      }
      try {
        user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new InvalidConfigException("cannot parse " + file + ": " + e.getMessage());
      }
    }
    user = ConfigFactory.parseMap(overrides, "command line").withFallback(user);
    Config userResolved;
    try {
      userResolved = user.resolveWith(user.withFallback(reference));
    } catch (ConfigException e) {
      throw new InvalidConfigException("invalid config: " + e.getMessage());
    }
    for (Map.Entry<String, ConfigValue> e : userResolved.entrySet()) {
      if (!referenceResolved.hasPathOrNull(e.getKey())) {
        throw new InvalidConfigException("unknown config key: " + e.getKey()
            + " (" + e.getValue().origin().description() + ")");
      }
    }
    Config c;
    try {
      c = user.withFallback(reference).resolve();
      c.checkValid(referenceResolved, ROOT);
      checkTypes(c, referenceResolved);
      return from(c.getConfig(ROOT), digest(c.getConfig(ROOT)));
    } catch (ConfigException e) {
      throw new InvalidConfigException("invalid config: " + e.getMessage());
    }
  }

  /** Reads every key with its reference type on its full path, so a wrong type names the whole key. */
  private static void checkTypes(Config c, Config reference) {
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      String key = e.getKey();
      Object ref = e.getValue().unwrapped();
      try {
        if (ref instanceof Integer || ref instanceof Long) {
          double v = c.getNumber(key).doubleValue();
          if (v != Math.rint(v)) {
            throw new InvalidConfigException("invalid config: " + key + " must be a whole number, got " + v);
          }
        } else if (ref instanceof Number) {
          c.getDouble(key);
        } else if (ref instanceof Boolean) {
          c.getBoolean(key);
        } else if (ref instanceof String) {
          c.getString(key);
        }
      } catch (ConfigException.WrongType ex) {
        throw new InvalidConfigException("invalid config: " + key + " has the wrong type (expected "
            + e.getValue().valueType().name().toLowerCase(java.util.Locale.ROOT) + "): " + ex.getMessage());
      }
    }
  }

  private static NightwatchConfig from(Config c, String digest) {
    Config in = c.getConfig("input");
    String format = in.getString("format");
    if (!java.util.List.of("auto", "json", "parquet", "delta").contains(format)) {
      throw new InvalidConfigException("invalid config: nightwatch.input.format must be auto, json, parquet or delta, got "
          + format);
    }
    Config t = c.getConfig("text");
    Config l = c.getConfig("lsh");
    double threshold = l.getDouble("threshold");
    if (threshold <= 0 || threshold >= 1) {
      throw new InvalidConfigException("invalid config: nightwatch.lsh.threshold must be in (0, 1), got " + threshold);
    }
    if (l.getInt("num-hashes") < 4) {
      throw new InvalidConfigException("invalid config: nightwatch.lsh.num-hashes must be at least 4");
    }
    Config cl = c.getConfig("cluster");
    Config s = c.getConfig("scoring");
    Config r = s.getConfig("reports");
    double t1 = s.getDouble("tier-t1");
    double t2 = s.getDouble("tier-t2");
    double t3 = s.getDouble("tier-t3");
    if (!(t1 > t2 && t2 > t3 && t3 > 0)) {
      throw new InvalidConfigException("invalid config: nightwatch.scoring tier thresholds must satisfy tier-t1 > tier-t2 > tier-t3 > 0");
    }
    return new NightwatchConfig(
        c.getString("warehouse"),
        new Input(in.getString("root"), in.getString("messages"), in.getString("accounts"), in.getString("reports"),
            in.getString("reference"), format, in.getBoolean("require-success-marker")),
        new Limits(c.getInt("limits.max-text-chars"), c.getInt("limits.clock-skew-minutes")),
        new Text(t.getInt("word-shingle-size"), t.getInt("char-shingle-size"), t.getInt("min-words-for-word-shingles"),
            t.getInt("min-shingles"), t.getInt("num-features")),
        new Lsh(threshold, l.getInt("num-hashes"), l.getDouble("verify-slack"), l.getLong("seed"),
            l.getDouble("false-negative-weight"), l.getInt("pair-bucket-size")),
        new Cluster(cl.getInt("min-messages"), cl.getInt("min-accounts"), cl.getInt("max-cc-rounds"), links(cl),
            media(cl)),
        new Scoring(s.getInt("young-account-days"), s.getInt("coordination-window-short-seconds"),
            s.getInt("coordination-window-long-seconds"), creationWindow(s),
            s.getDouble("flagged-cluster-score"),
            s.getInt("originators-per-cluster"), t1, t2, t3, s.getDouble("counter-speech-share"),
            new Reports(r.getInt("new-reporter-days"), r.getDouble("new-reporter-weight"),
                r.getDouble("young-reporter-weight"), r.getInt("brigade-window-seconds"),
                r.getInt("brigade-min-reports"), r.getDouble("full-strength"), r.getInt("history-days"),
                r.getDouble("precision-prior"), r.getDouble("precision-prior-weight"),
                r.getDouble("precision-max-factor")),
            evasion(s.getConfig("evasion")), safeguards(s.getConfig("safeguards"))),
        new Report(c.getInt("report.top-clusters"), c.getInt("report.max-candidates")),
        gates(c.getConfig("gates")),
        runLock(c.getConfig("run-lock")),
        classifier(c.getConfig("classifier")),
        catalog(c.getConfig("catalog")),
        execution(c.getConfig("execution")),
        maintenance(c.getConfig("maintenance"), c.getInt("scoring.reports.history-days")),
        c.getString("pseudonym-key-env"),
        digest);
  }

  private static Gates gates(Config g) {
    double fraction = g.getDouble("min-volume-fraction");
    double share = g.getDouble("max-rejected-share");
    if (fraction < 0 || fraction > 1) {
      throw new InvalidConfigException("invalid config: nightwatch.gates.min-volume-fraction must be in [0, 1], got "
          + fraction);
    }
    if (share < 0 || share > 1) {
      throw new InvalidConfigException("invalid config: nightwatch.gates.max-rejected-share must be in [0, 1], got "
          + share);
    }
    if (g.getInt("history-days") < 1 || g.getInt("min-history-days") < 1) {
      throw new InvalidConfigException("invalid config: nightwatch.gates.history-days and min-history-days must be >= 1");
    }
    return new Gates(fraction, g.getInt("history-days"), g.getInt("min-history-days"), share);
  }

  private static Maintenance maintenance(Config m, int reportHistoryDays) {
    for (String k : List.of("optimize-days", "daily-retention-days", "rejected-raw-days", "report-log-days",
        "report-days", "vacuum-retention-hours", "log-retention-days")) {
      if (m.getInt(k) < 0) {
        throw new InvalidConfigException("invalid config: nightwatch.maintenance." + k + " must be >= 0");
      }
    }
    if (m.getInt("report-log-days") != 0 && m.getInt("report-log-days") < reportHistoryDays) {
      throw new InvalidConfigException("invalid config: nightwatch.maintenance.report-log-days must be at least "
          + "nightwatch.scoring.reports.history-days (" + reportHistoryDays + ")");
    }
    if (m.getInt("log-retention-days") < 1) {
      throw new InvalidConfigException("invalid config: nightwatch.maintenance.log-retention-days must be >= 1");
    }
    if (m.getInt("vacuum-retention-hours") < 168) {
      // Delta refuses a shorter VACUUM retention: a concurrent reader or writer could lose files it still needs.
      throw new InvalidConfigException("invalid config: nightwatch.maintenance.vacuum-retention-hours must be >= 168");
    }
    return new Maintenance(m.getInt("optimize-days"), m.getInt("daily-retention-days"), m.getInt("rejected-raw-days"),
        m.getInt("report-log-days"), m.getInt("report-days"), m.getInt("vacuum-retention-hours"),
        m.getInt("log-retention-days"));
  }

  private static RunLock runLock(Config k) {
    int lease = k.getInt("lease-seconds");
    if (lease < 10) {
      throw new InvalidConfigException("invalid config: nightwatch.run-lock.lease-seconds must be at least 10, got "
          + lease);
    }
    return new RunLock(java.time.Duration.ofSeconds(lease));
  }

  private static Classifier classifier(Config k) {
    double tp = k.getDouble("target-precision");
    double hs = k.getDouble("holdout-share");
    if (tp <= 0 || tp >= 1 || hs <= 0 || hs >= 0.5) {
      throw new InvalidConfigException("invalid config: nightwatch.classifier.target-precision must be in (0, 1) and "
          + "holdout-share in (0, 0.5)");
    }
    if (k.getIntList("char-ngrams").stream().anyMatch(n -> n < 1)) {
      throw new InvalidConfigException("invalid config: nightwatch.classifier.char-ngrams must be at least 1 each, got "
          + k.getIntList("char-ngrams"));
    }
    if (k.getInt("folds") < 2 || k.getDoubleList("reg-params").isEmpty()) {
      throw new InvalidConfigException("invalid config: nightwatch.classifier.folds must be at least 2 and reg-params "
          + "not empty");
    }
    double hardShare = k.getDouble("hard-negative-share");
    if (hardShare <= 0 || hardShare >= 1) {
      throw new InvalidConfigException("invalid config: nightwatch.classifier.hard-negative-share must be in (0, 1), got "
          + hardShare);
    }
    double share = k.getDouble("consistent-share");
    double weight = k.getDouble("consistent-weight");
    if (k.getInt("consistent-messages") < 1 || share <= 0 || share > 1 || weight < 0 || weight > 1) {
      throw new InvalidConfigException("invalid config: nightwatch.classifier.consistent-messages must be at least 1, "
          + "consistent-share in (0, 1] and consistent-weight in [0, 1]");
    }
    return new Classifier(k.getInt("training-days"), tp, hs, k.getDouble("ordinary-sample"), k.getInt("num-features"),
        k.getIntList("char-ngrams"), k.getBoolean("binary-tf"), k.getInt("folds"), k.getDoubleList("reg-params"), k.getInt("max-iter"),
        hardShare, k.getDouble("cluster-weight"), k.getDouble("account-weight"), k.getInt("consistent-messages"), share, weight,
        k.getLong("min-script-negatives"));
  }

  private static Evasion evasion(Config e) {
    if (e.getInt("bands") < 1 || e.getInt("rows") < 1 || e.getInt("handle-ngram") < 1) {
      throw new InvalidConfigException("invalid config: nightwatch.scoring.evasion bands, rows and handle-ngram must be >= 1");
    }
    return new Evasion(e.getInt("lookback-days"), e.getInt("max-account-age-days"), e.getInt("handle-ngram"),
        e.getInt("bands"), e.getInt("rows"), e.getDouble("min-handle-similarity"), e.getDouble("min-name-similarity"),
        e.getDouble("min-description-similarity"), e.getDouble("score-weight"));
  }

  private static Safeguards safeguards(Config g) {
    for (String k : List.of("min-own-words", "min-quoted-chars", "reporter-min-reports", "upheld-min-decided",
        "counter-speech-min-messages", "brigade-target-min-messages")) {
      if (g.getInt(k) < 1) {
        throw new InvalidConfigException("invalid config: nightwatch.scoring.safeguards." + k + " must be >= 1");
      }
    }
    for (String k : List.of("upheld-min-precision", "counter-speech-day-share")) {
      if (g.getDouble(k) <= 0 || g.getDouble(k) > 1) {
        throw new InvalidConfigException("invalid config: nightwatch.scoring.safeguards." + k + " must be in (0, 1]");
      }
    }
    return new Safeguards(g.getInt("min-own-words"), g.getInt("min-quoted-chars"), g.getInt("reporter-min-reports"),
        g.getInt("upheld-min-decided"), g.getDouble("upheld-min-precision"), g.getInt("counter-speech-min-messages"),
        g.getDouble("counter-speech-day-share"), g.getInt("brigade-target-min-messages"),
        stanceModel(g.getConfig("stance-model")));
  }

  private static StanceModel stanceModel(Config m) {
    String at = "invalid config: nightwatch.scoring.safeguards.stance-model.";
    for (String k : List.of("num-features", "max-iter", "min-texts")) {
      if (m.getLong(k) < 1) {
        throw new InvalidConfigException(at + k + " must be >= 1");
      }
    }
    if (m.getDouble("reg-param") < 0) {
      throw new InvalidConfigException(at + "reg-param must be >= 0");
    }
    double tp = m.getDouble("target-precision");
    if (tp <= 0 || tp >= 1) {
      throw new InvalidConfigException(at + "target-precision must be in (0, 1)");
    }
    return new StanceModel(m.getInt("num-features"), m.getDouble("reg-param"), m.getInt("max-iter"), tp,
        m.getLong("min-texts"));
  }

  private static Media media(Config cl) {
    Config k = cl.getConfig("media");
    int d = k.getInt("max-distance");
    int bands = k.getInt("bands");
    int bits = k.getInt("bits-per-band");
    if (k.getInt("min-accounts") < 2 || d < 0 || d > 128 || bands < 1 || bits < 1 || bits > 256) {
      throw new InvalidConfigException("invalid config: nightwatch.cluster.media needs min-accounts >= 2, "
          + "max-distance in [0, 128], bands >= 1 and bits-per-band in [1, 256]");
    }
    return new Media(k.getInt("min-accounts"), d, bands, bits);
  }

  private static Links links(Config cl) {
    Config k = cl.getConfig("links");
    double q = k.getDouble("interval-quantile");
    double share = k.getDouble("interval-share");
    int lo = k.getInt("min-interval-seconds");
    int hi = k.getInt("max-interval-seconds");
    if (k.getInt("min-accounts") < 2 || q <= 0 || q > 1 || share <= 0 || share >= 1 || lo < 1 || hi < lo) {
      throw new InvalidConfigException("invalid config: nightwatch.cluster.links needs min-accounts >= 2, "
          + "interval-quantile in (0, 1], interval-share in (0, 1) and 1 <= min-interval-seconds <= max-interval-seconds");
    }
    return new Links(k.getInt("min-accounts"), q, share, lo, hi);
  }

  private static int creationWindow(Config s) {
    int w = s.getInt("creation-window-seconds");
    if (w <= 0) {
      throw new InvalidConfigException("invalid config: nightwatch.scoring.creation-window-seconds must be positive, got " + w);
    }
    return w;
  }

  private static Execution execution(Config c) {
    String level = c.getString("intermediate-storage");
    if (!java.util.List.of("MEMORY_AND_DISK", "MEMORY_AND_DISK_SER", "DISK_ONLY").contains(level)) {
      throw new InvalidConfigException("invalid config: nightwatch.execution.intermediate-storage must be "
          + "MEMORY_AND_DISK, MEMORY_AND_DISK_SER or DISK_ONLY, got " + level);
    }
    return new Execution(level);
  }

  private static Catalog catalog(Config c) {
    String db = c.getString("database");
    if (!db.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new InvalidConfigException("invalid config: nightwatch.catalog.database must be a plain identifier, got " + db);
    }
    return new Catalog(db, c.getString("metastore-uri").trim(), c.getString("metastore-dir"));
  }

  /** SHA-256 of the resolved config; it holds no secrets (the pseudonym key only comes from the environment). */
  private static String digest(Config c) {
    String rendered = c.root().render(ConfigRenderOptions.concise().setJson(true));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
