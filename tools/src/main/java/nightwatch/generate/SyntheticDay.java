package nightwatch.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nightwatch.schema.Tables;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Deterministic synthetic day for tests, demos and evaluation: background chatter, benign viral content,
 * planted propaganda campaigns, link campaigns and widely shared news links, media campaigns and memes,
 * counter-speech, news and research accounts, reports with brigades, and ban evaders, with ground truth kept apart.
 * Rows are generated in Spark from {@code spark.range}; each row is a pure function of (seed, ds, row number), so the
 * output does not depend on the number of cores.
 */
public final class SyntheticDay {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticDay.class);
  private SyntheticDay() {}

  static final String TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss'Z'";
  private static final int ROWS_PER_PARTITION = 250_000;

  static final StructType MEDIA = new StructType()
      .add("kind", DataTypes.StringType, true)
      .add("md5", DataTypes.StringType, true)
      .add("pdq", DataTypes.StringType, true);

  static final StructType MSG_INTERNAL = new StructType()
      .add("message_id", DataTypes.StringType, false)
      .add("account_id", DataTypes.StringType, false)
      .add("created_sec", DataTypes.LongType, false)
      .add("text", DataTypes.StringType, false)
      .add("lang", DataTypes.StringType, true)
      .add("reply_to", DataTypes.StringType, true)
      .add("retweet_of", DataTypes.StringType, true)
      .add("quote_of", DataTypes.StringType, true)
      .add("urls", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("media", DataTypes.createArrayType(MEDIA, false), true)
      .add("truth_cluster", DataTypes.StringType, true)
      .add("kind", DataTypes.StringType, false)
      .add("campaign_id", DataTypes.StringType, true)
      .add("link_campaign", DataTypes.StringType, true)
      .add("organic_link", DataTypes.StringType, true)
      .add("media_campaign", DataTypes.StringType, true)
      .add("organic_media", DataTypes.StringType, true)
      .add("acct_code", DataTypes.LongType, false);

  static final StructType REPORT_INTERNAL = new StructType()
      .add("report_id", DataTypes.StringType, false)
      .add("reporter_id", DataTypes.StringType, false)
      .add("reported_account_id", DataTypes.StringType, false)
      .add("reported_message_id", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true)
      .add("created_sec", DataTypes.LongType, false)
      .add("reporter_code", DataTypes.LongType, false)
      .add("reported_code", DataTypes.LongType, false);

  static final StructType ACCOUNT_INTERNAL = new StructType()
      .add("account_id", DataTypes.StringType, false)
      .add("handle", DataTypes.StringType, true)
      .add("display_name", DataTypes.StringType, true)
      .add("description", DataTypes.StringType, true)
      .add("created_sec", DataTypes.LongType, true)
      .add("followers", DataTypes.LongType, true)
      .add("following", DataTypes.LongType, true)
      .add("verified", DataTypes.BooleanType, true)
      .add("role", DataTypes.StringType, false)
      .add("campaign_id", DataTypes.StringType, true)
      .add("evades_account_id", DataTypes.StringType, true);

  public static GeneratedDay generate(SparkSession spark, LocalDate ds, long messages, long seed) {
    World world = new World(seed, ds.toEpochDay(), messages);
    // Shipped to executors in the task closures: each generator carries the (small) world.
    MessageGenerator messageGen = new MessageGenerator(world);
    ReportGenerator reportGen = new ReportGenerator(world);
    AccountGenerator accountGen = new AccountGenerator(world);

    long total = world.totalMessages();
    Dataset<Row> msgInternal = spark.range(0, total, 1, partitions(total))
        .map((MapFunction<Long, Row>) r -> messageRow(messageGen, r), Encoders.row(MSG_INTERNAL));
    long nReports = world.totalReports();
    Dataset<Row> repInternal = spark.range(0, nReports, 1, partitions(nReports))
        .map((MapFunction<Long, Row>) r -> reportRow(reportGen, r), Encoders.row(REPORT_INTERNAL));

    List<Row> suspendedCodes = new ArrayList<>();
    Map<String, Dataset<Row>> reference = Reference.build(spark, world, suspendedCodes);
    Dataset<Row> extraCodes = spark.createDataFrame(suspendedCodes,
        new StructType().add("code", DataTypes.LongType, false));

    Dataset<Row> posters = spark.range(0, total, 1, partitions(total))
        .map((MapFunction<Long, Long>) r -> messageGen.acctOf(r), Encoders.LONG()).toDF("code");
    Dataset<Row> codes = posters
        .union(repInternal.select(col("reporter_code").as("code")))
        .union(repInternal.select(col("reported_code").as("code")))
        .union(extraCodes)
        .distinct();
    Dataset<Row> acctInternal = codes
        .map((MapFunction<Row, Row>) c -> accountRow(accountGen, c.getLong(0)), Encoders.row(ACCOUNT_INTERNAL));

    Dataset<Row> msgs = contract(msgInternal, "messages");
    Dataset<Row> accounts = contract(acctInternal, "accounts");
    Dataset<Row> reports = contract(repInternal, "reports");
    Dataset<Row> truthMessages = msgInternal.select("message_id", "truth_cluster", "kind", "campaign_id",
        "link_campaign", "organic_link", "media_campaign", "organic_media");
    Dataset<Row> truthAccounts = acctInternal.select("account_id", "role", "campaign_id", "evades_account_id");
    return new GeneratedDay(msgs, accounts, reports, reference, truthMessages, truthAccounts);
  }

  /** Writes the day under {@code outDir}, replacing what was there. */
  public static void write(GeneratedDay day, String outDir) {
    String dir = outDir.endsWith("/") ? outDir.substring(0, outDir.length() - 1) : outDir;
    timed("messages", () -> json(day.messages(), true).save(dir + "/messages"));
    timed("accounts", () -> json(day.accounts(), true).save(dir + "/accounts"));
    timed("reports", () -> json(day.reports(), true).save(dir + "/reports"));
    timed("reference", () -> {
      for (Map.Entry<String, Dataset<Row>> e : day.reference().entrySet()) {
        json(e.getValue().coalesce(1), false).save(dir + "/reference/" + e.getKey());
      }
    });
    timed("truth", () -> {
      day.truthMessages().write().mode(SaveMode.Overwrite).parquet(dir + "/_truth/messages");
      day.truthAccounts().write().mode(SaveMode.Overwrite).parquet(dir + "/_truth/accounts");
    });
    timed("bad rows", () -> writeBadRows(day, dir));
  }

  private static void timed(String what, Runnable step) {
    long t0 = System.nanoTime();
    step.run();
    LOG.info("wrote {} in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
  }

  private static org.apache.spark.sql.DataFrameWriter<Row> json(Dataset<Row> df, boolean gzip) {
    return df.write().mode(SaveMode.Overwrite).format("json")
        .option("compression", gzip ? "gzip" : "none")
        .option("timestampFormat", TS_FORMAT)
        .option("timeZone", "UTC")
        .option("ignoreNullFields", "false");
  }

  private static int partitions(long rows) {
    return (int) Math.max(2, (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
  }

  /**
   * The contract's columns, in its order and types, from an internal frame (timestamps as epoch seconds). An optional
   * column the generator does not fill (a message's mentions) is written null.
   */
  private static Dataset<Row> contract(Dataset<Row> internal, String table) {
    StructType schema = Tables.schema(table).struct();
    List<String> have = List.of(internal.columns());
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = f.name().equals("created_at") ? timestamp_seconds(col("created_sec"))
          : have.contains(f.name()) || !f.nullable() ? col(f.name()) : lit(null);
      cols.add(c.cast(f.dataType()).as(f.name()));
    }
    return internal.select(cols.toArray(new Column[0]));
  }

  static Row messageRow(MessageGenerator g, long r) {
    MessageGenerator.Msg m = g.describe(r);
    return RowFactory.create(m.id, g.w.accountId(m.acct), m.sec, m.text, m.lang, m.replyTo, m.retweetOf, m.quoteOf,
        seq(LinkPlan.urlsIn(m.text)), media(m.media), m.cluster, m.kind, m.campaign, m.linkCampaign, m.organicLink,
        m.mediaCampaign, m.organicMedia, m.acct);
  }

  /** The media column: the message's one image, or null. */
  private static scala.collection.immutable.Seq<Row> media(MediaPlan.Media e) {
    return e == null ? null : seq(List.of(RowFactory.create(e.kind(), e.md5(), e.pdq())));
  }

  /** A Row holds an array column as a Scala sequence. */
  private static <T> scala.collection.immutable.Seq<T> seq(List<T> values) {
    return values == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
  }

  static Row reportRow(ReportGenerator g, long r) {
    ReportGenerator.Report p = g.report(r);
    return RowFactory.create(p.id, g.w.accountId(p.reporter), g.w.accountId(p.reported), p.messageId, p.reason, p.sec,
        p.reporter, p.reported);
  }

  static Row accountRow(AccountGenerator g, long code) {
    AccountGenerator.Profile p = g.profile(code);
    return RowFactory.create(p.id, p.handle, p.displayName, p.description, p.createdSec, p.followers, p.following,
        p.verified, p.role, p.campaign, p.evades);
  }

  /**
   * Appends {@code messages/part-bad.jsonl}: rows that break the contract, as real feeds have them, and
   * records them in {@code _truth/bad_rows.json}.
   */
  private static void writeBadRows(GeneratedDay day, String dir) {
    Row first = day.messages().select("message_id", "account_id", "created_at").limit(1).collectAsList().get(0);
    String acct = first.getString(1);
    LocalDate ds = first.getTimestamp(2).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    String d = ds.format(DateTimeFormatter.ISO_LOCAL_DATE);
    String prev = ds.minusDays(1).format(DateTimeFormatter.ISO_LOCAL_DATE);
    String idBase = "bad-" + d.replace("-", "") + "-";
    String big = "spam ".repeat(60_000);
    String[][] bad = {
        {"not_json", "{\"message_id\": \"" + idBase + "1\", \"account_id\": \"" + acct + "\", \"text\": \"trunc"},
        {"null_message_id", row(null, acct, d + "T10:00:00Z", "this row has no id")},
        {"unparsable_created_at", row(idBase + "3", acct, "yesterday at noon", "the time cannot be parsed")},
        {"created_at_outside_day", row(idBase + "4", acct, prev + "T23:59:59Z", "posted on the previous day")},
        {"null_account_id", row(idBase + "5", null, d + "T11:00:00Z", "this row has no account")},
        {"text_too_long", row(idBase + "6", acct, d + "T12:00:00Z", big.trim())},
    };
    StringBuilder lines = new StringBuilder();
    StringBuilder truth = new StringBuilder("{\"count\": " + bad.length + ", \"file\": \"messages/part-bad.jsonl\", "
        + "\"rows\": [");
    for (int i = 0; i < bad.length; i++) {
      lines.append(bad[i][1]).append('\n');
      truth.append(i == 0 ? "" : ", ").append("{\"line\": ").append(i + 1).append(", \"problem\": \"")
          .append(bad[i][0]).append("\"}");
    }
    truth.append("]}\n");
    SparkSession spark = day.messages().sparkSession();
    try {
      Path p = new Path(dir + "/messages/part-bad.jsonl");
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(p, true)) {
        out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
      }
      try (OutputStream out = fs.create(new Path(dir + "/_truth/bad_rows.json"), true)) {
        out.write(truth.toString().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write bad rows under " + dir, e);
    }
  }

  private static String row(String id, String acct, String ts, String text) {
    return "{\"message_id\": " + q(id) + ", \"account_id\": " + q(acct) + ", \"created_at\": " + q(ts)
        + ", \"text\": " + q(text) + ", \"lang\": \"en\", \"reply_to\": null, \"retweet_of\": null, "
        + "\"quote_of\": null}";
  }

  private static String q(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
