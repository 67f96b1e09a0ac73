package nightwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nightwatch.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest extends SparkTest {
  @TempDir
  Path work;

  @Test
  @SuppressWarnings("unchecked")
  void aSmallDayGivesEveryFigureAndTheRatioToTheMeanOfTwoFloors() throws Exception {
    Benchmark b = new Benchmark(spark, new Benchmark.Settings(List.of(2_000L), List.of(SkewedDay.Kind.none), 0.2, 0.05,
        work, LocalDate.of(2026, 11, 20), 7, null));
    List<Map<String, Object>> done = new ArrayList<>();
    List<Map<String, Object>> results = b.run(done::add);

    assertEquals(1, results.size());
    assertEquals(results, done, "each result is handed on as soon as it is measured");
    Map<String, Object> r = results.get(0);
    assertTrue(Files.exists(work.resolve("data/2000/_BENCH_COMPLETE")), "the generated day is kept for reuse");
    assertTrue((Long) r.get("messages") > 0, "the job read the day: " + r);
    double before = (Double) r.get("floor_before_s");
    double after = (Double) r.get("floor_after_s");
    assertTrue(before > 0 && after > 0, "both floors measured: " + r);
    assertEquals(Benchmark.round((before + after) / 2), (Double) r.get("floor_s"), 0.011, "floor_s is their mean");
    double ratio = (Double) r.get("wall_s") / (Double) r.get("floor_s");
    // Both figures are rounded to 0.01 s, and a floor of this size is under a second: 2% of tolerance.
    assertEquals(ratio, (Double) r.get("ratio_to_floor"), 0.02 * ratio,
        "the ratio is the job's wall time over the mean floor");
    List<Map<String, Object>> stages = (List<Map<String, Object>>) r.get("stages");
    Map<String, Object> read = stages.stream().filter(s -> s.get("stage").equals("read_validate")).findFirst()
        .orElseThrow();
    assertTrue((Double) read.get("task_s") > 0, "task time comes from Spark's metrics: " + read);
    assertEquals(r.get("messages"), read.get("rows_out"), "rows out of read_validate are the valid messages");
  }
}
