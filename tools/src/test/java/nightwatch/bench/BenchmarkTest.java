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
  void aSmallDayGivesEveryFigureAndTheRatioToTheMeanOfTwoFloorsOnEachRoot() throws Exception {
    // Two roots (a file: URI and a plain path) in one test: one generated day and one floor fewer than two tests.
    String first = work.resolve("roots/a").toUri().toString();
    String second = work.resolve("roots/b").toString();
    Benchmark b = new Benchmark(spark, new Benchmark.Settings(List.of(2_000L), List.of(SkewedDay.Kind.none), 0.2, 0.05,
        work, LocalDate.of(2026, 11, 20), 7, null, List.of(first, second), 0));
    List<Map<String, Object>> done = new ArrayList<>();
    List<Map<String, Object>> results = b.run(done::add);

    assertEquals(2, results.size(), "one run per root");
    assertEquals(results, done, "each result is handed on as soon as it is measured");
    assertEquals(b.roots(), results.stream().map(r -> r.get("warehouse")).toList(), "in the order given");
    assertTrue(((String) results.get(1).get("warehouse")).startsWith("file:/"), "roots are qualified: " + b.roots());
    assertTrue(Files.isDirectory(work.resolve("roots/a/2000/job_runs")), "the first run wrote under ROOT/<size>");
    assertTrue(Files.isDirectory(work.resolve("roots/b/2000/job_runs")), "the second run wrote under ROOT/<size>");
    assertEquals(results.get(0).get("floor_after_s"), results.get(1).get("floor_before_s"),
        "the floor after one run is the floor before the next");
    assertEquals(results.get(0).get("messages"), results.get(1).get("messages"), "the same day on both roots");
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

  @Test
  void withoutRootsTheWarehouseIsUnderTheWorkFolder() {
    Benchmark.Settings s = new Benchmark.Settings(List.of(2_000L), List.of(SkewedDay.Kind.none), 0.2, 0.05, work,
        LocalDate.of(2026, 11, 20), 7, null);
    assertEquals(List.of(work.resolve("warehouse").toString()), s.roots());
    assertEquals(0, s.warmupMessages(), "no warm-up run unless asked");
  }

  @Test
  void ratiosCompareEachRootWithTheFirstAndSkewWithinARoot() {
    List<Map<String, Object>> results = List.of(
        result(1_000, "none", "file:/wh", 10.0), result(1_000, "text", "file:/wh", 15.0),
        result(1_000, "none", "hdfs://nn/wh", 12.0), result(1_000, "text", "hdfs://nn/wh", 24.0));
    assertEquals(List.of(
        "skew text at 1000 messages (warehouse file:/wh): 1.50x the plain day",
        "skew text at 1000 messages (warehouse hdfs://nn/wh): 2.00x the plain day",
        "warehouse hdfs://nn/wh at 1000 messages: 1.20x the first (file:/wh)",
        "warehouse hdfs://nn/wh at 1000 messages, skew text: 1.60x the first (file:/wh)"),
        Benchmark.ratios(results));
    assertEquals(List.of("scaling: 10x the messages took 3.00x the time"), Benchmark.ratios(List.of(
        result(1_000, "none", "file:/wh", 10.0), result(10_000, "none", "file:/wh", 30.0))),
        "one root: the lines as before, without a warehouse");
  }

  private static Map<String, Object> result(long n, String skew, String warehouse, double wall) {
    return Map.of("messages_requested", n, "messages", n, "skew", skew, "warehouse", warehouse, "wall_s", wall);
  }
}
