package nightwatch.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import nightwatch.importers.IraImporter;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import-ira", mixinStandardHelpOptions = true,
    description = "Load one day of the IRA troll tweets CSV (FiveThirtyEight) into the input contract.")
public final class ImportIraCommand implements Callable<Integer> {
  @Option(names = "--file", required = true, description = "ira-troll-tweets CSV (gzip allowed).")
  String file;

  @Option(names = "--out", required = true, description = "Output day folder (messages/, accounts/, reports/).")
  String out;

  @Option(names = "--date", description = "Day to import (default: the busiest day, 2016-10-06).")
  LocalDate date = IraImporter.BUSIEST_DAY;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.get("nightwatch-import-ira");
    long start = System.nanoTime();
    long n = IraImporter.importDay(spark, file, date, out);
    System.out.printf("imported %d messages of %s from %s into %s in %.1f s%n", n, date, file, out,
        (System.nanoTime() - start) / 1e9);
    return n == 0 ? Main.EMPTY_INPUT : Main.OK;
  }
}
