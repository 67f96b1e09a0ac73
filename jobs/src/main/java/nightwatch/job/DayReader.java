package nightwatch.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.DayInput;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import nightwatch.spark.Parallel;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.ingest.InputValidator;
import nightwatch.stages.text.Normalizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first step of a night: reads and validates the day's messages, accounts and reports, and upserts the day's
 * reference files into the reference tables. Valid messages come out normalised, with exact duplicates sharing a
 * doc_id; every rejected row is kept for rejected_records.
 */
final class DayReader {
  private DayReader() {}

  /** The valid rows of the day, and the rejected ones of every input (rejected_records' rows). */
  record DayInputs(Dataset<Row> messages, Dataset<Row> accounts, Dataset<Row> reports, List<Dataset<Row>> rejected) {
    Dataset<Row> allRejected() {
      return rejected.stream().reduce(Dataset::unionByName).orElseThrow();
    }
  }

  static DayInputs read(SparkSession spark, NightwatchConfig cfg, Warehouse wh, Run run) {
    NightwatchConfig.Input in = cfg.input();
    Instant now = Instant.now();
    int maxChars = cfg.limits().maxTextChars();
    int skew = cfg.limits().clockSkewMinutes();
    int minChars = cfg.text().minChars();
    List<Dataset<Row>> rejected = Collections.synchronizedList(new ArrayList<>());
    InputValidator.Result[] day = new InputValidator.Result[3];
    // The three inputs and the reference upserts run side by side: an upsert is mostly driver-side Delta work, and
    // the smaller inputs fill the cores that the messages' last tasks leave idle.
    List<Runnable> work = new ArrayList<>(List.of(
        () -> day[0] = validate(spark, cfg, run, "messages", in.messages(), "message_id", true, "text", maxChars, skew, now)
            // Normalised, with exact duplicates sharing a doc_id, in the parse's pass and kept with the rows.
            .derive(rows -> ExactDuplicates.assignDocIds(Normalizer.apply(rows), minChars))
            .materialized(run.kept().level()),
        () -> day[1] = validate(spark, cfg, run, "accounts", in.accounts(), "account_id", false, null, maxChars, skew, now)
            .materialized(run.kept().level()),
        () -> day[2] = validate(spark, cfg, run, "reports", in.reports(), "report_id", true, null, maxChars, skew, now)
            .materialized(run.kept().level())));
    for (String table : Tables.REFERENCE) {
      work.add(() -> upsertReference(spark, cfg, wh, run, table, skew, now, rejected));
    }
    Parallel.run(Parallel.TABLE_THREADS, work);
    for (InputValidator.Result r : day) {
      rejected.add(r.rejected());
    }
    // Counted by the pass that kept the rows, not by another scan of them.
    run.counts().put("input_lines_messages", day[0].counts().lines());
    run.counts().put("messages", day[0].counts().valid());
    run.counts().put("normalized_messages", day[0].counts().valid());
    run.counts().put("accounts", day[1].counts().valid());
    run.counts().put("reports", day[2].counts().valid());
    if (day[0].counts().valid() == 0) {
      throw new NightlyJob.EmptyInputException("empty input: no valid message for " + run.ds() + " at "
          + in.path(in.messages(), run.ds()));
    }
    // Filters of the materialised checks, not second copies of the rows.
    return new DayInputs(day[0].valid(), day[1].valid(), day[2].valid(), rejected);
  }

  private static InputValidator.Result validate(SparkSession spark, NightwatchConfig cfg, Run run, String dataset,
                                                String template, String key, boolean sameDay, String textColumn,
                                                int maxChars, int skew, Instant now) {
    NightwatchConfig.Input in = cfg.input();
    Dataset<Row> lines = DayInput.required(spark, in.path(template, run.ds()), in.format(), dataset,
        in.requireSuccessMarker());
    return InputValidator.validate(lines, Tables.schema(dataset),
        new InputValidator.Rules(dataset, key, "created_at", sameDay, textColumn, maxChars, skew), run.ds(), now);
  }

  private static void upsertReference(SparkSession spark, NightwatchConfig cfg, Warehouse wh, Run run, String table,
                                      int skew, Instant now, List<Dataset<Row>> rejected) {
    NightwatchConfig.Input in = cfg.input();
    Dataset<Row> lines = DayInput.optional(spark, in.path(in.reference(), run.ds()) + "/" + table, in.format());
    if (lines == null) {
      return;
    }
    // Kept: the upsert reads the valid rows twice, and rejected_records reads the rejected ones at the end of the run.
    InputValidator.Result res = InputValidator.validate(lines, Tables.schema(table),
        new InputValidator.Rules("reference/" + table, null, null, false, null, Integer.MAX_VALUE, skew),
        run.ds(), now).materialized(run.kept().level());
    wh.upsert(table, res.valid());
    rejected.add(res.rejected());
  }
}
