package nightwatch;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base class for Spark tests: one SparkSession for the whole test JVM (surefire reuses one fork),
 * local[2], no UI, loopback driver, few shuffle partitions so small fixtures stay fast.
 */
public abstract class SparkTest {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("nightwatch-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          // Spark keeps 100 compiled query classes by default; the suite's many nightly runs plan the same queries
          // again, and recompiling them was a fifth of those tests' time (4 job test classes: 177 -> 141 s).
          .config("spark.sql.codegen.cache.maxEntries", "4000")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
  }
}
