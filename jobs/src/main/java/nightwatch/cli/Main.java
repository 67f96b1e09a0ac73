package nightwatch.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.MissingInputException;
import nightwatch.job.NightlyJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the job's commands (the main class for spark-submit). It only parses arguments and hands
 * over to a job; exit codes are documented in README.md. The tools module's launcher builds on
 * {@link #commandLine(List)} so that every command shares the same exit codes.
 */
@Command(name = "nightwatch", mixinStandardHelpOptions = true, version = "nightwatch 0.1.0",
    description = "Nightly detection of coordinated propaganda for human review (Spark + Delta Lake).")
public final class Main implements Runnable {
  /** The commands the job jar carries; the tools module adds the generator, evaluation and benchmarks. */
  public static final List<Class<?>> JOB_COMMANDS =
      List.of(NightlyCommand.class, SqlCommand.class, TrainCommand.class, NotebookCommand.class,
          MaintainCommand.class, ForgetCommand.class);

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int MISSING_INPUT = 3;
  public static final int EMPTY_INPUT = 4;
  public static final int BAD_CONFIG = 5;
  public static final int QUALITY_GATE = 6;
  public static final int DAY_LOCKED = 7;
  public static final int UNREACHABLE = 8;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return commandLine(JOB_COMMANDS).execute(args);
  }

  /** The top-level command with these subcommands (in help order), the date converter and the exit codes. */
  public static CommandLine commandLine(List<Class<?>> commands) {
    CommandLine cl = new CommandLine(new Main());
    // Subcommands first: the converter and handler below apply to those registered at the time.
    for (Class<?> c : commands) {
      cl.addSubcommand(c);
    }
    cl.registerConverter(LocalDate.class, s -> {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("not a yyyy-MM-dd date: " + s);
      }
    });
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof MissingInputException)
          && !(root instanceof NightwatchConfig.InvalidConfigException)
          && !(root instanceof NightlyJob.EmptyInputException)
          && !(root instanceof nightwatch.job.QualityGate.GateFailedException)
          && !(root instanceof nightwatch.io.DayLock.HeldException)
          && !(root instanceof nightwatch.io.Preflight.UnreachableException)) {
        root = root.getCause();
      }
      int code = root instanceof MissingInputException ? MISSING_INPUT
          : root instanceof NightlyJob.EmptyInputException ? EMPTY_INPUT
          : root instanceof NightwatchConfig.InvalidConfigException ? BAD_CONFIG
          : root instanceof nightwatch.job.QualityGate.GateFailedException ? QUALITY_GATE
          : root instanceof nightwatch.io.DayLock.HeldException ? DAY_LOCKED
          : root instanceof nightwatch.io.Preflight.UnreachableException ? UNREACHABLE
          : FAILED;
      if (code == FAILED) {
        e.printStackTrace(System.err);
      }
      System.err.println("nightwatch: " + NightlyJob.oneLine(root));
      return code;
    });
    return cl;
  }
}
