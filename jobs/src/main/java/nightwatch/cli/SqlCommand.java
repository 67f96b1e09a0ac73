package nightwatch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.io.Catalog;
import nightwatch.job.NightlyJob;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run Spark SQL with every warehouse table registered by name; print the result.")
public final class SqlCommand implements Callable<Integer> {
  enum Format { table, csv, json }

  @Mixin
  ConfigOptions config;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--limit", defaultValue = "1000", description = "Most rows printed (default: ${DEFAULT-VALUE}).")
  int limit;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query, e.g. \"SELECT * FROM clusters LIMIT 5\".")
  String query;

  @Override
  public Integer call() {
    NightwatchConfig cfg = config.load();
    SparkSession spark = Sessions.get("nightwatch-sql", cfg);
    register(spark, new Warehouse(spark, cfg.warehouse()), cfg.catalog().database());
    Dataset<Row> result;
    try {
      result = spark.sql(query).limit(limit);
    } catch (Exception e) {
      // A typo or an unknown column (AnalysisException, parse errors included; Scala does not declare it) is
      // the analyst's to fix: one line, not a stack trace.
      if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
        throw e;
      }
      System.err.println("nightwatch sql: " + e.getMessage().strip().lines().findFirst().orElse("invalid query"));
      return Main.USAGE;
    }
    switch (format) {
      case table -> result.show(limit, false);
      case csv -> {
        System.out.println(String.join(",", result.columns()));
        for (Row r : result.collectAsList()) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            cells.add(csv(r.isNullAt(i) ? "" : String.valueOf(r.get(i))));
          }
          System.out.println(String.join(",", cells));
        }
      }
      case json -> result.toJSON().collectAsList().forEach(System.out::println);
      default -> throw new IllegalStateException();
    }
    return Main.OK;
  }

  /**
   * Makes every table queryable by its plain name: registered in the catalog database, which becomes the
   * current one (so {@code clusters} and {@code nightwatch.clusters} both work). If the metastore cannot be
   * reached (the embedded one serves one process at a time), falls back to session views of the same names.
   */
  static void register(SparkSession spark, Warehouse wh, String database) {
    try {
      Catalog.register(spark, wh, database);
      spark.sql("USE `" + database + "`");
    } catch (RuntimeException e) {
      System.err.println("nightwatch: catalog unavailable (" + NightlyJob.oneLine(e)
          + "); tables registered as session views instead");
      for (String t : Catalog.tableNames()) {
        if (wh.exists(t)) {
          wh.read(t).createOrReplaceTempView(t);
        }
      }
    }
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
