package nightwatch.job;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly run's driver killed with kill -9, once during clustering and once in the middle of the table
 * writes (some tables committed, others not), then run again: every table ends equal to that of a run that
 * was never interrupted, and job_runs shows each killed run as started and never ended. The killed runs are
 * child JVMs running the real command line; the kill happens when the child logs the stage it is in.
 */
class KillAndRerunTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-11-20");
  static final String KEY = "kill-and-rerun-test-key";

  @TempDir
  static Path tmp;

  @Test
  void killedTwiceThenRerunEqualsAnUninterruptedRun() throws Exception {
    Path in = tmp.resolve("in");
    SyntheticDay.write(SyntheticDay.generate(spark, DS, 1000, 3), in.toString());
    NightwatchConfig refCfg = NightwatchConfig.load(null, Map.of("nightwatch.warehouse", tmp.resolve("ref").toString(),
        "nightwatch.input.root", in.toString()));
    new NightlyJob(spark, refCfg, Pseudonymizer.ofKey(KEY)).run(DS);

    Path wh = tmp.resolve("wh");
    killAt(wh, in, "stage components started", null);
    killAt(wh, in, "stage write started", "Warehouse: ");
    Warehouse w = new Warehouse(spark, wh.toString());
    List<Row> runs = w.read(Tables.JOB_RUNS).collectAsList();
    assertEquals(2, runs.size(), "two killed runs, each with only its started row: " + runs);
    assertTrue(runs.stream().allMatch(r -> "started".equals(r.getAs("outcome")) && r.getAs("ended_at") == null));
    long written = Tables.OUTPUTS.stream().filter(t -> !t.equals(Tables.JOB_RUNS))
        .filter(t -> w.exists(t) && w.read(t).count() > 0).count();
    assertTrue(written >= 1, "the second kill came after at least one table of the day was committed");

    NightwatchConfig cfg = NightwatchConfig.load(null, Map.of("nightwatch.warehouse", wh.toString(),
        "nightwatch.input.root", in.toString()));
    new NightlyJob(spark, cfg, Pseudonymizer.ofKey(KEY)).run(DS);
    Warehouse ref = new Warehouse(spark, refCfg.warehouse());
    for (String t : Tables.OUTPUTS) {
      if (t.equals(Tables.JOB_RUNS)) {
        continue;
      }
      assertEquals(StandaloneClusterTest.canonical(ref.read(t)), StandaloneClusterTest.canonical(w.read(t)),
          t + ": after the kills and a rerun the table equals an uninterrupted run's");
    }
    assertTrue(StandaloneClusterTest.canonical(ref.read(Tables.SUSPENSION_CANDIDATES)).size() > 0,
        "the fixture produces candidates");
    assertEquals(1, w.read(Tables.JOB_RUNS).filter("outcome = 'success'").count());
  }

  /**
   * Runs `nightly` for DS in a child JVM and kills it (SIGKILL) when its log shows {@code stage}, or, with
   * {@code thenLine}, at the first line containing that text after {@code stage}.
   */
  static void killAt(Path wh, Path in, String stage, String thenLine) throws Exception {
    killAt(wh.toString(), in.toString(), stage, thenLine, List.of());
  }

  /** {@link #killAt(Path, Path, String, String)} for any warehouse and input URI, with extra JVM flags. */
  public static void killAt(String wh, String in, String stage, String thenLine, List<String> jvmFlags)
      throws Exception {
    // The job alone: jobs' classes and dependency classpath, as spark-submit would have them.
    Path jobs = Path.of(System.getProperty("nightwatch.repo", ".."), "jobs", "target").toAbsolutePath().normalize();
    String cp = jobs.resolve("classes") + File.pathSeparator
        + String.join(File.pathSeparator, StandaloneClusterTest.classpath(jobs));
    List<String> cmd = new ArrayList<>(StandaloneClusterTest.java(cp, "1g", "nightwatch.cli.Main", "nightly",
        "--date", DS.toString(), "--warehouse", wh, "--input", in));
    cmd.addAll(1, jvmFlags);
    // C1 only (StandaloneClusterTest.java): a short-lived JVM reaches the kill point sooner without C2's warm-up.
    cmd.addAll(1, List.of("-XX:+UseParallelGC", "-Dspark.master=local[2]",
        "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.sql.shuffle.partitions=4", "-Dspark.databricks.delta.snapshotPartitions=2",
        "-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties").toAbsolutePath().normalize()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("NIGHTWATCH_PSEUDONYM_KEY", KEY);
    Process p = pb.start();
    List<String> seen = new ArrayList<>();
    boolean inStage = false;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.add(line);
        inStage |= line.contains(stage);
        if (inStage && (thenLine == null || line.contains(thenLine))) {
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
          break;
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    assertTrue(inStage, "the child never reached '" + stage + "':\n" + String.join("\n",
        seen.subList(Math.max(0, seen.size() - 30), seen.size())));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }
}
