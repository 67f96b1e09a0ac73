package nightwatch.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession with Delta Lake enabled. The master is never set here: spark-submit or the
 * launcher ({@code bin/nightwatch}, which defaults to local mode) chooses it.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession get(String appName) {
    return SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "true")
        .getOrCreate();
  }
}
