package nightwatch.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.job.NightlyJob;
import nightwatch.job.RunResult;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = "Run the nightly job for one day (--date) or for each day of a range in order (--from/--to).")
public final class NightlyCommand implements Callable<Integer> {
  static final class Days {
    @Option(names = "--date", required = true, description = "Day to process (yyyy-MM-dd, UTC).")
    LocalDate date;

    @ArgGroup(exclusive = false)
    Range range;
  }

  static final class Range {
    @Option(names = "--from", required = true, description = "First day of a backfill.")
    LocalDate from;
    @Option(names = "--to", required = true, description = "Last day of a backfill (inclusive).")
    LocalDate to;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Days days;

  @Mixin
  ConfigOptions config;

  @Option(names = "--input", description = "Input folder of the day (messages/, accounts/, reports/, reference/); "
      + "overrides nightwatch.input.root. {ds} is replaced by the day.")
  String input;

  @Option(names = "--force", description = "Run on even when a data-quality gate fails (low volume, many rejected "
      + "rows); the verdict is still recorded in job_runs.quality_gate.")
  boolean force;

  @Override
  public Integer call() {
    NightwatchConfig cfg = config.load(input);
    LocalDate first = days.date != null ? days.date : days.range.from;
    LocalDate last = days.date != null ? days.date : days.range.to;
    if (last.isBefore(first)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--to is before --from");
    }
    SparkSession spark = Sessions.get("nightwatch-nightly", cfg);
    NightlyJob job = new NightlyJob(spark, cfg);
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      try {
        RunResult r = job.run(d, force);
        System.out.println(Summary.line(r));
      } catch (RuntimeException e) {
        if (!first.equals(last)) {
          System.err.println("backfill stopped at " + d + "; days done: "
              + (d.equals(first) ? "none" : first + " .. " + d.minusDays(1)));
        }
        throw e;
      }
    }
    return Main.OK;
  }
}
