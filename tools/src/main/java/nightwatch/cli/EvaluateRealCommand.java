package nightwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.realdata.RealEvaluation;
import nightwatch.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate-real", mixinStandardHelpOptions = true,
    description = "Evaluate the classifier and the nightly scoring on the public tweets in the shared data folder "
        + "(see its README); print one JSON object. Skips (exit 0) when the folder is absent.")
public final class EvaluateRealCommand implements Callable<Integer> {
  @Option(names = "--data", description = "Folder with the shared data files (default: ../shared/data).")
  String data = "../shared/data";

  @Option(names = "--warehouse", description = "Scratch warehouse for the replay and its models "
      + "(default: ./warehouse-real; replaced on each run).")
  String warehouse = "./warehouse-real";

  @Option(names = "--conf", description = "Config file (HOCON).")
  File conf;

  @Option(names = "--messages", description = "Synthetic background messages of the replay day (default: 20000).")
  long messages = 20000;

  @Override
  public Integer call() throws Exception {
    Path dir = Path.of(data);
    String missing = RealEvaluation.missingFile(dir);
    if (missing != null) {
      System.out.println("evaluate-real: skipped: " + missing + " (the public data described in "
          + "../shared/data/README.md is not available here)");
      return Main.OK;
    }
    NightwatchConfig cfg = ConfigOptions.load(conf, warehouse, null);
    var result = new RealEvaluation(Sessions.get("nightwatch-evaluate-real"), cfg, dir.toAbsolutePath().toString(),
        messages).run();
    System.out.println(new ObjectMapper().writeValueAsString(result));
    return Main.OK;
  }
}
