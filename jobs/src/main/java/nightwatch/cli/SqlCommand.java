package nightwatch.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.io.Catalog;
import nightwatch.job.NightlyJob;
import nightwatch.spark.ReadOnlySql;
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

  @Option(names = "--limit", paramLabel = "N", description = "Most rows printed (default: 1000 for the table view, "
      + "every row for csv and json).")
  Integer limit;

  @Option(names = "--allow-writes", description = "Run statements that write or delete (INSERT, DELETE, UPDATE, MERGE, "
      + "VACUUM, RESTORE, DROP, CREATE ... AS, ...); without it they are refused with exit 2.")
  boolean allowWrites;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query, e.g. \"SELECT * FROM clusters LIMIT 5\".")
  String query;

  static final int TABLE_LIMIT = 1000;

  @Override
  public Integer call() {
    NightwatchConfig cfg = config.load();
    SparkSession spark = Sessions.get("nightwatch-sql", cfg);
    register(spark, new Warehouse(spark, cfg.warehouse()), cfg.catalog().database());
    Dataset<Row> result;
    try {
      if (!allowWrites) {
        ReadOnlySql.check(spark, query);
      }
      result = spark.sql(query);
    } catch (ReadOnlySql.WriteRefused e) {
      System.err.println("nightwatch sql: " + e.getMessage());
      return Main.USAGE;
    } catch (Exception e) {
      // A typo or an unknown column (AnalysisException, parse errors included; Scala does not declare it) is
      // the analyst's to fix: one line, not a stack trace.
      if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
        throw e;
      }
      System.err.println("nightwatch sql: " + e.getMessage().strip().lines().findFirst().orElse("invalid query"));
      return Main.USAGE;
    }
    int max = limit != null ? limit : format == Format.table ? TABLE_LIMIT : Integer.MAX_VALUE;
    // Rows stream to the driver a partition at a time; one row more than printed tells whether the limit cut them.
    Dataset<Row> limited = max == Integer.MAX_VALUE ? result : result.limit(max + 1);
    Iterator<?> rows = format == Format.json ? limited.toJSON().toLocalIterator() : limited.toLocalIterator();
    long printed = print(result, rows, max);
    if (rows.hasNext()) {
      System.err.printf(Locale.ROOT, "printed %,d of %,d rows; use --limit%n", printed, result.count());
    }
    return Main.OK;
  }

  /** Prints up to {@code max} rows in the chosen format; returns how many. */
  private long print(Dataset<Row> result, Iterator<?> rows, int max) {
    List<Row> firstRows = new ArrayList<>();
    long n = 0;
    if (format == Format.csv) {
      System.out.println(String.join(",", result.columns()));
    }
    while (n < max && rows.hasNext()) {
      Object next = rows.next();
      n++;
      switch (format) {
        case table -> firstRows.add((Row) next);
        case csv -> {
          Row r = (Row) next;
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            cells.add(csv(r.isNullAt(i) ? "" : String.valueOf(r.get(i))));
          }
          System.out.println(String.join(",", cells));
        }
        case json -> System.out.println(next);
        default -> throw new IllegalStateException();
      }
    }
    if (format == Format.table) {
      result.sparkSession().createDataFrame(firstRows, result.schema()).show(firstRows.size(), false);
    }
    return n;
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
