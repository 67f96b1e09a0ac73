package nightwatch.io;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import nightwatch.SparkTest;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseTest extends SparkTest {
  @TempDir
  Path dir;

  private long version(Warehouse w, String table) {
    return DeltaTable.forPath(spark, w.path(table)).history(1).first().<Long>getAs("version");
  }

  private Dataset<Row> messageClusters(String ds, String... ids) {
    List<Object[]> rows = new ArrayList<>();
    for (String id : ids) {
      // extra column and shuffled order: conform() must select and order the schema's columns
      rows.add(r("x", ts(ds + "T10:00:00Z"), "c-" + id, "a-" + id, id, Date.valueOf(ds)));
    }
    return df(spark, "extra string, created_at timestamp, cluster_id string, account_id string, message_id string,"
        + " ds date", rows.toArray(new Object[0][]));
  }

  @Test
  void ensureTablesCreatesAllTablesWithSchemaColumns() {
    Warehouse w = new Warehouse(spark, dir.toString());
    w.ensureTables();
    List<String> all = new ArrayList<>(Tables.OUTPUTS);
    all.addAll(Tables.REFERENCE);
    for (String t : all) {
      assertTrue(w.exists(t), t + " should exist as a Delta table");
      assertEquals(List.of(Tables.schema(t).columnNames()), List.of(w.read(t).columns()),
          t + " should have the schema file's columns in order");
      assertEquals(0, w.read(t).count(), t + " should start empty");
    }
    long v = version(w, Tables.CLUSTERS);
    w.ensureTables();
    assertEquals(v, version(w, Tables.CLUSTERS), "ensureTables on existing tables changes nothing");
  }

  @Test
  void replaceDayIsIdempotentAndLeavesOtherDays() {
    Warehouse w = new Warehouse(spark, dir.toString());
    w.ensureTables();
    String t = Tables.MESSAGE_CLUSTERS;
    long v0 = version(w, t);
    w.replaceDay(t, messageClusters("2024-04-30", "old1", "old2"), LocalDate.of(2024, 4, 30));
    assertEquals(v0 + 1, version(w, t), "one commit per replaceDay");
    w.replaceDay(t, messageClusters("2024-05-01", "m1", "m2", "m3"), LocalDate.of(2024, 5, 1));
    assertEquals(v0 + 2, version(w, t), "one commit per replaceDay");
    w.replaceDay(t, messageClusters("2024-05-01", "m1", "m4"), LocalDate.of(2024, 5, 1));
    assertEquals(v0 + 3, version(w, t), "a rerun of the day is one commit too");

    List<String> day = w.read(t).filter(col("ds").equalTo("2024-05-01")).orderBy("message_id").collectAsList()
        .stream().map(x -> (String) x.getAs("message_id")).toList();
    assertEquals(List.of("m1", "m4"), day, "the rerun replaces the day: one copy, the latest rows");
    List<String> other = w.read(t).filter(col("ds").equalTo("2024-04-30")).orderBy("message_id").collectAsList()
        .stream().map(x -> (String) x.getAs("message_id")).toList();
    assertEquals(List.of("old1", "old2"), other, "rows of other days are untouched");
    assertEquals(List.of(Tables.schema(t).columnNames()), List.of(w.read(t).columns()), "schema columns only");
  }

  @Test
  void aColumnAddedToTheSchemaFileReachesAnOlderTable() {
    Warehouse w = new Warehouse(spark, dir.toString());
    // A message_clusters table as an older version created it: without account_id.
    messageClusters("2024-05-01", "m0").drop("extra", "account_id").write().format("delta")
        .partitionBy("ds").save(w.path(Tables.MESSAGE_CLUSTERS));
    w.replaceDay(Tables.MESSAGE_CLUSTERS, messageClusters("2024-05-02", "m1"), LocalDate.parse("2024-05-02"));
    Dataset<Row> t = w.read(Tables.MESSAGE_CLUSTERS);
    assertTrue(List.of(t.columns()).contains("account_id"), "the new column is added");
    assertEquals("a-m1", t.filter(col("message_id").equalTo("m1")).first().getAs("account_id"));
    assertEquals(2, t.count(), "the older day is kept");
  }

  @Test
  void aReviewToolReadsOnlyWhatChangedFromTheChangeFeed() {
    Warehouse w = new Warehouse(spark, dir.toString());
    String t = Tables.SUSPENSION_CANDIDATES;
    // An older warehouse: the table exists without the change feed; ensureTables turns it on.
    org.apache.spark.sql.types.StructType schema = Tables.schema(t).struct();
    spark.createDataFrame(List.<Row>of(), schema).write().format("delta").partitionBy("ds").save(w.path(t));
    w.ensureTables();
    for (String table : List.of(t, Tables.REVIEW_DECISIONS)) {
      assertEquals("true", DeltaTable.forPath(spark, w.path(table)).detail().select("properties").first()
          .getJavaMap(0).get("delta.enableChangeDataFeed"), table + ": change data feed on");
    }
    Dataset<Row> day = spark.createDataFrame(List.<Row>of(), schema);
    long before = version(w, t);
    w.replaceDay(t, candidates(day, "2024-05-01", "a1", "a2"), LocalDate.of(2024, 5, 1));
    w.replaceDay(t, candidates(day, "2024-05-01", "a1", "a3"), LocalDate.of(2024, 5, 1));
    // What a review tool that last read version `before` sees: the rerun's changes, nothing else.
    List<String> changes = spark.sql("SELECT account_id, _change_type, _commit_version FROM table_changes_by_path('"
            + w.path(t) + "', " + (before + 1) + ") ORDER BY _commit_version, account_id, _change_type")
        .collectAsList().stream().map(x -> x.getString(0) + " " + x.getString(1) + " " + (x.getLong(2) - before))
        .toList();
    assertEquals(List.of("a1 insert 1", "a2 insert 1", "a1 delete 2", "a1 insert 2", "a2 delete 2", "a3 insert 2"),
        changes);
  }

  private static Object defaultOf(org.apache.spark.sql.types.DataType t) {
    return switch (t.typeName()) {
      case "integer" -> 0;
      case "long" -> 0L;
      case "double" -> 0.0;
      case "boolean" -> false;
      case "string" -> "";
      case "array" -> scala.collection.immutable.List$.MODULE$.empty();
      default -> throw new IllegalArgumentException("no default for " + t);
    };
  }

  /** Rows of suspension_candidates with the day and the account set, the other columns null or empty. */
  private Dataset<Row> candidates(Dataset<Row> empty, String ds, String... accounts) {
    List<Row> rows = new ArrayList<>();
    for (String a : accounts) {
      Object[] values = new Object[empty.columns().length];
      values[List.of(empty.columns()).indexOf("ds")] = Date.valueOf(ds);
      values[List.of(empty.columns()).indexOf("account_id")] = a;
      for (org.apache.spark.sql.types.StructField f : empty.schema().fields()) {
        int i = List.of(empty.columns()).indexOf(f.name());
        if (values[i] == null && !f.nullable()) {
          values[i] = defaultOf(f.dataType());
        }
      }
      rows.add(org.apache.spark.sql.RowFactory.create(values));
    }
    return spark.createDataFrame(rows, empty.schema());
  }
}
