package nightwatch;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Small helpers for building test fixtures: a DataFrame from a DDL schema and a few rows. */
public final class Rows {
  private Rows() {}

  public static Dataset<Row> df(SparkSession spark, String ddl, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, StructType.fromDDL(ddl));
  }

  public static Object[] r(Object... values) {
    return values;
  }

  public static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  /** Collects {@code keyCol -> valueCol} (both read with getAs). */
  public static <K, V> Map<K, V> toMap(Dataset<Row> df, String keyCol, String valueCol) {
    Map<K, V> m = new TreeMap<>();
    for (Row row : df.select(keyCol, valueCol).collectAsList()) {
      m.put(row.getAs(0), row.getAs(1));
    }
    return m;
  }
}
