package nightwatch.stages.ingest;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Rejects the later copies of a key among otherwise valid rows: the first copy by source file, then by position
 * in the read ({@code _rid}: file split, then line), keeps the key. Works on {@link InputValidator}'s rows
 * ({@code _t}, {@code _reason}, {@code source_file}, {@code _rid}; a kept row has its file name only when rejected).
 *
 * <p>A window over every row shuffles whole rows (at 10 M messages 2.4 GB and a sort, a third of reading the
 * day); a day rarely repeats an id, so {@link InputValidator.Result#materialized} finds the repeated keys by a
 * shuffle of the keys alone and sorts only their rows.
 */
public final class DuplicateKeys {
  static final String REASON = "_reason";
  static final String RID = "_rid";

  private DuplicateKeys() {}

  /** One plan, no action: a window over all rows. Correct for any number of repeats; shuffles every row. */
  public static Dataset<Row> rejectByWindow(Dataset<Row> checked, Column key, String reason) {
    Column rn = row_number().over(Window.partitionBy(key, col(REASON).isNull())
        .orderBy(col("source_file"), col(RID)));
    return checked.withColumn(REASON, when(col(REASON).isNull().and(rn.gt(1)), lit(reason)).otherwise(col(REASON)));
  }

  /** Keys of valid rows that occur more than once ({@code _key}) with their number of rows ({@code _n}). */
  public static Dataset<Row> repeatedKeys(Dataset<Row> checked, Column key) {
    return keyGroups(checked, key).filter(col("_key").isNotNull().and(col("_n").gt(1)));
  }

  /** Rows ({@code _n}) per key of the valid rows ({@code _key}); every rejected row in the group of key null. */
  private static Dataset<Row> keyGroups(Dataset<Row> checked, Column key) {
    return checked.groupBy(when(col(REASON).isNull(), key).as("_key")).agg(count(lit(1)).as("_n"));
  }

  /**
   * One row: every line ({@code lines}), the valid ones ({@code valid}), the keys of valid rows that occur more than
   * once ({@code repeated_keys}) and their rows ({@code repeated_rows}), from one shuffle of the keys (the rejected
   * lines all count in one group, which partial aggregation folds before the shuffle).
   */
  public static Dataset<Row> keyCounts(Dataset<Row> checked, Column key) {
    Column keyed = col("_key").isNotNull();
    Column repeated = keyed.and(col("_n").gt(1));
    return keyGroups(checked, key)
        .agg(coalesce(sum("_n"), lit(0L)).as("lines"),
            coalesce(sum(when(keyed, col("_n"))), lit(0L)).as("valid"),
            count_if(repeated).as("repeated_keys"),
            coalesce(sum(when(repeated, col("_n"))), lit(0L)).as("repeated_rows"));
  }

  /** Row ids ({@code _rid}) and keys ({@code _key}) of the valid rows whose key is repeated (broadcast: few). */
  public static Dataset<Row> rowsOf(Dataset<Row> checked, Column key, Dataset<Row> repeated) {
    return checked.filter(col(REASON).isNull())
        .join(broadcast(repeated.select("_key")), key.equalTo(col("_key")), "left_semi")
        .select(col(RID), key.as("_key"));
  }

  /**
   * Row ids ({@code _rid}) of every copy but the first of each key, from rows with {@code _rid}, {@code _key} and
   * {@code source_file}: the first copy by source file, then by position in the read, keeps the key.
   */
  public static Dataset<Row> laterCopies(Dataset<Row> repeatedRows) {
    return repeatedRows
        .withColumn("_rn", row_number().over(Window.partitionBy("_key").orderBy(col("source_file"), col(RID))))
        .filter(col("_rn").gt(1))
        .select(RID);
  }

  /**
   * The rows with {@code reason} set, and no raw payload, on those whose {@code _rid} is in {@code later}
   * (broadcast: few). The caller keeps the later copies' payloads apart.
   */
  public static Dataset<Row> reject(Dataset<Row> checked, Dataset<Row> later, String reason) {
    return checked.join(broadcast(later.select(col(RID), lit(true).as("_later"))), RID, "left")
        .withColumn(REASON, when(col("_later"), lit(reason)).otherwise(col(REASON)))
        .drop("_later");
  }
}
