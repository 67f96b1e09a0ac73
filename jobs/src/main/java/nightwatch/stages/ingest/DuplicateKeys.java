package nightwatch.stages.ingest;

import static org.apache.spark.sql.functions.*;

import java.util.Iterator;
import nightwatch.spark.Lookahead;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * Rejects the later copies of a key among otherwise valid rows: the first copy by source file, then by position
 * in the read ({@code _rid}: file split, then line), keeps the key. Works on {@link InputValidator}'s rows
 * ({@code _t}, {@code _reason}, {@code source_file}, {@code _rid}; a kept row has its file name only when rejected).
 *
 * <p>A window over every row shuffles and sorts whole rows; a day rarely repeats an id, so
 * {@link InputValidator.Result#materialized} looks for repeats by a sorted shuffle of the keys' hashes
 * ({@link #hashCounts}), counts the keys themselves ({@link #keyCounts}) only when a hash repeats, and sorts only the
 * repeated keys' rows.
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

  /**
   * One row: every line ({@code lines}), the valid ones ({@code valid}) and the number of 64-bit key hashes that more
   * than one valid row has ({@code repeated_hashes}), from a shuffle of the hashes sorted within each partition. Zero
   * repeated hashes means no key repeats; otherwise {@link #keyCounts} tells repeated keys from hash collisions.
   *
   * <p>Why not {@link #keyCounts} on every day: a day's ids are nearly all distinct, so its partial aggregation folds
   * nothing and builds a hash map of every id. A sort of longs is Spark's radix sort, and a run of equal neighbours
   * is a repeat.
   */
  public static Dataset<Row> hashCounts(Dataset<Row> checked, Column key) {
    return countHashes(checked, xxhash64(key));
  }

  /** {@link #hashCounts} with the key's hash given: tests pass one that collides. */
  static Dataset<Row> countHashes(Dataset<Row> checked, Column keyHash) {
    return totals(runs(checked, keyHash, null));
  }

  /**
   * The rows {@link #totals} and {@link #rejectedOf} read: per partition of the sorted key hashes, one row of its
   * counts ({@code lines}, {@code valid}, {@code repeated_hashes}) and, when {@code rejectedPayload} is given, one row
   * per rejected line with that column's value ({@code _rejected}, null on the count rows). The rejected lines travel
   * with the hashes' shuffle, so they are found without another scan of every row (a scan of all the kept messages
   * only to find the day's few rejected lines).
   */
  public static Dataset<Row> runs(Dataset<Row> checked, Column keyHash, Column rejectedPayload) {
    Column h = when(col(REASON).isNull(), keyHash).as("_h");
    Dataset<Row> hashes = rejectedPayload == null ? checked.select(h)
        : checked.select(h, when(col(REASON).isNotNull(), rejectedPayload).as(REJECTED));
    StructType out = rejectedPayload == null ? RUN_COUNTS
        : RUN_COUNTS.add(REJECTED, hashes.schema().apply(REJECTED).dataType(), true);
    return hashes.repartition(col("_h"))
        .sortWithinPartitions("_h")
        .mapPartitions(new CountRuns(rejectedPayload != null), Encoders.row(out));
  }

  /** The one row of {@link #hashCounts} from {@link #runs}. */
  public static Dataset<Row> totals(Dataset<Row> runs) {
    return runs.agg(coalesce(sum("lines"), lit(0L)).as("lines"), coalesce(sum("valid"), lit(0L)).as("valid"),
        coalesce(sum("repeated_hashes"), lit(0L)).as("repeated_hashes"));
  }

  /** The rejected lines' payloads (the fields of {@code runs}' payload column) from {@link #runs}. */
  public static Dataset<Row> rejectedOf(Dataset<Row> runs) {
    return runs.filter(col(REJECTED).isNotNull()).select(col(REJECTED + ".*"));
  }

  private static final String REJECTED = "_rejected";

  private static final StructType RUN_COUNTS = new StructType()
      .add("lines", "long", false).add("valid", "long", false).add("repeated_hashes", "long", false);

  /**
   * Over a partition's rows of sorted hashes (null for a rejected row) and, with {@code carry}, the rejected rows'
   * payloads: each rejected row's payload as it comes, then the partition's counts of rows, non-null hashes and runs of
   * equal hashes. Nothing is buffered.
   */
  private static final class CountRuns implements MapPartitionsFunction<Row, Row> {
    private final boolean carry;

    CountRuns(boolean carry) {
      this.carry = carry;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Lookahead<>() {
        long lines;
        long valid;
        long runs;
        long prev;
        boolean havePrev;
        boolean inRun;
        boolean counted;

        @Override
        protected Row advance() {
          while (rows.hasNext()) {
            Row r = rows.next();
            lines++;
            if (r.isNullAt(0)) {
              if (carry && !r.isNullAt(1)) {
                return RowFactory.create(0L, 0L, 0L, r.getStruct(1));
              }
              continue;
            }
            long h = r.getLong(0);
            valid++;
            if (havePrev && h == prev) {
              if (!inRun) {
                runs++;
                inRun = true;
              }
            } else {
              inRun = false;
            }
            prev = h;
            havePrev = true;
          }
          if (counted) {
            return null;
          }
          counted = true;
          return carry ? RowFactory.create(lines, valid, runs, null) : RowFactory.create(lines, valid, runs);
        }
      };
    }
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
