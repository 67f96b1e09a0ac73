package nightwatch.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Storage;
import nightwatch.io.Warehouse;
import nightwatch.report.DailyReport;
import nightwatch.report.ReportData;
import nightwatch.schema.Tables;
import nightwatch.spark.Parallel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A day's report page and reviewer exports, written from the warehouse's tables into the day's report folder. */
public final class DayReport {
  private DayReport() {}

  /**
   * Writes the page and the exports of {@code ds}; {@code counts} and {@code stageMillis} are the run's (as in
   * job_runs). Returns the page's location.
   */
  public static String write(SparkSession spark, Warehouse wh, NightwatchConfig cfg, LocalDate ds,
                             Map<String, Long> counts, Map<String, Long> stageMillis) {
    String dir = wh.reportDir(ds);
    ReportData[] data = new ReportData[1];
    Parallel.run(2, List.of(() -> Exports.writeCandidates(wh, ds, dir),
        () -> data[0] = ReportDataBuilder.build(spark, wh, ds, cfg, counts, stageMillis)));
    DailyReport.write(data[0], Storage.conf(spark), dir);
    return Storage.child(dir, "index.html");
  }

  /** Writes a past day's page and exports again, with the counts and stage times its last successful run logged. */
  public static String rewrite(SparkSession spark, Warehouse wh, NightwatchConfig cfg, LocalDate ds) {
    Map<String, Long> counts = Map.of();
    Map<String, Long> millis = Map.of();
    if (wh.exists(Tables.JOB_RUNS)) {
      List<Row> last = wh.read(Tables.JOB_RUNS)
          .filter(col("ds").equalTo(lit(ds.toString()).cast("date")).and(col("outcome").equalTo("success")))
          .orderBy(col("ended_at").desc()).limit(1).select("row_counts", "stage_millis").collectAsList();
      if (!last.isEmpty()) {
        counts = last.get(0).isNullAt(0) ? Map.of() : last.get(0).getJavaMap(0);
        millis = last.get(0).isNullAt(1) ? Map.of() : last.get(0).getJavaMap(1);
      }
    }
    return write(spark, wh, cfg, ds, counts, millis);
  }
}
