package nightwatch.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.job.ClassifierTraining;
import nightwatch.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the propaganda classifier on the labelled messages of the window ending at --as-of; "
        + "save it under the warehouse and record it in the models table.")
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--as-of", required = true, description = "Last day of the training window (yyyy-MM-dd).")
  LocalDate asOf;

  @Mixin
  ConfigOptions config;

  @Option(names = "--input", description = "Input folder template of a day ({ds} replaced); overrides nightwatch.input.root.")
  String input;

  @Override
  public Integer call() {
    NightwatchConfig cfg = config.load(input);
    ClassifierTraining.Outcome o = new ClassifierTraining(Sessions.get("nightwatch-train"), cfg).run(asOf);
    System.out.printf(java.util.Locale.ROOT,
        "model %s: %d positive / %d negative texts, test AUC %s, precision %s, recall %s at threshold %.4f "
            + "(regParam %s)%n  saved to %s%n",
        o.version(), o.positives(), o.negatives(), fmt(o.result().test().auc()), fmt(o.result().testPrecision()),
        fmt(o.result().testRecall()), o.result().threshold(), o.result().regParam(), o.path());
    System.out.println("  " + stanceLine(o));
    return Main.OK;
  }

  /** One line on the stance model trained beside the classifier. */
  public static String stanceLine(ClassifierTraining.Outcome o) {
    return o.stance().map(t -> String.format(java.util.Locale.ROOT,
            "stance model: %d condemning / %d propaganda texts, test AUC %s, precision %s, recall %s at threshold %.4f",
            t.positives(), t.negatives(), fmt(t.testAuc()), fmt(t.testPrecision()), fmt(t.testRecall()), t.threshold()))
        .orElse("stance model: not trained (too few labelled quotes and replies); the seed terms alone judge stance");
  }

  public static String fmt(Double d) {
    return d == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", d);
  }
}
