package nightwatch.io;

import java.util.LinkedHashMap;
import java.util.Map;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The reference tables as one run reads them: each pinned at the Delta version current when the run pinned it, so
 * that a list updated by the trust-and-safety team (or another day's run) during the night never gives one run two
 * versions. job_runs records the versions.
 */
public record ReferenceSnapshot(Warehouse wh, Map<String, Long> versions) {

  public static ReferenceSnapshot pin(Warehouse wh) {
    Map<String, Long> v = new LinkedHashMap<>();
    for (String t : Tables.REFERENCE) {
      v.put(t, wh.version(t));
    }
    return new ReferenceSnapshot(wh, Map.copyOf(v));
  }

  public Dataset<Row> read(String table) {
    Long v = versions.get(table);
    if (v == null) {
      throw new IllegalArgumentException(table + " is not a reference table");
    }
    return wh.readAt(table, v);
  }
}
