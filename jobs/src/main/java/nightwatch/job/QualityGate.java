package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data-quality gates of a night: the day's valid message volume against the median of earlier days, and the
 * share of message lines rejected. Checked after validation and before any write.
 */
public final class QualityGate {
  private QualityGate() {}

  /** A gate failed and --force was not given; the job stops with exit code 6. */
  public static final class GateFailedException extends RuntimeException {
    public GateFailedException(String m) {
      super(m);
    }
  }

  /**
   * Outcome of the checks. {@code status} is {@code pass}, {@code fail} or {@code forced}; {@code detail}
   * names what was checked (and what failed). {@link #record()} is what job_runs.quality_gate holds.
   */
  public record Verdict(String status, String detail) {
    public boolean passed() {
      return !status.equals("fail");
    }

    public String record() {
      return status + ": " + detail;
    }
  }

  /**
   * @param messages   valid messages of the day
   * @param inputLines message input lines of the day (valid and rejected)
   * @param history    valid message counts of earlier days (one per day), newest first or in any order
   */
  public static Verdict check(long messages, long inputLines, List<Long> history, NightwatchConfig.Gates g,
                              boolean force) {
    List<String> failed = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    long rejected = inputLines - messages;
    double share = inputLines == 0 ? 0.0 : (double) rejected / inputLines;
    String shareText = String.format(java.util.Locale.ROOT, "rejected share %.4f (%d of %d lines), max %s", share,
        rejected, inputLines, g.maxRejectedShare());
    (share > g.maxRejectedShare() ? failed : checked).add(shareText);
    if (history.size() < g.minHistoryDays()) {
      checked.add("volume gate skipped (" + history.size() + " earlier days, needs " + g.minHistoryDays() + ")");
    } else {
      double median = median(history);
      double floor = g.minVolumeFraction() * median;
      String volText = String.format(java.util.Locale.ROOT, "volume %d vs %s x median %.1f of %d earlier days",
          messages, g.minVolumeFraction(), median, history.size());
      (messages < floor ? failed : checked).add(volText);
    }
    if (failed.isEmpty()) {
      return new Verdict("pass", String.join("; ", checked));
    }
    return new Verdict(force ? "forced" : "fail", "below gate: " + String.join("; ", failed));
  }

  static double median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
  }

  /**
   * Valid message counts of the {@code days} days before {@code ds}, from job_runs: for each day, its latest
   * successful run. At most {@code days} rows reach the driver.
   */
  public static List<Long> history(Dataset<Row> jobRuns, LocalDate ds, int days) {
    List<Long> out = new ArrayList<>();
    for (Row r : jobRuns
        .filter(col("outcome").equalTo("success")
            .and(col("ds").between(lit(ds.minusDays(days).toString()).cast("date"),
                lit(ds.minusDays(1).toString()).cast("date")))
            .and(col("row_counts").getItem("messages").isNotNull()))
        .groupBy("ds")
        .agg(max_by(col("row_counts").getItem("messages"), col("ended_at")).as("messages"))
        .collectAsList()) {
      out.add(r.getLong(1));
    }
    return out;
  }
}
