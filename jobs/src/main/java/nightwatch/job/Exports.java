package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import nightwatch.io.Storage;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reviewer queues: each tier's candidates of the day as one CSV and one JSON Lines file, next to the report. */
public final class Exports {
  private Exports() {}

  public static final String[] TIERS = {"T1", "T2", "T3"};

  public static void writeCandidates(Warehouse wh, LocalDate ds, String dir) {
    Dataset<Row> day = wh.read(Tables.SUSPENSION_CANDIDATES)
        .filter(col("ds").equalTo(lit(ds.toString()).cast("date")).and(col("tier").isNotNull()))
        .select("rank", "tier", "account_id", "handle", "score", "role", "reasons", "cluster_ids",
            "sample_message_ids", "known_refs", "flagged_messages", "reports_raw", "reports_weighted",
            "brigade_reports", "account_age_days");
    Column[] csv = {col("rank"), col("tier"), col("account_id"), col("handle"), round(col("score"), 4).as("score"),
        col("role"), array_join(col("reasons"), ";").as("reasons"), array_join(col("cluster_ids"), ";").as("cluster_ids"),
        array_join(col("sample_message_ids"), ";").as("sample_message_ids"),
        array_join(col("known_refs"), ";").as("known_refs"), col("flagged_messages"), col("reports_raw"),
        round(col("reports_weighted"), 2).as("reports_weighted"), col("brigade_reports"), col("account_age_days")};
    String header = String.join(",", day.select(csv).columns());
    // Every tier's lines in both formats from one job, encoded by Spark (to_csv, to_json) and collected: the queues
    // are bounded by what reviewers can read, not by the day's input.
    List<Row> lines = day.select(col("tier"), to_csv(struct(csv)).as("csv"), to_json(struct(col("*"))).as("json"))
        .orderBy("tier", "rank").collectAsList();
    Configuration conf = Storage.conf(day.sparkSession());
    List<Runnable> writes = new java.util.ArrayList<>();
    for (String tier : TIERS) {
      List<Row> rows = lines.stream().filter(r -> tier.equals(r.getString(0))).toList();
      writes.add(() -> write(conf, dir, "candidates-" + tier + ".csv", header, rows, 1));
      writes.add(() -> write(conf, dir, "candidates-" + tier + ".jsonl", null, rows, 2));
    }
    nightwatch.spark.Parallel.run(nightwatch.spark.Parallel.TABLE_THREADS, writes);
  }

  /** One file, written whole through the Hadoop API (no temporary folder is left on an object store). */
  private static void write(Configuration conf, String dir, String name, String header, List<Row> rows, int column) {
    StringBuilder out = new StringBuilder();
    if (header != null) {
      out.append(header).append('\n');
    }
    rows.forEach(r -> out.append(r.getString(column)).append('\n'));
    Storage.writeString(conf, Storage.child(dir, name), out.toString());
  }
}
