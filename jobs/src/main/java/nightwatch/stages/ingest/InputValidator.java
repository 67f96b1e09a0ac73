package nightwatch.stages.ingest;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import nightwatch.schema.TableSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns raw input lines ({@code value}, {@code source_file}) into typed rows of a contract schema, and every
 * row that breaks the contract into a rejected row with its reason. Nothing is dropped: each input line
 * ends in exactly one of the two outputs.
 */
public final class InputValidator {
  private InputValidator() {}

  /** What to check for one dataset beyond the schema's own types and nullability. */
  public record Rules(String source, String keyColumn, String timeColumn, boolean timeMustBeOnDay,
                      String textColumn, int maxTextChars, int clockSkewMinutes) {}

  /**
   * Every input line once, as {@code _t} (typed row), {@code _reason} (null when valid), {@code _rid} (its position
   * in the read) and, for rejected lines only, the payload kept for rejected_records. Valid and rejected rows are
   * two filters of it, so a caller that materialises {@code checked} once reads and parses the input once.
   */
  public static final class Result {
    private final Dataset<Row> numbered; // the input lines with _rid, to fetch the lines of later copies
    private final Dataset<Row> unmarked; // every check but the repeated key
    private final Dataset<Row> checked;
    private final Dataset<Row> laterLines; // null, or the later copies' source_file and raw payload (then not in checked)
    // null, or the lines the checks rejected (not the later copies): _reason, source_file, _raw, _raw_length
    private final Dataset<Row> checkRejected;
    private final Rules rules;
    private final LocalDate ds;
    private final Counts counts; // null until materialised

    private Result(Dataset<Row> numbered, Dataset<Row> unmarked, Dataset<Row> checked, Dataset<Row> laterLines,
                   Rules rules, LocalDate ds) {
      this(numbered, unmarked, checked, laterLines, null, rules, ds, null);
    }

    private Result(Dataset<Row> numbered, Dataset<Row> unmarked, Dataset<Row> checked, Dataset<Row> laterLines,
                   Dataset<Row> checkRejected, Rules rules, LocalDate ds, Counts counts) {
      this.numbered = numbered;
      this.unmarked = unmarked;
      this.checked = checked;
      this.laterLines = laterLines;
      this.checkRejected = checkRejected;
      this.rules = rules;
      this.ds = ds;
      this.counts = counts;
    }

    /**
     * The input lines and the valid rows, counted by the pass that kept the rows (for rules with a key column);
     * null before {@link #materialized} and for rules without a key column.
     */
    public Counts counts() {
      return counts;
    }

    public Dataset<Row> checked() {
      return checked;
    }

    public Dataset<Row> valid() {
      return checked.filter(col("_reason").isNull()).select(col("_t.*"));
    }

    public Dataset<Row> rejected() {
      Column rejected = col("_reason").isNotNull();
      // Found with the repeated-id check's shuffle when materialized; else a scan of every checked row.
      Dataset<Row> byChecks = checkRejected != null ? checkRejected : checked.filter(
          laterLines == null ? rejected : rejected.and(col("_reason").notEqual(duplicateReason(rules))));
      if (laterLines == null) {
        return asRejected(byChecks, col("_reason"));
      }
      // The later copies' rows in checked carry no payload; their lines, read again, do.
      return asRejected(byChecks, col("_reason")).unionByName(asRejected(laterLines, lit(duplicateReason(rules))));
    }

    private Dataset<Row> asRejected(Dataset<Row> rows, Column reason) {
      return rows.select(
          lit(ds.toString()).cast("date").as("ds"),
          lit(rules.source()).as("source"),
          col("source_file"),
          reason.as("reason"),
          col("_raw").as("raw"),
          col("_raw_length").as("raw_length"));
    }

    /**
     * The same result with columns that {@code step} adds, computed in the same pass as the parse and kept with the
     * rows, so that a caller's first per-row step neither reads the kept rows again nor keeps a second copy of them.
     * {@code step} sees the schema's fields as top-level columns (null on a rejected line, so it does no work there)
     * and must keep every column it is given; the columns it adds become columns of {@link #valid()}.
     */
    public Result derive(java.util.function.UnaryOperator<Dataset<Row>> step) {
      return new Result(numbered, derived(unmarked, step), derived(checked, step), laterLines, rules, ds);
    }

    /**
     * The same result, computed now and kept (lineage cut) at {@code level} for reuse. A day rarely repeats an id,
     * so the rows are kept without the duplicate check, repeats are found by a sorted shuffle of the keys' 64-bit
     * hashes (and, only when a hash repeats, of the keys themselves), and only the repeated keys' rows are sorted; the
     * lines of the repeated keys are read again for their file names and the later copies' raw payloads. Whole rows
     * are shuffled only when a day has more than {@link #DUPLICATES_BROADCAST_MAX_ROWS} later copies.
     */
    public Result materialized(org.apache.spark.storage.StorageLevel level) {
      return materialized(level, DUPLICATES_BROADCAST_MAX_ROWS);
    }

    Result materialized(org.apache.spark.storage.StorageLevel level, long broadcastMaxRows) {
      if (rules.keyColumn() == null) {
        Dataset<Row> kept = unmarked.localCheckpoint(true, level);
        return new Result(numbered, kept, kept, null, null, rules, ds, null);
      }
      // Lazy: the count of lines, valid rows and repeated key hashes is the first action on the rows, so it keeps them
      // and reads them once (an eager checkpoint reads its rows back to count them, then that count reads them again).
      // The lines the checks reject ride along with the hashes and are kept apart (usually a handful).
      Dataset<Row> kept = unmarked.localCheckpoint(false, level);
      Dataset<Row> runs = DuplicateKeys.runs(kept, xxhash64(key(rules)),
          struct(col("_reason"), col("source_file"), col("_raw"), col("_raw_length"))).localCheckpoint(false, level);
      Row h = DuplicateKeys.totals(runs).first();
      Dataset<Row> byChecks = DuplicateKeys.rejectedOf(runs);
      if (h.getLong(2) == 0) {
        return new Result(numbered, kept, kept, null, byChecks, rules, ds, new Counts(h.getLong(0), h.getLong(1)));
      }
      // Some key hashes repeat: the keys themselves are counted (a scan of the kept rows and a shuffle of their keys).
      Row s = DuplicateKeys.keyCounts(kept, key(rules)).first();
      long keys = s.getLong(2);
      long later = s.getLong(3) - keys;
      Counts n = new Counts(s.getLong(0), s.getLong(1) - later);
      if (keys == 0) {
        return new Result(numbered, kept, kept, null, byChecks, rules, ds, n);
      }
      if (later > broadcastMaxRows) {
        return new Result(numbered, kept, checked.localCheckpoint(true, level), null, null, rules, ds, n);
      }
      // A day with repeated keys (rare) finds them with a second shuffle of the keys.
      Dataset<Row> repeated = DuplicateKeys.repeatedKeys(kept, key(rules)).localCheckpoint(true, level);
      // A kept valid row has no file name (a large share of a kept message's bytes): the lines of the repeated
      // keys' rows are read again for it, and for the later copies' payloads. Only their row ids and keys are
      // broadcast; the lines stay distributed (one more read of the input, filtered).
      Dataset<Row> repeatedLines = numbered
          .join(broadcast(DuplicateKeys.rowsOf(kept, key(rules), repeated)), DuplicateKeys.RID)
          .select(col(DuplicateKeys.RID), col("_key"), col("source_file"), rawPayload(rules).as("_raw"),
              rawLength().as("_raw_length"))
          .localCheckpoint(true, level);
      Dataset<Row> laterIds = DuplicateKeys.laterCopies(repeatedLines).localCheckpoint(true, level);
      Dataset<Row> laterLines = repeatedLines.join(broadcast(laterIds), DuplicateKeys.RID, "left_semi")
          .select(col("source_file"), col("_raw"), col("_raw_length"))
          .localCheckpoint(true, level);
      return new Result(numbered, kept, DuplicateKeys.reject(kept, laterIds, duplicateReason(rules)), laterLines,
          byChecks, rules, ds, n);
    }
  }

  /** Input lines, and the valid rows among them (later copies of a key not counted). */
  public record Counts(long lines, long valid) {}

  /**
   * Up to this many later copies of keys in a day, only the repeated keys' rows are sorted (their row ids and keys
   * are broadcast: at most twice this many rows).
   */
  static final long DUPLICATES_BROADCAST_MAX_ROWS = 1_000_000;

  private static Column key(Rules rules) {
    return col("_t").getField(rules.keyColumn());
  }

  private static String duplicateReason(Rules rules) {
    return "duplicate_" + rules.keyColumn();
  }

  public static final int RAW_KEEP_CHARS = 4096;
  private static final String CORRUPT = "_corrupt_line";

  /**
   * @param lines    columns {@code value} (one JSON object per line) and {@code source_file}
   * @param schema   the contract (schemas/input/*.json or schemas/reference/*.json)
   * @param ds       the day being processed
   * @param now      processing time, for the from-the-future check
   */
  public static Result validate(Dataset<Row> lines, TableSchema schema, Rules rules, LocalDate ds,
                                java.time.Instant now) {
    StructType asStrings = new StructType();
    for (StructField f : schema.struct().fields()) {
      asStrings = asStrings.add(f.name(), DataTypes.StringType, true);
    }
    // One parse per line: the JSON reader flags a line that is not a JSON object in a corrupt-record
    // column, so no second pass over the text is needed to tell malformed lines apart.
    asStrings = asStrings.add(CORRUPT, DataTypes.StringType, true);
    // The position in the read (file split, then line): which copy of a repeated key came first.
    Dataset<Row> numbered = lines.withColumn(DuplicateKeys.RID, monotonically_increasing_id());
    Dataset<Row> parsed = numbered
        .withColumn("_utf8_ok", Utf8Check.isValid(col("value")))
        .withColumn("_p", when(col("_utf8_ok"), from_json(col("value"), asStrings,
            java.util.Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT))))
        .withColumn("_json_ok", col("_utf8_ok").and(col("_p").isNotNull())
            .and(col("_p").getField(CORRUPT).isNull()))
        .withColumn("_j", when(col("_json_ok"), col("_p")))
        .drop("_p");

    // Typed columns: try_cast so a wrong type becomes a reason instead of an exception.
    List<Column> typed = new ArrayList<>();
    List<Column> checks = new ArrayList<>();
    checks.add(when(not(col("_utf8_ok")), lit("invalid_utf8")));
    checks.add(when(not(col("_json_ok")), lit("malformed_json")));
    for (StructField f : schema.struct().fields()) {
      Column raw = col("_j").getField(f.name());
      Column value = f.dataType().equals(DataTypes.StringType) ? raw
          // An array or object arrives as its JSON text (the lines are parsed with string columns): parsed again.
          : complex(f) ? from_json(raw, f.dataType(), java.util.Map.of("mode", "PERMISSIVE"))
          : raw.try_cast(f.dataType());
      typed.add(value.as(f.name()));
      if (!f.nullable()) {
        checks.add(when(raw.isNull(), lit("null_" + f.name())));
      }
      if (!f.dataType().equals(DataTypes.StringType)) {
        String reason = f.dataType().equals(DataTypes.TimestampType) ? "unparsable_" : "wrong_type_";
        checks.add(when(raw.isNotNull().and(value.isNull()), lit(reason + f.name())));
      }
    }
    Dataset<Row> withTyped = parsed.select(col("value"), col("source_file"), col(DuplicateKeys.RID), col("_utf8_ok"),
        col("_json_ok"), col("_j"), struct(typed.toArray(new Column[0])).as("_t"));
    if (List.of(schema.columnNames()).contains(MEDIA)) {
      checks.add(when(exists(col("_t").getField(MEDIA), InputValidator::badMedia), lit("invalid_" + MEDIA)));
    }
    if (rules.textColumn() != null) {
      // Characters are counted only when the bytes could be too many: a text has at most as many characters as
      // bytes, and the byte count is known without a walk over the text.
      Column text = col("_t").getField(rules.textColumn());
      checks.add(when(octet_length(text).gt(rules.maxTextChars()).and(length(text).gt(rules.maxTextChars())),
          lit("text_too_long")));
    }
    if (rules.timeColumn() != null) {
      Column ts = col("_t").getField(rules.timeColumn());
      Column future = lit(now.plusSeconds(60L * rules.clockSkewMinutes()).toString()).cast("timestamp");
      checks.add(when(ts.gt(future), lit("from_future")));
      if (rules.timeMustBeOnDay()) {
        Column start = lit(ds + "T00:00:00Z").cast("timestamp");
        Column end = lit(ds.plusDays(1) + "T00:00:00Z").cast("timestamp");
        checks.add(when(ts.lt(start).or(ts.geq(end)), lit("outside_day")));
      }
    }
    Dataset<Row> reasoned = withTyped.withColumn("_reason", coalesce(checks.toArray(new Column[0])));

    // The lazy plan rejects later copies by a window over every row (the line travels with it, for its raw
    // payload); materialized() finds them without that shuffle.
    Dataset<Row> checked = finish(rules.keyColumn() == null ? reasoned
        : DuplicateKeys.rejectByWindow(reasoned, key(rules), duplicateReason(rules)), rules);
    return new Result(numbered, finish(reasoned, rules), checked, null, rules, ds);
  }

  /** The optional media column of messages: each entry's kind and hashes are checked (the matcher trusts them). */
  static final String MEDIA = "media";

  private static boolean complex(StructField f) {
    return f.dataType() instanceof org.apache.spark.sql.types.ArrayType
        || f.dataType() instanceof StructType || f.dataType() instanceof org.apache.spark.sql.types.MapType;
  }

  private static Column badMedia(Column m) {
    Column kind = coalesce(m.getField("kind").isin("image", "video"), lit(false));
    Column md5 = m.getField("md5");
    Column pdq = m.getField("pdq");
    return m.isNull().or(not(kind))
        .or(md5.isNotNull().and(not(md5.rlike("^[0-9a-fA-F]{32}$"))))
        .or(pdq.isNotNull().and(not(pdq.rlike("^[0-9a-fA-F]{64}$"))));
  }

  /** {@code rows} with {@code step}'s new columns added to the typed row {@code _t} (see {@link Result#derive}). */
  private static Dataset<Row> derived(Dataset<Row> rows, java.util.function.UnaryOperator<Dataset<Row>> step) {
    StructType typed = (StructType) rows.schema().apply("_t").dataType();
    List<String> own = List.of(rows.columns());
    List<Column> flat = new ArrayList<>();
    own.forEach(c -> flat.add(col(c)));
    for (StructField f : typed.fields()) {
      if (own.contains(f.name())) {
        throw new IllegalArgumentException("field " + f.name() + " clashes with a column of the checked rows");
      }
      flat.add(when(col("_reason").isNull(), col("_t").getField(f.name())).as(f.name()));
    }
    Dataset<Row> in = rows.select(flat.toArray(new Column[0]));
    Dataset<Row> out = step.apply(in);
    List<String> before = List.of(in.columns());
    List<String> after = List.of(out.columns());
    if (!after.containsAll(before)) {
      throw new IllegalArgumentException("a derive step must keep its input columns; it returned " + after);
    }
    List<Column> fields = new ArrayList<>();
    for (StructField f : typed.fields()) {
      fields.add(col("_t").getField(f.name()).as(f.name()));
    }
    after.stream().filter(c -> !before.contains(c)).forEach(c -> fields.add(col(c)));
    List<Column> kept = new ArrayList<>();
    own.forEach(c -> kept.add(c.equals("_t") ? struct(fields.toArray(new Column[0])).as("_t") : col(c)));
    return out.select(kept.toArray(new Column[0]));
  }

  /**
   * The kept columns; the file name and the raw payload only for rejected rows (the file name alone is a large share
   * of a kept message's bytes, and every later scan of the messages would read it).
   */
  private static Dataset<Row> finish(Dataset<Row> reasoned, Rules rules) {
    Column bad = col("_reason").isNotNull();
    return reasoned.select(col("_t"), col("_reason"), when(bad, col("source_file")).as("source_file"),
        col(DuplicateKeys.RID),
        when(bad, rawPayload(rules)).as("_raw"), when(bad, rawLength()).as("_raw_length"));
  }

  /** The line as kept in rejected_records: valid UTF-8, cut at RAW_KEEP_CHARS, reporter ids redacted. */
  private static Column rawPayload(Rules rules) {
    Column rawCol = make_valid_utf8(col("value"));
    if ("reports".equals(rules.source())) {
      // Reporter ids are sensitive: never copy them into an analyst table, even from a broken row.
      // The value may be a string (with escapes, or cut off in a broken line) or a bare number/literal.
      rawCol = regexp_replace(rawCol,
          lit("(\"reporter_id\"\\s*:\\s*)(?:\"(?:[^\"\\\\]|\\\\.)*\"?|[^\\s,}\\]]+)"),
          lit("$1\"[redacted]\""));
    }
    return substring(rawCol, 1, RAW_KEEP_CHARS);
  }

  private static Column rawLength() {
    return length(col("value")).cast("bigint");
  }
}
