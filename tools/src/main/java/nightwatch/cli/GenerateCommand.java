package nightwatch.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import nightwatch.generate.GeneratedDay;
import nightwatch.generate.SyntheticDay;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate one synthetic day in the input contract, with its ground truth in OUT/_truth.")
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--date", required = true, description = "Day to generate.")
  LocalDate date;

  @Option(names = "--messages", defaultValue = "200000", description = "About how many messages (default: ${DEFAULT-VALUE}).")
  long messages;

  @Option(names = "--out", required = true, description = "Output folder (messages/, accounts/, reports/, reference/, _truth/).")
  String out;

  @Mixin
  SeedOption seedOption;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.get("nightwatch-generate");
    long start = System.nanoTime();
    GeneratedDay day = SyntheticDay.generate(spark, date, messages, seedOption.seed);
    SyntheticDay.write(day, out);
    System.out.printf("generated %s (%d messages requested, seed %d) in %s in %.1f s%n", date, messages, seedOption.seed, out,
        (System.nanoTime() - start) / 1e9);
    return Main.OK;
  }
}
