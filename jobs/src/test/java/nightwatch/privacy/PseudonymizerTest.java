package nightwatch.privacy;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PseudonymizerTest extends SparkTest {
  static final String KEY = "a-test-key-of-enough-length";

  /** RFC 2104 HMAC-SHA256 written out with plain SHA-256, to check the implementation independently. */
  static String hmac(byte[] key, byte[] msg) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] k = key.length > 64 ? sha.digest(key) : key;
    byte[] ipad = new byte[64];
    byte[] opad = new byte[64];
    for (int i = 0; i < 64; i++) {
      byte b = i < k.length ? k[i] : 0;
      ipad[i] = (byte) (b ^ 0x36);
      opad[i] = (byte) (b ^ 0x5c);
    }
    sha.update(ipad);
    byte[] inner = sha.digest(msg);
    sha.update(opad);
    return HexFormat.of().formatHex(sha.digest(inner));
  }

  @Test
  void isHmacSha256OfTheContextAndIdAndTheSameInSpark() throws Exception {
    Pseudonymizer p = Pseudonymizer.ofKey(KEY);
    String expected = hmac(KEY.getBytes(StandardCharsets.UTF_8),
        "nightwatch/reporter/v1:reporter-42".getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, p.pseudonym("reporter-42"));
    Dataset<Row> d = df(spark, "reporter_id string", r("reporter-42"), r((Object) null))
        .select(p.column(col("reporter_id")).as("p"));
    assertEquals(expected, d.first().getString(0), "the Spark column gives the same pseudonym");
    assertTrue(d.collectAsList().get(1).isNullAt(0), "null id -> null pseudonym");
    assertNotEquals(expected, Pseudonymizer.ofKey(KEY + "x").pseudonym("reporter-42"), "another key, another pseudonym");
    String plan = d.queryExecution().toString() + d.queryExecution().executedPlan().toString();
    assertFalse(plan.contains(KEY), "the key never appears in a plan");
    assertFalse(p.toString().contains(KEY), "nor in toString");
  }

  @Test
  void missingOrShortKeyIsABadConfigNamingTheVariableNotTheValue() {
    var e = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> Pseudonymizer.fromEnvironment("NW_TEST_KEY", Map.of()));
    assertTrue(e.getMessage().contains("NW_TEST_KEY is not set"), e.getMessage());
    var s = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> Pseudonymizer.fromEnvironment("NW_TEST_KEY", Map.of("NW_TEST_KEY", "short-k3y")));
    assertTrue(s.getMessage().contains("too short"), s.getMessage());
    assertFalse(s.getMessage().contains("short-k3y"), "the message never shows the value");
    assertEquals(Pseudonymizer.ofKey(KEY).pseudonym("x"),
        Pseudonymizer.fromEnvironment("NW_TEST_KEY", Map.of("NW_TEST_KEY", KEY)).pseudonym("x"));
    assertNotNull(Pseudonymizer.fromEnvironmentOrRandom("NW_TEST_KEY", Map.of()).pseudonym("x"),
        "the demo falls back to a random key");
  }
}
