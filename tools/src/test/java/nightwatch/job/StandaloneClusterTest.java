package nightwatch.job;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import nightwatch.storage.TestStores;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real distributed run on shared storage: a Spark standalone master and two workers on 127.0.0.1, whose input
 * and warehouse are on a real HDFS (TestStores), started as plain java processes from the jobs module's Maven
 * dependencies (jobs/target/classpath.txt), the job jar built from jobs/target/classes (the job alone, as in the
 * shaded jar) and submitted with spark-submit (org.apache.spark.deploy.SparkSubmit) to
 * spark://127.0.0.1:PORT. The tables it writes must equal those of a local run on the same input. The
 * daemons (and the executors they start) are stopped by process id in {@link #stopCluster()}, whatever
 * happened.
 *
 * <p>In the default suite (3 to 4 minutes on a 2-core machine); {@code -Dnightwatch.clusterTest=false}
 * skips it for a quicker local run.
 */
@org.junit.jupiter.api.condition.DisabledIfSystemProperty(named = "nightwatch.clusterTest", matches = "false",
    disabledReason = "skipped with -Dnightwatch.clusterTest=false")
class StandaloneClusterTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-05-04");
  static final String SECRET = "pseudonym-key-do-not-leak-5f2e9c";
  static final List<Process> DAEMONS = new ArrayList<>();

  @TempDir
  static Path tmp;
  static Path localInput;
  static String input;
  static String clusterWh;
  static Path localWh;
  static Path logs;
  static int submitCode;
  static String submitOut;

  @BeforeAll
  static void runOnClusterAndLocally() throws Exception {
    localInput = tmp.resolve("input");
    SyntheticDay.write(SyntheticDay.generate(spark, DS, 1500, 11), localInput.toString());
    // The cluster reads and writes only shared storage: its input and warehouse are on a real HDFS.
    String hdfs = TestStores.hdfsUri();
    input = hdfs + "/standalone/input";
    clusterWh = hdfs + "/standalone/wh-cluster";
    copyToStore(localInput, input);
    localWh = tmp.resolve("wh-local");
    logs = Files.createDirectories(tmp.resolve("logs"));

    Path target = Path.of(System.getProperty("nightwatch.repo", ".."), "jobs", "target").toAbsolutePath().normalize();
    List<String> deps = classpath(target);
    String cp = String.join(File.pathSeparator, deps);
    Path app = appJar(target.resolve("classes"), tmp.resolve("nightwatch-app.jar"));
    // SPARK_HOME for the daemons: a jars/ folder of links to the dependency jars (executors' classpath).
    Path sparkHome = Files.createDirectories(tmp.resolve("spark-home/jars"));
    for (String d : deps) {
      Path p = Path.of(d);
      if (d.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = sparkHome.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p);
        }
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", sparkHome.getParent().toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");

    int port = freePort();
    String master = "spark://127.0.0.1:" + port;
    try {
      DAEMONS.add(start(java(cp, "256m", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", String.valueOf(port), "--webui-port", "0"), env, "master"));
      awaitPort(port);
      for (int w = 1; w <= 2; w++) {
        DAEMONS.add(start(java(cp, "256m", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--cores", "1", "--memory", "1g", "--webui-port", "0",
            "--work-dir", Files.createDirectories(tmp.resolve("work" + w)).toString(), master), env, "worker" + w));
      }
      awaitLog("master.log", "Registering worker", 2);
      List<String> submit = java(cp, "768m", "org.apache.spark.deploy.SparkSubmit",
          "--master", master, "--deploy-mode", "client", "--class", "nightwatch.cli.Main",
          "--conf", "spark.executor.memory=512m", "--conf", "spark.cores.max=2",
          "--conf", "spark.executor.extraJavaOptions=" + jvmFlags() + " " + C1_ONLY
              + " -Duser.timezone=UTC",
          "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
          "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.databricks.delta.snapshotPartitions=2",
          "--conf", "spark.redaction.regex=(?i)secret|password|token|access[.]?key|pseudonym",
          "--conf", "spark.hadoop.dfs.replication=1",
          app.toString(), "nightly", "--date", DS.toString(), "--warehouse", clusterWh, "--input", input);
      Map<String, String> submitEnv = new HashMap<>(env);
      submitEnv.put("NIGHTWATCH_PSEUDONYM_KEY", SECRET);
      Process p = start(submit, submitEnv, "submit");
      // A hang guard, not a timing: about 2 minutes on an idle 2-core machine, over 10 on a crowded one.
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        fail("spark-submit did not finish in 30 minutes; see " + logs);
      }
      submitCode = p.exitValue();
      submitOut = Files.readString(logs.resolve("submit.log"));
    } finally {
      stopCluster();
    }

    Map<String, Object> o = new HashMap<>();
    o.put("nightwatch.warehouse", localWh.toString());
    o.put("nightwatch.input.root", localInput.toString());
    // The same key as the cluster run, so that reporter pseudonyms (report_log) can be compared.
    new NightlyJob(spark, NightwatchConfig.load(null, o), nightwatch.privacy.Pseudonymizer.ofKey(SECRET)).run(DS);
  }

  /** Stops the daemons and every process they started (executors), by process id. Safe to call twice. */
  @AfterAll
  static void stopCluster() {
    for (Process p : DAEMONS) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : DAEMONS) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    DAEMONS.clear();
  }

  @Test
  void theClusterRunSucceedsOnTwoWorkers() throws IOException {
    assertEquals(0, submitCode, "spark-submit exit code; output tail:\n" + tail(submitOut));
    long executors;
    try (Stream<Path> s = Files.walk(tmp)) {
      executors = s.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains("/work"))
          .count();
    }
    assertEquals(2, executors, "one executor on each worker");
  }

  @Test
  void everyTableEqualsTheLocalRun() {
    assertEquals(0, submitCode, "cluster run failed:\n" + tail(submitOut));
    Warehouse c = new Warehouse(spark, clusterWh);
    Warehouse l = new Warehouse(spark, localWh.toString());
    for (String t : Tables.OUTPUTS) {
      if (t.equals(Tables.JOB_RUNS)) {
        continue;
      }
      List<String> fromCluster = canonical(c.read(t));
      List<String> fromLocal = canonical(l.read(t));
      assertEquals(fromLocal, fromCluster, t + ": the cluster run must write the same rows as the local run");
    }
    assertTrue(canonical(l.read(Tables.MESSAGE_CLUSTERS)).size() > 0, "the fixture forms clusters");
    Row run = c.read(Tables.JOB_RUNS).filter("outcome <> 'started'").first();
    assertEquals("success", run.getAs("outcome"));
  }

  @Test
  void theSecretAppearsInNoLogAndNoTable() throws IOException {
    assertFalse(submitOut.contains(SECRET), "driver log");
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".jar")).toList()) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(SECRET), "secret found in " + p);
      }
    }
    org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(clusterWh).getFileSystem(
        spark.sparkContext().hadoopConfiguration());
    var files = fs.listFiles(new org.apache.hadoop.fs.Path(clusterWh), true);
    int scanned = 0;
    while (files.hasNext()) {
      org.apache.hadoop.fs.Path f = files.next().getPath();
      try (var in = fs.open(f)) {
        assertFalse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(SECRET), "secret found in " + f);
      }
      scanned++;
    }
    assertTrue(scanned > 20, "the HDFS warehouse holds the tables and the report: " + scanned + " files");
    for (String t : Tables.OUTPUTS) {
      assertTrue(canonical(new Warehouse(spark, clusterWh).read(t)).stream()
          .noneMatch(r -> r.contains(SECRET)), t);
    }
  }

  /** Copies a local folder into a store (any Hadoop URI), as an export job would put a day there. */
  static void copyToStore(Path local, String uri) throws IOException {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(uri);
    org.apache.hadoop.fs.FileUtil.copy(org.apache.hadoop.fs.FileSystem.getLocal(conf),
        new org.apache.hadoop.fs.Path(local.toUri()), dst.getFileSystem(conf), dst, false, true, conf);
  }

  /**
   * Rows as sorted JSON strings, doubles rounded to 9 places (summation order may differ by partitioning), input file
   * names from their dataset folder on.
   */
  static List<String> canonical(Dataset<Row> d) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : d.schema().fields()) {
      Column c = col(f.name());
      if (f.name().equals("source_file")) {
        // rejected_records names each row's file: compared from the dataset folder on, whatever the store.
        c = regexp_extract(c, "(messages|accounts|reports|reference)/.*$", 0);
      }
      cols.add((f.dataType().equals(DataTypes.DoubleType) ? round(c, 9) : c).as(f.name()));
    }
    return d.select(to_json(struct(cols.toArray(new Column[0]))).as("j")).orderBy("j").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  static String tail(String s) {
    if (s == null) {
      return "(no output)";
    }
    String[] lines = s.split("\n");
    return Arrays.stream(lines).skip(Math.max(0, lines.length - 40)).collect(Collectors.joining("\n"));
  }

  /** Dependency jars (Spark included, all scopes) from target/classpath.txt, else from this JVM's classpath. */
  static List<String> classpath(Path target) throws IOException {
    Path file = target.resolve("classpath.txt");
    String raw = Files.exists(file) ? Files.readString(file).strip() : System.getProperty("java.class.path");
    return Arrays.stream(raw.split(File.pathSeparator))
        .filter(e -> e.endsWith(".jar") && !e.contains("surefire") && !e.contains("junit"))
        .toList();
  }

  /** The job jar, as the shaded jar minus its dependencies: target/classes with a manifest main class. */
  static Path appJar(Path classes, Path jar) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "nightwatch.cli.Main");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
         Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }

  static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  static String jvmFlags() {
    return String.join(" ", List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
        "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false"));
  }

  static List<String> java(String cp, String heap, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    // C1 only: these JVMs live for one small run, which ends sooner without the optimising compiler's warm-up.
    cmd.add(C1_ONLY);
    cmd.addAll(Arrays.asList(jvmFlags().split(" ")));
    cmd.add("-Duser.timezone=UTC");
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  static Process start(List<String> cmd, Map<String, String> env, String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().remove("NIGHTWATCH_PSEUDONYM_KEY");
    pb.environment().putAll(env);
    return pb.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits until a daemon's log holds {@code times} lines with {@code text} (or a daemon died). */
  static void awaitLog(String log, String text, int times) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (Process d : DAEMONS) {
        if (!d.isAlive()) {
          fail("a Spark daemon exited; logs in " + logs);
        }
      }
      String s = Files.readString(logs.resolve(log));
      if (s.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
        return;
      }
      Thread.sleep(200);
    }
    fail(log + " did not show " + times + " x '" + text + "' within 120 s:\n" + tail(Files.readString(logs.resolve(log))));
  }

  /** Waits until the master accepts connections (or its process died). */
  static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!DAEMONS.get(0).isAlive()) {
        fail("the master exited:\n" + tail(Files.readString(logs.resolve("master.log"))));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    fail("the master did not listen on port " + port + " within 120 s");
  }
}
