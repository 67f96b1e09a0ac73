package nightwatch.importers;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.io.MissingInputException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Loads one day of the FiveThirtyEight IRA troll tweets (CSV, columns {@code author, content, region,
 * language, publish_date, following, followers, updates, post_type, retweet, account_type,
 * account_category}) into the input contract: {@code messages/}, {@code accounts/} and an empty
 * {@code reports/}, as gzip JSON Lines. Everything stays in Spark (nothing is collected to the driver).
 *
 * <p>The CSV has no tweet ids, so a message id is derived from author, time and text (plus a rank among
 * identical rows, which are interchangeable); account ids are the author handles with an {@code ira:}
 * prefix. Retweets keep {@code retweet_of} null: the original's id is not in the file.
 */
public final class IraImporter {
  public static final LocalDate BUSIEST_DAY = LocalDate.of(2016, 10, 6);
  static final String TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss'Z'";

  private IraImporter() {}

  /** The CSV's columns, all read as strings (the counts are validated by casting). */
  public static final StructType CSV_SCHEMA = new StructType()
      .add("author", DataTypes.StringType).add("content", DataTypes.StringType)
      .add("region", DataTypes.StringType).add("language", DataTypes.StringType)
      .add("publish_date", DataTypes.StringType).add("following", DataTypes.StringType)
      .add("followers", DataTypes.StringType).add("updates", DataTypes.StringType)
      .add("post_type", DataTypes.StringType).add("retweet", DataTypes.StringType)
      .add("account_type", DataTypes.StringType).add("account_category", DataTypes.StringType);

  public static Dataset<Row> readCsv(SparkSession spark, String file) {
    if (!new java.io.File(file).exists() && !file.contains("://")) {
      throw new MissingInputException("missing input: IRA CSV at " + file);
    }
    return spark.read().format("csv").schema(CSV_SCHEMA).option("header", "true").option("multiLine", "true")
        .option("escape", "\"").option("mode", "PERMISSIVE").load(file);
  }

  /** Rows of the CSV published on {@code ds} (UTC), with a parsed {@code created_at}. */
  static Dataset<Row> day(Dataset<Row> csv, LocalDate ds) {
    return csv.withColumn("created_at", to_timestamp(col("publish_date"), "yyyy-MM-dd HH:mm:ss"))
        .filter(to_date(col("created_at")).equalTo(lit(ds.toString()).cast("date")))
        .filter(col("author").isNotNull().and(col("content").isNotNull()));
  }

  /** The day's messages in the input contract. */
  public static Dataset<Row> messages(Dataset<Row> csv, LocalDate ds) {
    Column key = sha2(concat_ws("\u0001", col("author"), col("publish_date"), col("content")), 256);
    return day(csv, ds)
        .withColumn("_key", key)
        .withColumn("_n", row_number().over(Window.partitionBy("_key").orderBy("_key")))
        .select(
            concat(lit("ira:"), substring(col("_key"), 1, 20), lit("-"), col("_n").cast("string")).as("message_id"),
            concat(lit("ira:"), lower(col("author"))).as("account_id"),
            col("created_at"),
            col("content").as("text"),
            lang(col("language")).as("lang"),
            lit(null).cast("string").as("reply_to"),
            lit(null).cast("string").as("retweet_of"),
            lit(null).cast("string").as("quote_of"));
  }

  /** One account per author of the day: the author's last counts of the day; creation time unknown. */
  public static Dataset<Row> accounts(Dataset<Row> csv, LocalDate ds) {
    Dataset<Row> d = day(csv, ds);
    return d.groupBy(lower(col("author")).as("handle"))
        .agg(max_by(struct(col("followers").cast("long").as("followers"),
            col("following").cast("long").as("following")), col("created_at")).as("_last"))
        .select(concat(lit("ira:"), col("handle")).as("account_id"), col("handle"),
            col("handle").as("display_name"), lit(null).cast("string").as("description"),
            lit(null).cast("timestamp").as("created_at"), col("_last.followers").as("followers"),
            col("_last.following").as("following"), lit(false).as("verified"));
  }

  /** English language names of the file to BCP-47 tags; others null (the hint is optional). */
  static Column lang(Column name) {
    String[][] map = {{"English", "en"}, {"Russian", "ru"}, {"German", "de"}, {"French", "fr"},
        {"Spanish", "es"}, {"Arabic", "ar"}, {"Italian", "it"}, {"Ukrainian", "uk"}, {"Vietnamese", "vi"},
        {"Norwegian", "no"}, {"Estonian", "et"}, {"Portuguese", "pt"}, {"Uzbek", "uz"}, {"Swedish", "sv"},
        {"Dutch", "nl"}, {"Icelandic", "is"}, {"Polish", "pl"}, {"Lithuanian", "lt"}, {"Japanese", "ja"},
        {"Somali", "so"}, {"Turkish", "tr"}, {"Farsi (Persian)", "fa"}, {"Serbian", "sr"}, {"Bulgarian", "bg"},
        {"Finnish", "fi"}, {"Romanian", "ro"}, {"Czech", "cs"}, {"Hungarian", "hu"}, {"Latvian", "lv"},
        {"Macedonian", "mk"}, {"Croatian", "hr"}, {"Hebrew", "he"}, {"Greek", "el"}, {"Kazakh", "kk"}};
    Column c = lit(null).cast("string");
    for (int i = map.length - 1; i >= 0; i--) {
      c = when(name.equalTo(map[i][0]), lit(map[i][1])).otherwise(c);
    }
    return c;
  }

  /** Writes messages/, accounts/ and an empty reports/ under {@code outDir}; returns the message count. */
  public static long importDay(SparkSession spark, String file, LocalDate ds, String outDir) {
    Dataset<Row> csv = readCsv(spark, file);
    Dataset<Row> msgs = messages(csv, ds).localCheckpoint();
    long n = msgs.count();
    json(msgs.coalesce(2)).save(outDir + "/messages");
    json(accounts(csv, ds).coalesce(1)).save(outDir + "/accounts");
    Dataset<Row> reports = spark.emptyDataFrame().select(lit("").as("report_id"), lit("").as("reporter_id"),
        lit("").as("reported_account_id"), lit(null).cast("string").as("reported_message_id"),
        lit(null).cast("string").as("reason"), current_timestamp().as("created_at"));
    json(reports.coalesce(1)).save(outDir + "/reports");
    return n;
  }

  private static org.apache.spark.sql.DataFrameWriter<Row> json(Dataset<Row> df) {
    return df.write().mode(SaveMode.Overwrite).format("json").option("compression", "gzip")
        .option("timestampFormat", TS_FORMAT).option("timeZone", "UTC").option("ignoreNullFields", "false");
  }
}
