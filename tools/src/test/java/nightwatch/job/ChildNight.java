package nightwatch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A real `nightly` process, killed at a chosen point of its log (the shared-storage contract's crash check). */
final class ChildNight {
  static final LocalDate DS = LocalDate.parse("2026-11-20");
  static final String KEY = "kill-and-rerun-test-key";

  private ChildNight() {}

  /**
   * Runs `nightly` for DS in a child JVM on the warehouse and input URIs, with extra JVM flags, and kills it
   * (SIGKILL) when its log shows {@code stage}, or, with {@code thenLine}, at the first line containing that text
   * after {@code stage}.
   */
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
