package nightwatch.realdata;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The shared data files are quoted CSV with a header; texts may span lines. All columns read as strings. */
final class Csv {
  private Csv() {}

  static Dataset<Row> read(SparkSession spark, String path) {
    return spark.read().option("header", "true").option("multiLine", "true").option("quote", "\"")
        .option("escape", "\"").option("mode", "PERMISSIVE").csv(path);
  }
}
