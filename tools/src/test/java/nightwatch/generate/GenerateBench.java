package nightwatch.generate;

import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * Manual timing runner (not a test): generates and writes days of several sizes and prints wall times.
 * Usage: java -cp ... nightwatch.generate.GenerateBench OUT_DIR [sizes...] (default 200000 1000000).
 */
public final class GenerateBench {
  private GenerateBench() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("generate-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    String out = args.length > 0 ? args[0] : "/tmp/nightwatch-bench";
    long[] sizes = args.length > 1 ? java.util.Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray()
        : new long[] {200_000, 1_000_000};
    for (long n : sizes) {
      long t0 = System.nanoTime();
      GeneratedDay day = SyntheticDay.generate(spark, LocalDate.of(2026, 11, 20), n, 42);
      SyntheticDay.write(day, out + "/n" + n);
      System.out.printf("generate+write %,d messages: %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
    spark.stop();
  }
}
