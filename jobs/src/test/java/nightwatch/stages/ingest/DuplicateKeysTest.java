package nightwatch.stages.ingest;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class DuplicateKeysTest extends SparkTest {

  /** Checked rows: key k, reason (null when valid). */
  private Dataset<Row> rows(Object[]... rows) {
    return df(spark, "k string, _reason string", rows).repartition(3);
  }

  private static List<Long> counts(Dataset<Row> oneRow) {
    Row x = oneRow.first();
    return List.of(x.getLong(0), x.getLong(1), x.getLong(2));
  }

  @Test
  void hashCountsCountLinesValidRowsAndRepeatedHashes() {
    Dataset<Row> in = rows(r("a", null), r("b", null), r("a", null), r("c", null), r("c", null), r("c", null),
        r("a", "text_too_long"), r(null, "malformed_json"), r("d", null));
    assertEquals(List.of(9L, 7L, 2L), counts(DuplicateKeys.hashCounts(in, col("k"))),
        "9 lines, 7 valid, two keys repeat (a twice, c three times); a rejected row's key is not counted");
    assertEquals(List.of(3L, 3L, 0L), counts(DuplicateKeys.hashCounts(rows(r("x", null), r("y", null),
        r("z", null)), col("k"))), "distinct keys: no repeated hash");
    assertEquals(List.of(0L, 0L, 0L), counts(DuplicateKeys.hashCounts(rows(r("x", null)).filter(lit(false)),
        col("k"))), "no rows: zeros, not nulls");
  }

  @Test
  void aRepeatedHashOfDistinctKeysIsNotARepeatedKey() {
    Dataset<Row> in = rows(r("a", null), r("b", null), r("c", null), r("b", "text_too_long"));
    // Every valid key has the same hash: the hashes repeat, the keys do not.
    assertEquals(List.of(4L, 3L, 1L), counts(DuplicateKeys.countHashes(in, lit(7L))));
    Row exact = DuplicateKeys.keyCounts(in, col("k")).first();
    assertEquals(RowFactory.create(4L, 3L, 0L, 0L), exact, "the exact count finds no repeated key");
  }
}
