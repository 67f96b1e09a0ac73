package nightwatch.tools;

import java.util.List;
import nightwatch.cli.BenchClusteringCommand;
import nightwatch.cli.BenchCommand;
import nightwatch.cli.DemoCommand;
import nightwatch.cli.EvaluateClusteringCommand;
import nightwatch.cli.EvaluateCommand;
import nightwatch.cli.EvaluateRealCommand;
import nightwatch.cli.EvaluateSeedsCommand;
import nightwatch.cli.GenerateCommand;
import nightwatch.cli.ImportIraCommand;
import nightwatch.cli.Main;
import nightwatch.cli.ForgetCommand;
import nightwatch.cli.MaintainCommand;
import nightwatch.cli.NightlyCommand;
import nightwatch.cli.NotebookCommand;
import nightwatch.cli.SqlCommand;
import nightwatch.cli.TrainCommand;

/**
 * Entry point of bin/nightwatch: the job's commands plus the tools (generator, evaluation, benchmarks,
 * importers), under the same name, help and exit codes as {@link Main}, which the job jar keeps alone.
 */
public final class NightwatchTools {
  /** Every command, in the order the help lists them. */
  public static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, GenerateCommand.class,
      NightlyCommand.class, SqlCommand.class, EvaluateCommand.class, BenchCommand.class, TrainCommand.class,
      EvaluateRealCommand.class, NotebookCommand.class, ImportIraCommand.class, EvaluateClusteringCommand.class,
      BenchClusteringCommand.class, EvaluateSeedsCommand.class, MaintainCommand.class, ForgetCommand.class);

  private NightwatchTools() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return Main.commandLine(COMMANDS).execute(args);
  }
}
