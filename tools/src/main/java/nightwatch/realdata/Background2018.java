package nightwatch.realdata;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Random 2018 tweets on unrelated topics (origin undocumented), one column {@code text}. They carry no
 * account, so each text gets a pseudo-account by its hash ("bg:" + hash mod {@value #ACCOUNTS}): copies of one
 * text share an account, and an account split keeps them together. Literal {@code \\uXXXX} escapes in some
 * rows are decoded, or they alone would tell the classes apart. Output: message_id, account_id, text.
 */
public final class Background2018 {
  public static final String FILE = "background-tweets-2018.csv.gz";
  static final int ACCOUNTS = 2000;

  private Background2018() {}

  public static Dataset<Row> read(SparkSession spark, String dataDir) {
    return Csv.read(spark, dataDir + "/" + FILE)
        .filter(col("text").isNotNull())
        .select(udf((UDF1<String, String>) Background2018::unescape, DataTypes.StringType).apply(col("text")).as("text"))
        .withColumn("account_id", concat(lit("bg:"), pmod(xxhash64(col("text")), lit((long) ACCOUNTS)).cast("string")))
        .withColumn("message_id", concat(lit("bg:"), xxhash64(col("text"), monotonically_increasing_id()).cast("string")))
        .select("message_id", "account_id", "text");
  }

  /** Decodes literal backslash-u escapes (surrogate pairs come out as two chars, which Java joins). */
  static String unescape(String s) {
    if (s == null || s.indexOf("\\u") < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'u' && isHex(s, i + 2)) {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(String s, int from) {
    if (from + 4 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 4; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
