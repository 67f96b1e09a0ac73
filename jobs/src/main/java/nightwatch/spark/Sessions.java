package nightwatch.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Preflight;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the SparkSession with Delta Lake enabled. The master is never set here: spark-submit or the
 * launcher ({@code bin/nightwatch}, which defaults to local mode) chooses it.
 */
public final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

  private Sessions() {}

  /** A session without a persistent catalog (enough for commands that only read and write by path). */
  public static SparkSession get(String appName) {
    SparkSession spark = builder(appName).getOrCreate();
    Progress.start(spark);
    return spark;
  }

  /**
   * A session whose catalog has a metastore, so tables registered by name outlive the process: the shared
   * Hive metastore that {@code nightwatch.catalog.metastore-uri} names, or else the embedded one (Derby)
   * in {@code metastore-dir} when that is a local folder. Derby cannot live on HDFS or an object store: with a
   * remote {@code metastore-dir} (the default for a remote warehouse) and no shared metastore, and without Spark's
   * Hive module on the classpath, the catalog is the session's own (names registered at each start).
   */
  public static SparkSession get(String appName, NightwatchConfig cfg) {
    SparkSession spark = withCatalog(appName, cfg);
    Progress.start(spark);
    Preflight.warehouse(spark, cfg.warehouse(), Preflight.DEFAULT_TIMEOUT);
    if ("hive".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"))) {
      NightwatchConfig.Catalog c = cfg.catalog();
      Preflight.catalog(spark, c.metastoreUri().isEmpty() ? "embedded metastore in " + c.metastoreDir()
          : "Hive metastore " + c.metastoreUri(), Preflight.DEFAULT_TIMEOUT);
    }
    return spark;
  }

  private static SparkSession withCatalog(String appName, NightwatchConfig cfg) {
    SparkSession.Builder b = builder(appName);
    NightwatchConfig.Catalog c = cfg.catalog();
    if (!hiveAvailable()) {
      LOG.warn("Spark's Hive module is not on the classpath: tables are registered for this session only");
      return b.getOrCreate();
    }
    if (!c.metastoreUri().isEmpty()) {
      b.config("spark.sql.catalogImplementation", "hive");
      b.config("spark.hadoop.hive.metastore.uris", c.metastoreUri());
      // A metastore that cannot be reached fails the first catalog call within about a minute, not after retries.
      b.config("spark.hadoop.hive.metastore.connect.retries", "2");
      b.config("spark.hadoop.hive.metastore.client.connect.retry.delay", "2s");
      b.config("spark.hadoop.hive.metastore.client.socket.timeout", "20s");
      LOG.info("catalog: shared Hive metastore {}", c.metastoreUri());
      return b.getOrCreate();
    }
    Path dir = localFolder(c.metastoreDir());
    if (dir == null) {
      LOG.warn("catalog: nightwatch.catalog.metastore-dir {} is not a local folder and no metastore-uri is set: "
          + "tables are registered for this session only", c.metastoreDir());
      // The session catalog's database folders go beside the warehouse, not into the driver's working directory.
      return b.config("spark.sql.warehouse.dir", c.metastoreDir() + "/databases").getOrCreate();
    }
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException | RuntimeException e) {
      throw new NightwatchConfig.InvalidConfigException("nightwatch.catalog.metastore-dir: cannot create " + dir
          + ": " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new NightwatchConfig.InvalidConfigException("nightwatch.catalog.metastore-dir: " + dir + " is not writable");
    }
    // Derby writes its log to the working directory unless told otherwise.
    System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
    b.config("spark.sql.catalogImplementation", "hive")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true")
        .config("spark.sql.warehouse.dir", dir.resolve("databases").toUri().toString());
    LOG.info("catalog: embedded metastore in {}", dir);
    return b.getOrCreate();
  }

  /** The local folder a location names (a plain path or a {@code file:} URI), or null for any other scheme. */
  static Path localFolder(String location) {
    String scheme = new org.apache.hadoop.fs.Path(location).toUri().getScheme();
    if (scheme != null && !scheme.equals("file")) {
      return null;
    }
    return Path.of(new org.apache.hadoop.fs.Path(location).toUri().getPath()).toAbsolutePath().normalize();
  }

  private static SparkSession.Builder builder(String appName) {
    SparkSession.Builder b = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "true");
    defaults(new SparkConf()).forEach(b::config);
    return b;
  }

  /**
   * Settings the job prefers, for each key the submitted configuration ({@code spark-submit --conf}, or the
   * launcher's {@code -D} options) does not set. {@code spark.rdd.compress}: the kept intermediates are stored
   * compressed whenever they are serialized (on disk, or with a {@code _SER} level), as the disk I/O saved outweighs
   * the compression. {@code spark.sql.codegen.aggregate.map.twolevel.enabled}: off, because the job's large
   * aggregates have nearly as many groups as rows (the exact-duplicate collapse, the distinct candidate edges), so
   * Spark's small first-level map fills at once and then costs every row a wasted probe before the regular map.
   */
  static Map<String, String> defaults(SparkConf submitted) {
    Map<String, String> d = new LinkedHashMap<>();
    PREFERRED.forEach((key, value) -> {
      if (!submitted.contains(key)) {
        d.put(key, value);
      }
    });
    return d;
  }

  static final String TWO_LEVEL_AGGREGATE_MAP = "spark.sql.codegen.aggregate.map.twolevel.enabled";

  /** The settings {@link #defaults} gives for each key the submitted configuration leaves unset. */
  private static final Map<String, String> PREFERRED = Map.of(
      "spark.rdd.compress", "true",
      TWO_LEVEL_AGGREGATE_MAP, "false");

  static boolean hiveAvailable() {
    try {
      Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder", false, Sessions.class.getClassLoader());
      Class.forName("org.apache.hadoop.hive.conf.HiveConf", false, Sessions.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
