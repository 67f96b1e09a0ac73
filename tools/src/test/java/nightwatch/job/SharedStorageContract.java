package nightwatch.job;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nightwatch.SparkTest;
import nightwatch.cli.Main;
import nightwatch.config.NightwatchConfig;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import nightwatch.storage.TestStores;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One small generated day with its input and its warehouse on a shared store (a real HDFS or S3 server started by
 * the tests), run through the command line as a scheduler would: the tables equal a local run's, the report and the
 * six reviewer exports are in the store, a run killed in the middle of its writes leaves nothing half-written, and
 * two runs of the day started together give one clean refusal (exit 7) or the same result, which equals the local
 * run's again. Subclasses name the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SharedStorageContract extends SparkTest {
  static final LocalDate DS = ChildNight.DS;
  static final List<String> REPORT_FILES = List.of("candidates-T1.csv", "candidates-T1.jsonl", "candidates-T2.csv",
      "candidates-T2.jsonl", "candidates-T3.csv", "candidates-T3.jsonl", "index.html", "summary.md");

  /** The local run's tables (canonical rows), computed once per test JVM for every store. */
  private static Map<String, List<String>> local;
  private static Path localInput;

  String input;
  String warehouse;
  int firstRun;

  /** The store's root for this class, e.g. "hdfs://127.0.0.1:PORT/nightwatch". */
  abstract String storeRoot();

  @BeforeAll
  void runTheDayOnTheStore() throws Exception {
    TestStores.configure(spark);
    expectLocal();
    input = storeRoot() + "/input";
    warehouse = storeRoot() + "/wh";
    StandaloneClusterTest.copyToStore(localInput, input);
    firstRun = Main.execute("nightly", "--date", DS.toString(), "--input", input, "--warehouse", warehouse);
  }

  private static synchronized void expectLocal() throws java.io.IOException {
    if (local != null) {
      return;
    }
    // Shared by every store's class, so kept for the whole test JVM rather than one class's @TempDir.
    Path tmp = java.nio.file.Files.createTempDirectory("nightwatch-shared-local");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile())));
    localInput = tmp.resolve("local-input");
    SyntheticDay.write(SyntheticDay.generate(spark, DS, 1200, 5), localInput.toString());
    Map<String, Object> o = new HashMap<>();
    o.put("nightwatch.warehouse", tmp.resolve("local-wh").toString());
    o.put("nightwatch.input.root", localInput.toString());
    Warehouse wh = new Warehouse(spark, NightwatchConfig.load(null, o).warehouse());
    new NightlyJob(spark, NightwatchConfig.load(null, o)).run(DS);
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (String t : Tables.OUTPUTS) {
      if (!t.equals(Tables.JOB_RUNS)) {
        tables.put(t, StandaloneClusterTest.canonical(wh.read(t)));
      }
    }
    assertFalse(tables.get(Tables.SUSPENSION_CANDIDATES).isEmpty(), "the fixture produces candidates");
    local = tables;
  }

  @Test
  @Order(1)
  void theNightRunsOnTheStoreAndEveryTableEqualsALocalRun() {
    assertEquals(Main.OK, firstRun, "nightly exit code");
    assertTablesEqualLocal("first run");
  }

  @Test
  @Order(2)
  void theReportAndTheSixExportsAreInTheStoreWhole() throws Exception {
    String dir = warehouse + "/reports/ds=" + DS;
    assertEquals(REPORT_FILES, reportFiles(dir), "the report folder holds the page, the summary and the exports only");
    String html = read(dir + "/index.html");
    assertTrue(html.strip().endsWith("</html>"), "a whole page");
    assertTrue(read(dir + "/candidates-T1.csv").startsWith("rank,tier,account_id,"), "a CSV with its header");
  }

  @Test
  @Order(3)
  void aRunKilledMidWriteLeavesNothingHalfWrittenAndTwoConcurrentRerunsGiveOneResult() throws Exception {
    // SIGKILL in the middle of the write stage: some tables of the day committed again, others not.
    ChildNight.killAt(warehouse, input, "stage write started", "Warehouse: ", TestStores.sparkSystemProperties());
    String dir = warehouse + "/reports/ds=" + DS;
    assertTrue(read(dir + "/index.html").strip().endsWith("</html>"), "the report is the first run's, whole");
    assertTablesEqualLocal("after the kill (each table holds one whole version of the day)");
    assertEquals(1, new Warehouse(spark, warehouse).read(Tables.JOB_RUNS).groupBy("run_id")
        .agg(org.apache.spark.sql.functions.count("*").as("n"), org.apache.spark.sql.functions.max("ended_at").as("e"))
        .filter("n = 1 AND e IS NULL").count(), "the killed run left its started row and no end");

    int[] codes = concurrently(2, () -> Main.execute("nightly", "--date", DS.toString(), "--input", input,
        "--warehouse", warehouse));
    assertTrue(codes[0] == Main.OK || codes[1] == Main.OK, "one of two concurrent runs ran: " + List.of(codes[0],
        codes[1]));
    for (int c : codes) {
      assertTrue(c == Main.OK || c == Main.DAY_LOCKED, "the other ran too or was refused cleanly: " + c);
    }
    assertTablesEqualLocal("after the kill and two concurrent reruns");
    assertEquals(REPORT_FILES, reportFiles(dir), "no temporary file left in the report folder");
    Warehouse wh = new Warehouse(spark, warehouse);
    assertEquals(0, wh.read(Tables.RUN_LOCKS).count(), "every lock released");
    List<Row> runs = wh.read(Tables.JOB_RUNS).filter("outcome <> 'started'").collectAsList();
    long refused = runs.stream().filter(r -> String.valueOf(r.<String>getAs("error")).contains("is locked by run"))
        .count();
    assertEquals(1 + (codes[0] == Main.OK ? 1 : 0) + (codes[1] == Main.OK ? 1 : 0),
        runs.stream().filter(r -> "success".equals(r.getAs("outcome"))).count(), "successful runs in job_runs");
    assertEquals(codes[0] == Main.DAY_LOCKED || codes[1] == Main.DAY_LOCKED ? 1 : 0, refused, "refusals recorded");
  }

  private void assertTablesEqualLocal(String when) {
    Warehouse wh = new Warehouse(spark, warehouse);
    for (Map.Entry<String, List<String>> e : local.entrySet()) {
      assertEquals(e.getValue(), StandaloneClusterTest.canonical(wh.read(e.getKey())),
          e.getKey() + " on " + storeRoot() + " equals the local run's " + when);
    }
  }

  private static int[] concurrently(int n, Callable<Integer> run) throws Exception {
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(pool.submit(() -> {
          start.await();
          return run.call();
        }));
      }
      int[] codes = new int[n];
      for (int i = 0; i < n; i++) {
        codes[i] = fs.get(i).get();
      }
      return codes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> reportFiles(String dir) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(p)) {
      names.add(s.getPath().getName());
    }
    return names.stream().sorted().toList();
  }

  private static String read(String file) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    try (var in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
