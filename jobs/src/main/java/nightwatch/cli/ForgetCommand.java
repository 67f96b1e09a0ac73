package nightwatch.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.job.DayReport;
import nightwatch.log.LogContext;
import nightwatch.privacy.Erasure;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forget", mixinStandardHelpOptions = true,
    description = "Erase accounts or messages: their rows are deleted (or their text replaced where the row must "
        + "stay), the reports and exports that showed them are written again, the touched tables lose their older "
        + "versions, and an audit row (without the erased values) goes to the erasures table. Run it between nights.")
public final class ForgetCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions config;

  @ArgGroup(exclusive = false, multiplicity = "1")
  Targets targets;

  static final class Targets {
    @Option(names = "--account", split = ",", paramLabel = "ID", description = "Account ids to erase.")
    List<String> accounts = List.of();

    @Option(names = "--message", split = ",", paramLabel = "ID", description = "Message ids to erase.")
    List<String> messages = List.of();
  }

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (a ticket or legal basis), kept in the audit "
      + "table; never the erased values.")
  String reason;

  @Override
  public Integer call() {
    NightwatchConfig cfg = config.load();
    String key = System.getenv(cfg.pseudonymKeyEnv());
    Pseudonymizer p = key == null || key.isEmpty() ? null : Pseudonymizer.fromEnvironment(cfg.pseudonymKeyEnv(),
        System.getenv());
    if (p == null) {
      System.err.println("nightwatch: " + cfg.pseudonymKeyEnv() + " is not set: reports these accounts made "
          + "(report_log, by pseudonym) cannot be found and stay");
    }
    SparkSession spark = Sessions.get("nightwatch-forget", cfg);
    Warehouse wh = new Warehouse(spark, cfg.warehouse());
    Erasure.Result r;
    try (LogContext.Scope context = LogContext.open(LocalDate.now(ZoneOffset.UTC),
        "forget-" + UUID.randomUUID().toString().substring(0, 8))) {
      r = Erasure.run(spark, wh, p, new Erasure.Request(targets.accounts, targets.messages, reason),
          ds -> DayReport.rewrite(spark, wh, cfg, ds));
    }
    System.out.printf(Locale.ROOT, "%-24s %12s %12s%n", "table", "deleted", "rewritten");
    java.util.Set<String> tables = new java.util.LinkedHashSet<>(r.rowsRewritten().keySet());
    tables.addAll(r.rowsDeleted().keySet());
    for (String t : tables) {
      System.out.printf(Locale.ROOT, "%-24s %12d %12d%n", t, r.rowsDeleted().getOrDefault(t, 0L),
          r.rowsRewritten().getOrDefault(t, 0L));
    }
    System.out.printf(Locale.ROOT, "erasure %s: %d report day(s) written again, history removed from %s%n",
        r.erasureId(), r.reportDays().size(), r.tablesPurged().isEmpty() ? "no table" : String.join(", ",
            r.tablesPurged()));
    return Main.OK;
  }
}
