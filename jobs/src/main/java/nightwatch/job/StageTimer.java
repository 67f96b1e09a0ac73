package nightwatch.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs named stages, labels their Spark jobs in the UI (job group) and records wall time per stage. */
public final class StageTimer {
  private static final Logger LOG = LoggerFactory.getLogger(StageTimer.class);
  private final SparkSession spark;
  private final String prefix;
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private static StageMetrics metrics;

  public StageTimer(SparkSession spark, String prefix) {
    this.spark = spark;
    this.prefix = prefix;
    synchronized (StageTimer.class) {
      if (metrics == null) {
        metrics = new StageMetrics();
        spark.sparkContext().addSparkListener(metrics);
      }
    }
  }

  /** The listener shared by every timer of this JVM (registered with the first timer). */
  public static synchronized StageMetrics listener() {
    return metrics;
  }

  /** The listener that sums Spark's task metrics per stage (job group "prefix:stage"). */
  public StageMetrics.Totals metrics(String stage) {
    return metrics.of(prefix + ":" + stage);
  }

  public <T> T stage(String name, Supplier<T> body) {
    spark.sparkContext().setJobGroup(prefix + ":" + name, "nightwatch " + prefix + " " + name, false);
    long start = System.nanoTime();
    LOG.info("stage {} started", name);
    try {
      return body.get();
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      millis.merge(name, ms, Long::sum);
      StageMetrics.Totals m = metrics(name);
      LOG.info("stage {} finished in {} ms ({} Spark jobs, {} ms in jobs, {} tasks, {} ms task time, "
          + "shuffle read {} B, shuffle write {} B, spilled {} B)", name, ms, m.jobs, m.jobMillis, m.tasks,
          m.taskMillis, m.shuffleRead, m.shuffleWrite, m.spilled);
      spark.sparkContext().clearJobGroup();
    }
  }

  public void stage(String name, Runnable body) {
    stage(name, () -> {
      body.run();
      return null;
    });
  }

  public Map<String, Long> millis() {
    return millis;
  }
}
