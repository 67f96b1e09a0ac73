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
import java.util.Map;

/**
 * The whole configuration as one typed, validated object. Defaults live in {@code reference.conf}; a file
 * from {@code conf/} and command-line overrides are layered on top. Unknown keys and wrong types fail at
 * start-up with a message that names the key.
 */
public record NightwatchConfig(String warehouse, Input input, Limits limits, Text text, Lsh lsh,
                               Cluster cluster, Scoring scoring, Report report, String pseudonymKeyEnv,
                               String digest) {

  public record Input(String root, String messages, String accounts, String reports, String reference,
                      String format) {
    /** Location of a dataset for a day, with {root} and {ds} filled in. */
    public String path(String template, LocalDate ds) {
      return template.replace("{root}", root).replace("{ds}", ds.toString());
    }
  }

  public record Limits(int maxTextChars, int clockSkewMinutes) {}

  public record Text(int wordShingleSize, int charShingleSize, int minWordsForWordShingles, int minShingles,
                     int numFeatures) {}

  public record Lsh(double threshold, int numHashes, double verifySlack, long seed, double falseNegativeWeight,
                    int pairBucketSize) {}

  public record Cluster(int minMessages, int minAccounts, int maxCcRounds) {}

  public record Reports(int newReporterDays, double newReporterWeight, double youngReporterWeight,
                        int brigadeWindowSeconds, int brigadeMinReports, double fullStrength) {}

  public record Scoring(int youngAccountDays, int coordinationWindowShortSeconds,
                        int coordinationWindowLongSeconds, double flaggedClusterScore, int originatorsPerCluster,
                        double tierT1, double tierT2, double tierT3, double counterSpeechShare, Reports reports) {}

  public record Report(int topClusters, int maxCandidates) {}

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
            in.getString("reference"), format),
        new Limits(c.getInt("limits.max-text-chars"), c.getInt("limits.clock-skew-minutes")),
        new Text(t.getInt("word-shingle-size"), t.getInt("char-shingle-size"), t.getInt("min-words-for-word-shingles"),
            t.getInt("min-shingles"), t.getInt("num-features")),
        new Lsh(threshold, l.getInt("num-hashes"), l.getDouble("verify-slack"), l.getLong("seed"),
            l.getDouble("false-negative-weight"), l.getInt("pair-bucket-size")),
        new Cluster(cl.getInt("min-messages"), cl.getInt("min-accounts"), cl.getInt("max-cc-rounds")),
        new Scoring(s.getInt("young-account-days"), s.getInt("coordination-window-short-seconds"),
            s.getInt("coordination-window-long-seconds"), s.getDouble("flagged-cluster-score"),
            s.getInt("originators-per-cluster"), t1, t2, t3, s.getDouble("counter-speech-share"),
            new Reports(r.getInt("new-reporter-days"), r.getDouble("new-reporter-weight"),
                r.getDouble("young-reporter-weight"), r.getInt("brigade-window-seconds"),
                r.getInt("brigade-min-reports"), r.getDouble("full-strength"))),
        new Report(c.getInt("report.top-clusters"), c.getInt("report.max-candidates")),
        c.getString("pseudonym-key-env"),
        digest);
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
