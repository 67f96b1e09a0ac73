package nightwatch.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long commands in the log (stderr with the launcher's log4j2 configuration): every interval, while Spark stages are running, one line with each active
 * stage's name and its finished and total tasks, from Spark's own status tracker. Silent while nothing runs, so a
 * short command prints nothing.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  public static final Duration EVERY = Duration.ofSeconds(30);
  private static ScheduledExecutorService reporter;

  private Progress() {}

  /** Starts the reporter for this JVM's session (once). */
  public static synchronized void start(SparkSession spark) {
    if (reporter != null) {
      return;
    }
    long started = System.nanoTime();
    reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nightwatch-progress");
      t.setDaemon(true);
      return t;
    });
    reporter.scheduleAtFixedRate(() -> {
      String line = line(spark.sparkContext().statusTracker(), (System.nanoTime() - started) / 1_000_000_000L);
      if (line != null) {
        LOG.info(line);
      }
    }, EVERY.toSeconds(), EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  /** The progress line for the stages running now, or null when none is. */
  static String line(SparkStatusTracker tracker, long elapsedSeconds) {
    List<String> parts = new ArrayList<>();
    for (int id : tracker.getActiveStageIds()) {
      SparkStageInfo s = tracker.getStageInfo(id).getOrElse(() -> null);
      if (s != null) {
        parts.add("stage " + id + " (" + s.name() + ") " + s.numCompletedTasks() + "/"
            + s.numTasks() + " tasks");
      }
    }
    return parts.isEmpty() ? null : "progress " + elapsedSeconds / 60 + "m" + String.format("%02d", elapsedSeconds % 60)
        + "s: " + String.join("; ", parts);
  }
}
