package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import nightwatch.io.Storage;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Encoders;
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
    // Six small files, written side by side (each is one Spark job and a write).
    List<Runnable> writes = new java.util.ArrayList<>();
    for (String tier : TIERS) {
      Dataset<Row> rows = day.filter(col("tier").equalTo(tier)).orderBy("rank");
      writes.add(() -> writeSingle(rows.select(col("rank"), col("tier"), col("account_id"), col("handle"), round(col("score"), 4)
              .as("score"), col("role"), array_join(col("reasons"), ";").as("reasons"),
              array_join(col("cluster_ids"), ";").as("cluster_ids"),
              array_join(col("sample_message_ids"), ";").as("sample_message_ids"),
              array_join(col("known_refs"), ";").as("known_refs"), col("flagged_messages"), col("reports_raw"),
              round(col("reports_weighted"), 2).as("reports_weighted"), col("brigade_reports"),
              col("account_age_days")), "csv", dir, "candidates-" + tier + ".csv"));
      writes.add(() -> writeSingle(rows, "json", dir, "candidates-" + tier + ".jsonl"));
    }
    nightwatch.spark.Parallel.run(nightwatch.spark.Parallel.TABLE_THREADS, writes);
  }

  /**
   * One file, written whole through the Hadoop API: the lines come from Spark's own CSV and JSON encoders
   * ({@code to_csv}, {@code toJSON}) and are collected, since a tier's queue is bounded by what reviewers can read,
   * not by the day's input. No temporary folder is left on an object store.
   */
  private static void writeSingle(Dataset<Row> rows, String format, String dir, String name) {
    StringBuilder out = new StringBuilder();
    List<String> lines;
    if (format.equals("csv")) {
      out.append(String.join(",", rows.columns())).append('\n');
      lines = rows.select(to_csv(struct(col("*")))).as(Encoders.STRING()).collectAsList();
    } else {
      lines = rows.toJSON().collectAsList();
    }
    lines.forEach(l -> out.append(l).append('\n'));
    Storage.writeString(Storage.conf(rows.sparkSession()), Storage.child(dir, name), out.toString());
  }
}
