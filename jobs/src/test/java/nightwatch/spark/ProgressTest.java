package nightwatch.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import nightwatch.SparkTest;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

/** The progress line names the running stages with their finished and total tasks, and is silent when idle. */
class ProgressTest extends SparkTest {
  @Test
  void aRunningStageIsReportedWithItsTasksAndNothingWhenIdle() throws Exception {
    assertNull(Progress.line(spark.sparkContext().statusTracker(), 5), "nothing runs: no line");
    CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> spark.range(0, 4, 1, 4)
        .map((MapFunction<Long, Long>) x -> {
          Thread.sleep(3000);
          return x;
        }, Encoders.LONG()).count());
    String line = null;
    for (int i = 0; i < 100 && line == null; i++) {
      Thread.sleep(50);
      line = Progress.line(spark.sparkContext().statusTracker(), 95);
    }
    job.get();
    assertNotNull(line, "a line while the job runs");
    // The stage is named by Spark after the call site of the action (here inside the async runner).
    assertTrue(line.matches("progress 1m35s: stage \\d+ \\(.+ at .+:\\d+\\) [0-4]/4 tasks.*"), line);
  }
}
