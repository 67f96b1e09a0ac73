package nightwatch.job;

import java.time.LocalDate;
import java.util.Map;

/**
 * One nightly run as its steps share it: its id and day, its stage timer, the figures it records in job_runs
 * ({@code counts}), and where it keeps its intermediates.
 */
record Run(String id, LocalDate ds, StageTimer timer, Map<String, Long> counts, Intermediates kept) {
  /** The day as a Spark date literal column value. */
  String day() {
    return ds.toString();
  }
}
