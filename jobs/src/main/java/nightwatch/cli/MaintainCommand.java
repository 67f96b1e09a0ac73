package nightwatch.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Maintenance;
import nightwatch.io.Warehouse;
import nightwatch.log.LogContext;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = "The weekly upkeep: apply retention (nightwatch.maintenance), compact the recent days of each "
        + "table (OPTIMIZE, Z-ordered as its schema file says), set the history properties, VACUUM; print files "
        + "and bytes before and after. Safe while a night runs.")
public final class MaintainCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions config;

  @Option(names = "--as-of", paramLabel = "DATE", description = "The day retention and compaction count back from "
      + "(default: today, UTC).")
  LocalDate asOf;

  @Override
  public Integer call() {
    NightwatchConfig cfg = config.load();
    SparkSession spark = Sessions.get("nightwatch-maintain", cfg);
    Warehouse wh = new Warehouse(spark, cfg.warehouse(), Maintenance.properties(cfg.maintenance()));
    LocalDate day = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    List<Maintenance.TableResult> results;
    try (LogContext.Scope context = LogContext.open(day, "maintain-" + UUID.randomUUID().toString().substring(0, 8))) {
      results = Maintenance.run(spark, wh, cfg.maintenance(), day);
    }
    System.out.printf(Locale.ROOT, "%-24s %8s %8s %14s %14s %12s%n", "table", "files", "after", "bytes", "after",
        "rows expired");
    long[] total = new long[5];
    for (Maintenance.TableResult r : results) {
      System.out.printf(Locale.ROOT, "%-24s %8d %8d %14d %14d %12d%n", r.table(), r.filesBefore(), r.filesAfter(),
          r.bytesBefore(), r.bytesAfter(), r.rowsExpired());
      total[0] += r.filesBefore();
      total[1] += r.filesAfter();
      total[2] += r.bytesBefore();
      total[3] += r.bytesAfter();
      total[4] += r.rowsExpired();
    }
    System.out.printf(Locale.ROOT, "%-24s %8d %8d %14d %14d %12d%n", "total", total[0], total[1], total[2], total[3],
        total[4]);
    System.out.printf(Locale.ROOT, "maintain %s as of %s in %.1f s%n", wh.root(), day, (System.nanoTime() - t0) / 1e9);
    return Main.OK;
  }
}
