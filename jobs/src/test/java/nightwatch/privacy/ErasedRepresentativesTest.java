package nightwatch.privacy;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Date;
import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** A cluster's representative is its least (created_at, message_id), nulls first: only those of erased messages. */
class ErasedRepresentativesTest extends SparkTest {
  @Test
  void onlyClustersWhoseRepresentativeIsErased() {
    Date d = Date.valueOf("2026-03-10");
    Dataset<Row> mc = df(spark, "ds date, message_id string, account_id string, cluster_id string, "
            + "created_at timestamp",
        r(d, "m1", "x", "A", ts("2026-03-10T10:00:00Z")), // A: x posted, but y posted first
        r(d, "m2", "y", "A", ts("2026-03-10T09:00:00Z")),
        r(d, "m3", "x", "B", null),                         // B: x's message has no time, so it comes first
        r(d, "m4", "y", "B", ts("2026-03-10T08:00:00Z")),
        r(d, "m5", "y", "C", ts("2026-03-10T07:00:00Z")),   // C: a tie on time, the least id wins
        r(d, "m6", "x", "C", ts("2026-03-10T07:00:00Z")),
        r(d, "m7", "y", "D", ts("2026-03-10T06:00:00Z")));  // D: x is not in it
    assertEquals(List.of("B"), clusters(mc, col("account_id").equalTo("x")));
    assertEquals(List.of("A", "C", "D"), clusters(mc, col("account_id").equalTo("y")));
    assertEquals(List.of("C"), clusters(mc, col("message_id").isin("m5", "m6")));
  }

  private static List<String> clusters(Dataset<Row> mc, org.apache.spark.sql.Column erased) {
    return Erasure.erasedRepresentatives(mc, erased).orderBy("cluster_id").collectAsList().stream()
        .map(r -> r.<String>getAs("cluster_id")).toList();
  }
}
