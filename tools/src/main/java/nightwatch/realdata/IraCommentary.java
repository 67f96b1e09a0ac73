package nightwatch.realdata;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The October 2016 Internet Research Agency tweets (FiveThirtyEight, 2018) that mention ISIS, ISIL, Daesh or
 * "Islamic State": news and commentary about ISIS, the hard negatives of the classifier. Output: message_id,
 * account_id ("ira:" + author), handle, followers, created_at, text, account_category.
 */
public final class IraCommentary {
  public static final String FILE = "ira-troll-tweets-2016-10.csv.gz";
  /** Mentions of the group by any of its names (word boundaries; any case). */
  public static final String MENTIONS = "(?i)\\b(isis|isil|daesh|islamic\\s+state)\\b";

  private IraCommentary() {}

  public static Dataset<Row> read(SparkSession spark, String dataDir) {
    Column ts = coalesce(expr("try_to_timestamp(publish_date, 'yyyy-MM-dd HH:mm:ss')"),
        expr("try_to_timestamp(publish_date, 'M/d/yyyy H:mm')"));
    return Csv.read(spark, dataDir + "/" + FILE)
        .filter(col("content").isNotNull().and(col("author").isNotNull()).and(col("content").rlike(MENTIONS)))
        .select(
            concat(lit("ira:"), xxhash64(col("author"), col("publish_date"), col("content")).cast("string"))
                .as("message_id"),
            concat(lit("ira:"), col("author")).as("account_id"),
            col("author").as("handle"),
            expr("try_cast(followers AS BIGINT)").as("followers"),
            ts.as("created_at"),
            col("content").as("text"),
            col("account_category"))
        .filter(col("created_at").isNotNull())
        .dropDuplicates("message_id");
  }
}
