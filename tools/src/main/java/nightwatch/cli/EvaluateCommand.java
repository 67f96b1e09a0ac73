package nightwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.eval.Evaluator;
import nightwatch.io.Warehouse;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Compare a day's outputs with the generator's ground truth; print one JSON object.")
public final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--date", required = true, description = "Day to evaluate.")
  LocalDate date;

  @Mixin
  ConfigOptions config;

  @Option(names = "--truth", description = "Folder that 'generate --out' wrote (holds _truth/); "
      + "default: the day's input folder from the config.")
  String truth;

  @Override
  public Integer call() throws Exception {
    NightwatchConfig cfg = config.load();
    SparkSession spark = Sessions.get("nightwatch-evaluate");
    String dir = truth != null ? truth : cfg.input().path(cfg.input().root(), date);
    System.out.println(new ObjectMapper().writeValueAsString(
        Evaluator.evaluate(spark, new Warehouse(spark, cfg.warehouse()), date, dir,
            cfg.scoring().flaggedClusterScore())));
    return Main.OK;
  }
}
