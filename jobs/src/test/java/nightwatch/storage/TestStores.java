package nightwatch.storage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;

/**
 * Real shared storage for tests, on 127.0.0.1 with free ports and data in a temp folder: an HDFS (NameNode +
 * DataNode, in this JVM) and an S3-compatible server (S3Proxy, filesystem backend, in a child JVM) reached through
 * Hadoop's s3a connector. Each starts lazily on first use, once per JVM; a shutdown hook stops both.
 */
public final class TestStores {
  public static final String ACCESS_KEY = "nightwatch-test-access";
  public static final String SECRET_KEY = "nightwatch-test-secret";
  public static final String REGION = "us-east-1";
  private static final String BUCKET = "nightwatch-test";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static Path root;
  private static MiniDFSCluster hdfs;
  private static String hdfsUri;
  private static Process s3proxy;
  private static String s3Endpoint;
  private static boolean hookAdded;

  private TestStores() {}

  /**
   * Starts both stores for use from outside the tests (bin/test-stores, e.g. for {@code bench --warehouse-roots}),
   * prints the JVM flags a client needs and the two roots, then serves until SIGTERM or Ctrl-C, or until standard
   * input closes when it is a pipe; the shutdown hook stops both and deletes their data.
   */
  public static void main(String[] args) throws Exception {
    List<String> flags = sparkSystemProperties();
    if (flags.stream().anyMatch(f -> f.contains(" "))) {
      throw new IllegalStateException("a setting contains a space, but bin/nightwatch splits NIGHTWATCH_JAVA_OPTS on "
          + "spaces: " + flags);
    }
    System.out.println("NIGHTWATCH_JAVA_OPTS=" + String.join(" ", flags));
    System.out.println(hdfsUri());
    System.out.println(s3Uri());
    System.out.flush();
    if (stdinIsPipe()) {
      // A parent that holds a pipe to us: its exit (end of input) stops the stores.
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // Input is ignored; only its end matters.
        }
      }
      System.exit(0);
    }
    // A terminal or /dev/null (a background job): reading would stop the job or end at once, so wait for a signal.
    Thread.currentThread().join();
  }

  private static boolean stdinIsPipe() {
    try {
      return Files.readSymbolicLink(Paths.get("/proc/self/fd/0")).toString().startsWith("pipe:");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** "hdfs://127.0.0.1:PORT" of a running NameNode with one DataNode. */
  public static synchronized String hdfsUri() {
    if (hdfs == null) {
      long t0 = System.nanoTime();
      try {
        Configuration conf = new Configuration();
        conf.setBoolean("dfs.permissions.enabled", false);
        conf.setInt("dfs.replication", 1);
        // The DataNode's first heartbeat (3 s by default) is what waitActive waits for.
        conf.setInt("dfs.heartbeat.interval", 1);
        File base = dir("hdfs").toFile();
        hdfs = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).storagesPerDatanode(1).format(true).build();
        hdfs.waitActive();
      } catch (IOException e) {
        throw new UncheckedIOException("HDFS did not start", e);
      }
      hdfsUri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
      System.out.printf("TestStores: HDFS at %s in %d ms%n", hdfsUri, (System.nanoTime() - t0) / 1_000_000);
    }
    return hdfsUri;
  }

  /** A bucket that exists on the S3 server: use it as "s3a://" + s3Bucket(). */
  public static synchronized String s3Bucket() {
    if (s3proxy == null) {
      long t0 = System.nanoTime();
      startS3Proxy();
      System.out.printf("TestStores: S3 at %s in %d ms%n", s3Endpoint, (System.nanoTime() - t0) / 1_000_000);
    }
    return BUCKET;
  }

  public static String s3Uri() {
    return "s3a://" + s3Bucket();
  }

  /** The Hadoop client settings for both stores (starts them). */
  public static synchronized Map<String, String> hadoopSettings() {
    hdfsUri();
    s3Bucket();
    Map<String, String> m = new LinkedHashMap<>();
    // HDFS client: one DataNode, and a NameNode that is down fails at once instead of after 10+ s of retries.
    m.put("dfs.replication", "1");
    m.put("ipc.client.connect.max.retries", "1");
    m.put("ipc.client.connect.retry.interval", "200");
    m.put("ipc.client.connect.timeout", "2000");
    m.put("ipc.client.connect.max.retries.on.timeouts", "1");
    // s3a against S3Proxy: plain http, path-style URLs (no bucket DNS names), static test credentials.
    m.put("fs.s3a.endpoint", s3Endpoint);
    m.put("fs.s3a.endpoint.region", REGION);
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("fs.s3a.access.key", ACCESS_KEY);
    m.put("fs.s3a.secret.key", SECRET_KEY);
    // Fail fast when the server is unreachable: no SDK retries and one s3a retry. (s3a raises any network
    // timeout below 15 s to 15 s, so none is set: a refused connection on 127.0.0.1 fails at once anyway.)
    m.put("fs.s3a.attempts.maximum", "1");
    m.put("fs.s3a.retry.limit", "1");
    m.put("fs.s3a.retry.interval", "100ms");
    m.put("fs.s3a.retry.throttle.limit", "1");
    m.put("fs.s3a.retry.throttle.interval", "100ms");
    // S3Proxy has ETags but no object versions.
    m.put("fs.s3a.change.detection.source", "etag");
    m.put("fs.s3a.change.detection.version.required", "false");
    return m;
  }

  /** Applies {@link #hadoopSettings()} to the session's Hadoop configuration (read by Spark and Delta). */
  public static void configure(SparkSession spark) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    hadoopSettings().forEach(conf::set);
  }

  /** The same settings for a child spark-submit or launcher: "--conf", "spark.hadoop.KEY=VALUE", ... */
  public static List<String> sparkConfArgs() {
    List<String> args = new ArrayList<>();
    hadoopSettings().forEach((k, v) -> {
      args.add("--conf");
      args.add("spark.hadoop." + k + "=" + v);
    });
    return args;
  }

  /** The same settings as JVM flags "-Dspark.hadoop.KEY=VALUE" (SparkConf reads spark.* system properties). */
  public static List<String> sparkSystemProperties() {
    List<String> flags = new ArrayList<>();
    hadoopSettings().forEach((k, v) -> flags.add("-Dspark.hadoop." + k + "=" + v));
    return flags;
  }

  private static void startS3Proxy() {
    Path jar = Paths.get(System.getProperty("nightwatch.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No S3Proxy jar at " + jar.toAbsolutePath()
          + ": Maven's generate-test-resources phase copies it there (mvn test-compile)");
    }
    try {
      Path data = dir("s3");
      // The filesystem backend serves each folder of its base directory as a bucket.
      Files.createDirectories(data.resolve(BUCKET));
      String classes = Paths.get(TestStores.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
      IOException last = null;
      // A free port can be taken between probing and binding: try again on a new one.
      for (int attempt = 0; attempt < 3 && s3proxy == null; attempt++) {
        int port = freePort();
        String endpoint = "http://127.0.0.1:" + port;
        Path props = root.resolve("s3proxy-" + port + ".properties");
        Files.writeString(props, String.join("\n",
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + data) + "\n");
        Path log = root.resolve("s3proxy-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", jar.toAbsolutePath() + File.pathSeparator + classes,
            ChildMain.class.getName(), "--properties", props.toString());
        pb.environment().put("LOG_LEVEL", "warn");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
          awaitHttp(p, endpoint, log);
          s3proxy = p;
          s3Endpoint = endpoint;
        } catch (IOException e) {
          p.destroyForcibly();
          last = e;
        }
      }
      if (s3proxy == null) {
        throw last;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("S3Proxy did not start", e);
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start", e);
    }
  }

  /** Waits until the server answers HTTP at all (403 without credentials), or its JVM exits. */
  private static void awaitHttp(Process p, String endpoint, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("S3Proxy exited with " + p.exitValue() + ":\n" + tail(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() > 0) {
          c.disconnect();
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("S3Proxy did not answer within " + START_TIMEOUT + ":\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /** A fresh folder under this JVM's temp root; the first call creates the root and the shutdown hook. */
  private static Path dir(String name) throws IOException {
    if (root == null) {
      root = Files.createTempDirectory("nightwatch-stores-");
    }
    if (!hookAdded) {
      Runtime.getRuntime().addShutdownHook(new Thread(TestStores::stop, "test-stores-stop"));
      hookAdded = true;
    }
    return Files.createDirectories(root.resolve(name));
  }

  private static synchronized void stop() {
    if (s3proxy != null) {
      s3proxy.destroy();
      try {
        if (!s3proxy.waitFor(10, TimeUnit.SECONDS)) {
          s3proxy.destroyForcibly();
        }
      } catch (InterruptedException e) {
        s3proxy.destroyForcibly();
      }
    }
    if (hdfs != null) {
      try {
        hdfs.shutdown(true);
      } catch (RuntimeException e) {
        // Hadoop's own hooks may have stopped parts of it already; the folder goes below anyway.
      }
    }
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // Best effort: it is a temp folder.
      }
    }
  }

  /**
   * Main class of the S3Proxy JVM: exits when its standard input closes, i.e. when the test JVM is gone, even if it
   * was killed before its shutdown hook could run. Touches nothing of the outer class, so it loads without Spark.
   */
  public static final class ChildMain {
    public static void main(String[] args) throws Exception {
      Thread watchdog = new Thread(() -> {
        try (InputStream in = System.in) {
          while (in.read() >= 0) {
            // The parent never writes; read() returns -1 when it exits.
          }
        } catch (IOException e) {
          // Same as end of input.
        }
        Runtime.getRuntime().halt(0);
      }, "parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      Method main = Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class);
      main.invoke(null, (Object) args);
    }
  }
}
