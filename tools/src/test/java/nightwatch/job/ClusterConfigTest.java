package nightwatch.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nightwatch.SparkTest;
import nightwatch.cli.Main;
import nightwatch.config.NightwatchConfig;
import nightwatch.generate.GeneratedDay;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import nightwatch.storage.TestStores;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/cluster.example.conf} as written, with only its endpoints pointed at the test servers: a day exported
 * to S3 in its templated layout (Parquet, one folder per dataset and day, hour sub-folders, a {@code _SUCCESS} marker)
 * runs into a warehouse on S3; and its shared Hive metastore, when it does not answer, stops a command with exit 8
 * within a minute instead of retrying.
 */
class ClusterConfigTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-05-06");
  static final Path EXAMPLE = Path.of(System.getProperty("nightwatch.repo", ".."), "conf", "cluster.example.conf");

  @TempDir
  Path tmp;

  /** The example file with its bucket names and metastore replaced; nothing else changed. */
  static Path substituted(Path dir, String s3, String metastore) throws Exception {
    String text = Files.readString(EXAMPLE)
        .replace("s3a://trust-safety-warehouse", s3 + "/example-warehouse")
        .replace("s3a://network-exports", s3 + "/example-exports")
        .replace("thrift://hive-metastore.internal:9083", metastore);
    Path f = dir.resolve("cluster.conf");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void theExampleRunsANightFromS3ExportsIntoAnS3Warehouse() throws Exception {
    TestStores.configure(spark);
    NightwatchConfig cfg = NightwatchConfig.load(substituted(tmp, TestStores.s3Uri(), "thrift://unused:9083").toFile(),
        Map.of());
    assertTrue(cfg.input().requireSuccessMarker(), "the example waits for complete exports");
    GeneratedDay day = SyntheticDay.generate(spark, DS, 1000, 13);
    exportAsParquet(cfg, day);
    RunResult r = new NightlyJob(spark, cfg).run(DS);

    Warehouse wh = new Warehouse(spark, cfg.warehouse());
    assertTrue(wh.root().startsWith(TestStores.s3Uri() + "/example-warehouse/nightwatch"), wh.root());
    assertEquals(day.messages().count(), r.counts().get("messages"), "every exported message, from both hours");
    assertTrue(wh.read(Tables.SUSPENSION_CANDIDATES).filter(col("tier").isNotNull()).count() > 0, "candidates");
    assertEquals(0, (long) r.rejectedRows(), "Parquet exports carry no malformed rows");
    org.apache.hadoop.fs.Path report = new org.apache.hadoop.fs.Path(r.reportPath());
    FileSystem fs = report.getFileSystem(spark.sparkContext().hadoopConfiguration());
    assertTrue(fs.getFileStatus(report).getLen() > 10_000, "the report is in the S3 warehouse: " + report);
  }

  /** The day as a network's export job writes it: Parquet per dataset and day, two hour folders, then _SUCCESS. */
  private void exportAsParquet(NightwatchConfig cfg, GeneratedDay day) throws Exception {
    NightwatchConfig.Input in = cfg.input();
    FileSystem fs = new org.apache.hadoop.fs.Path(in.root()).getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<Object[]> sets = List.of(new Object[] {in.messages(), day.messages()},
        new Object[] {in.accounts(), day.accounts()}, new Object[] {in.reports(), day.reports()});
    for (Object[] set : sets) {
      String dir = in.path((String) set[0], DS);
      @SuppressWarnings("unchecked")
      Dataset<Row>[] halves = ((Dataset<Row>) set[1]).randomSplit(new double[] {0.5, 0.5}, 1);
      halves[0].write().mode("overwrite").parquet(dir + "/hour=00");
      halves[1].write().mode("overwrite").parquet(dir + "/hour=01");
      fs.create(new org.apache.hadoop.fs.Path(dir, "_SUCCESS"), true).close();
    }
    day.reference().forEach((table, rows) -> rows.write().mode("overwrite")
        .parquet(in.path(in.reference(), DS) + "/" + table));
  }

  @Test
  void aMetastoreThatDoesNotAnswerStopsTheCommandWithExit8WithinAMinute() throws Exception {
    int closed = StandaloneClusterTest.freePort();
    Path conf = substituted(tmp, TestStores.s3Uri(), "thrift://127.0.0.1:" + closed);
    Path target = Path.of(System.getProperty("nightwatch.repo", ".."), "jobs", "target").toAbsolutePath().normalize();
    String cp = target.resolve("classes") + File.pathSeparator
        + String.join(File.pathSeparator, StandaloneClusterTest.classpath(target));
    List<String> cmd = new ArrayList<>(StandaloneClusterTest.java(cp, "1g", "nightwatch.cli.Main", "sql",
        "--conf", conf.toString(), "SELECT count(*) FROM clusters"));
    cmd.addAll(1, TestStores.sparkSystemProperties());
    cmd.addAll(1, List.of("-Dspark.master=local[1]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1"));
    Path log = tmp.resolve("sql.log");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(3, TimeUnit.MINUTES); // a hang guard; the bound under test is asserted below
    p.destroyForcibly();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "sql did not end: " + StandaloneClusterTest.tail(out));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(Main.UNREACHABLE, p.exitValue(), StandaloneClusterTest.tail(out));
    List<String> reasons = out.lines().filter(l -> l.startsWith("nightwatch: ")).toList();
    assertEquals(1, reasons.size(), "one line of reason: " + reasons);
    assertTrue(reasons.get(0).startsWith("nightwatch: cannot reach Hive metastore thrift://127.0.0.1:" + closed),
        reasons.get(0));
    System.out.printf("ClusterConfigTest: sql gave up on the metastore after %.1f s (JVM start included)%n", seconds);
  }
}
