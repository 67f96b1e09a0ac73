package nightwatch.realdata;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * "How ISIS Uses Twitter" (Fifth Tribe, CC0): tweets of 112 pro-ISIS accounts, 2015-2016. Output:
 * message_id, account_id ("ft:" + username), handle, display_name, description, followers, created_at, text.
 */
public final class FifthTribe {
  public static final String FILE = "fifthtribe-isis-tweets.csv.gz";

  private FifthTribe() {}

  public static Dataset<Row> read(SparkSession spark, String dataDir) {
    return Csv.read(spark, dataDir + "/" + FILE)
        .filter(col("tweets").isNotNull().and(col("username").isNotNull()))
        .select(
            concat(lit("ft:"), xxhash64(col("username"), col("time"), col("tweets")).cast("string")).as("message_id"),
            concat(lit("ft:"), col("username")).as("account_id"),
            col("username").as("handle"),
            col("name").as("display_name"),
            col("description"),
            expr("try_cast(followers AS BIGINT)").as("followers"),
            expr("try_to_timestamp(time, 'M/d/yyyy H:mm')").as("created_at"),
            col("tweets").as("text"))
        .filter(col("created_at").isNotNull())
        .dropDuplicates("message_id");
  }
}
