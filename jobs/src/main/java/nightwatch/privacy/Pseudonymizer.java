package nightwatch.privacy;

import static org.apache.spark.sql.functions.udf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pseudonymises reporter ids with HMAC-SHA256 under a secret key taken from the environment (the variable
 * named by {@code pseudonym-key-env}). The same key gives the same pseudonym every night, so a reporter's
 * history can be followed without storing who they are; without the key the pseudonym cannot be reversed
 * or recomputed from a guessed id.
 *
 * <p>Why a UDF and not Spark built-ins: an HMAC can be built from {@code sha2} and {@code concat}, but the
 * key (xor the pads) would then be a binary literal in the query plan, printed by {@code explain}, the
 * Spark UI and some error messages. Here the key lives only inside the function object; plans show
 * {@code reporter_pseudonym(reporter_id)}. The key is never logged, written or put in the config digest.
 */
public final class Pseudonymizer implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(Pseudonymizer.class);
  /** Shortest key accepted (characters). */
  public static final int MIN_KEY_CHARS = 16;
  /** Domain-separation label: the same key could later pseudonymise other kinds of id. */
  private static final String CONTEXT = "nightwatch/reporter/v1:";

  private final byte[] key;

  private Pseudonymizer(byte[] key) {
    this.key = key.clone();
  }

  /** A pseudonymiser over an explicit key (tests, and the resolution below). */
  public static Pseudonymizer ofKey(String key) {
    if (key == null || key.length() < MIN_KEY_CHARS) {
      throw new IllegalArgumentException("pseudonym key must have at least " + MIN_KEY_CHARS + " characters");
    }
    return new Pseudonymizer(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key from the environment variable {@code envName}. A missing or short key is a configuration
   * error (exit code 5); the message names the variable, never a value.
   */
  public static Pseudonymizer fromEnvironment(String envName, Map<String, String> env) {
    String v = env.get(envName);
    if (v == null || v.isEmpty()) {
      throw new NightwatchConfig.InvalidConfigException("environment variable " + envName
          + " is not set: it must hold the secret key for pseudonymising reporter ids (at least "
          + MIN_KEY_CHARS + " characters; config key nightwatch.pseudonym-key-env names the variable)");
    }
    if (v.length() < MIN_KEY_CHARS) {
      throw new NightwatchConfig.InvalidConfigException("environment variable " + envName
          + " holds a key that is too short: at least " + MIN_KEY_CHARS + " characters are needed");
    }
    return ofKey(v);
  }

  /**
   * For the demo only: the key from the environment when set, else a random key for this process, with a
   * warning (pseudonyms then do not match those of any other run, so reporter history starts afresh).
   */
  public static Pseudonymizer fromEnvironmentOrRandom(String envName, Map<String, String> env) {
    String v = env.get(envName);
    if (v != null && !v.isEmpty()) {
      return fromEnvironment(envName, env);
    }
    LOG.warn("{} is not set: using a random pseudonym key for this run only (reporter pseudonyms will not match "
        + "other runs); set it for production nights", envName);
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return ofKey(HexFormat.of().formatHex(k));
  }

  /** HMAC-SHA256 of CONTEXT + id, lower-case hex (64 characters); null for a null id. */
  public String pseudonym(String id) {
    if (id == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((CONTEXT + id).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** A column holding the pseudonym of {@code id}. */
  public Column column(Column id) {
    Pseudonymizer self = this;
    UserDefinedFunction f = udf((UDF1<String, String>) self::pseudonym, DataTypes.StringType)
        .withName("reporter_pseudonym");
    return f.apply(id);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "Pseudonymizer[HMAC-SHA256, key hidden]";
  }
}
