package nightwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExactJaccardJoinTest extends SparkTest {
  @BeforeEach
  void activeSession() {
    // an earlier test class may leave another thread's session active; plans need this one
    org.apache.spark.sql.SparkSession.setActiveSession(spark);
  }

  @Test
  void prefixFilterFindsExactlyThePairsOfTheCrossJoin() {
    Random rnd = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 60; id++) {
      Set<String> s = new TreeSet<>();
      int base = rnd.nextInt(6) * 10;
      int n = 2 + rnd.nextInt(9);
      while (s.size() < n) {
        s.add("t" + (base + rnd.nextInt(14)));
      }
      rows.add(RowFactory.create(id, s.toArray(new String[0])));
    }
    Dataset<Row> docs = spark.createDataFrame(rows, StructType.fromDDL("doc_id bigint, shingles array<string>"));
    for (double t : new double[] {0.3, 0.5, 0.8}) {
      Set<String> cross = pairs(ExactJaccardJoin.crossJoin(docs, t));
      Set<String> prefix = pairs(ExactJaccardJoin.prefixFiltered(docs, t));
      assertEquals(cross, prefix, "prefix filter must equal the cross join at t=" + t);
      if (t == 0.5) {
        assertEquals(true, cross.size() > 20, "fixture should have pairs at 0.5: " + cross.size());
      }
    }
  }

  private static Set<String> pairs(Dataset<Row> d) {
    return d.collectAsList().stream().map(r -> r.getLong(0) + "-" + r.getLong(1) + ":" + r.getDouble(2))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
