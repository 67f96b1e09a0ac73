package nightwatch.io;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import nightwatch.schema.TableSchema;
import nightwatch.schema.Tables;
import nightwatch.spark.Parallel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Delta warehouse: one folder per table under the root, created from {@code schemas/} on first use.
 * Daily tables are replaced one day at a time ({@code replaceWhere ds = ...}, one commit per table), so
 * a rerun replaces that day and duplicates nothing.
 */
public final class Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);
  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    WarehouseGuard.check(root); // writes never leave the configured warehouse
    this.root = Path.of(root).toAbsolutePath().normalize().toString();
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /** Creates every output and reference table that does not exist yet, from its schema file. */
  public void ensureTables() {
    List<String> all = new ArrayList<>(Tables.OUTPUTS);
    all.addAll(Tables.REFERENCE);
    Parallel.run(Parallel.TABLE_THREADS, all.stream().<Runnable>map(t -> () -> ensureTable(t)).toList());
  }

  /** Creates one table from its schema file if it does not exist yet. */
  public void ensureTable(String t) {
    TableSchema s = Tables.schema(t);
    DeltaTableBuilder b = DeltaTable.createIfNotExists(spark).location(path(t)).comment(s.description());
    for (StructField f : s.struct().fields()) {
      b = b.addColumn(DeltaTable.columnBuilder(spark, f.name()).dataType(f.dataType()).nullable(f.nullable())
          .comment(f.metadata().getString("comment")).build());
    }
    if (!s.partitionedBy().isEmpty()) {
      b = b.partitionedBy(s.partitionedBy().toArray(new String[0]));
    }
    StructType existing = b.execute().toDF().schema();
    // A column the schema file has since made nullable is relaxed in place, so an older warehouse keeps working.
    for (StructField f : s.struct().fields()) {
      if (f.nullable() && existing.getFieldIndex(f.name()).isDefined()
          && !existing.apply(f.name()).nullable()) {
        spark.sql("ALTER TABLE delta.`" + path(t) + "` ALTER COLUMN " + f.name() + " DROP NOT NULL");
        LOG.info("{}: column {} made nullable, as in its schema file", t, f.name());
      }
    }
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  /** Selects and casts the schema's columns in order, so every write matches the schema file exactly. */
  public static Dataset<Row> conform(Dataset<Row> df, String table) {
    TableSchema s = Tables.schema(table);
    List<Column> cols = new ArrayList<>();
    for (StructField f : s.struct().fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return df.select(cols.toArray(new Column[0]));
  }

  /**
   * Replaces one day of a ds-partitioned table in a single commit. A column added to the schema file since
   * the table was created is added to the table (mergeSchema), so an older warehouse keeps working.
   */
  public long replaceDay(String table, Dataset<Row> df, LocalDate ds) {
    long start = System.nanoTime();
    conform(df, table).write().format("delta").mode("overwrite")
        .option("replaceWhere", "ds = DATE'" + ds + "'").option("mergeSchema", "true")
        .save(path(table));
    return logged(table, "replaced " + ds, start);
  }

  public long append(String table, Dataset<Row> df) {
    long start = System.nanoTime();
    // mergeSchema: a log table created by an older version gains new columns instead of failing the run.
    conform(df, table).write().format("delta").mode("append").option("mergeSchema", "true").save(path(table));
    return logged(table, "appended", start);
  }

  /** Logs the rows the last commit wrote (from Delta's own operation metrics) and returns them. */
  private long logged(String table, String what, long startNanos) {
    Row last = DeltaTable.forPath(spark, path(table)).history(1).select("version", "operationMetrics").first();
    scala.collection.Map<String, String> metrics = last.getMap(1);
    long rows = metrics == null ? -1 : Long.parseLong(metrics.getOrElse("numOutputRows", () -> "-1"));
    LOG.info("{}: {} {} rows as version {} in {} ms", table, what, rows, last.getLong(0),
        (System.nanoTime() - startNanos) / 1_000_000);
    return rows;
  }

  /**
   * Upserts rows by the table's key (from its schema file): the source is made unique per key, and the
   * table is rewritten as (old rows whose key is not in the source) + source in one commit. For the small
   * reference tables this is one job, where a MERGE costs several.
   */
  public void upsert(String table, Dataset<Row> df) {
    long start = System.nanoTime();
    String[] key = Tables.schema(table).key().toArray(new String[0]);
    Dataset<Row> source = conform(df, table).dropDuplicates(key);
    Dataset<Row> kept = read(table).join(source.select(cols(key)), toSeq(key), "left_anti");
    conform(kept.unionByName(source, true), table).write().format("delta").mode("overwrite")
        .option("mergeSchema", "true").save(path(table));
    logged(table, "upserted by " + String.join(",", key), start);
  }

  private static Column[] cols(String[] names) {
    Column[] c = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      c[i] = col(names[i]);
    }
    return c;
  }

  private static scala.collection.immutable.Seq<String> toSeq(String[] names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(names)).toList();
  }

}
