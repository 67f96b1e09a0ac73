package nightwatch.job;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One run of the job's steps as they share it: its id and day, its stage timer, the figures it records in job_runs
 * ({@code counts}), and where it keeps its intermediates.
 */
public record Run(String id, LocalDate ds, StageTimer timer, Map<String, Long> counts, Intermediates kept) {
  /** A run whose stages are named {@code id:stage} in Spark's UI and which keeps its intermediates at {@code level}. */
  public static Run start(SparkSession spark, String id, LocalDate ds, StorageLevel level) {
    return new Run(id, ds, new StageTimer(spark, id), new LinkedHashMap<>(), new Intermediates(spark, level));
  }

  /** The day as a Spark date literal column value. */
  String day() {
    return ds.toString();
  }

  /** Releases what the run kept (tools that run the job's steps call it when they are done with the results). */
  public void release() {
    kept.release(id);
  }
}
