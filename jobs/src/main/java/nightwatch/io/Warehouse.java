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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The Delta warehouse: one folder per table under the root, created from {@code schemas/} on first use.
 * Daily tables are replaced one day at a time ({@code replaceWhere ds = ...}, one commit per table), so
 * a rerun replaces that day and duplicates nothing.
 */
public final class Warehouse {
  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
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
    for (String t : all) {
      TableSchema s = Tables.schema(t);
      DeltaTableBuilder b = DeltaTable.createIfNotExists(spark).location(path(t)).comment(s.description());
      for (StructField f : s.struct().fields()) {
        b = b.addColumn(DeltaTable.columnBuilder(spark, f.name()).dataType(f.dataType()).nullable(f.nullable())
            .comment(f.metadata().getString("comment")).build());
      }
      if (!s.partitionedBy().isEmpty()) {
        b = b.partitionedBy(s.partitionedBy().toArray(new String[0]));
      }
      b.execute();
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

  /** Replaces one day of a ds-partitioned table in a single commit. */
  public void replaceDay(String table, Dataset<Row> df, LocalDate ds) {
    conform(df, table).write().format("delta").mode("overwrite")
        .option("replaceWhere", "ds = DATE'" + ds + "'")
        .save(path(table));
  }

  public void append(String table, Dataset<Row> df) {
    conform(df, table).write().format("delta").mode("append").save(path(table));
  }

  /** Upserts rows by the table's key (from its schema file); the source is first made unique per key. */
  public void upsert(String table, Dataset<Row> df) {
    TableSchema s = Tables.schema(table);
    String[] key = s.key().toArray(new String[0]);
    Dataset<Row> source = conform(df, table).dropDuplicates(key);
    StringBuilder cond = new StringBuilder();
    for (String k : key) {
      if (cond.length() > 0) {
        cond.append(" AND ");
      }
      cond.append("t.").append(k).append(" = s.").append(k);
    }
    DeltaTable.forPath(spark, path(table)).as("t").merge(source.as("s"), cond.toString())
        .whenMatched().updateAll().whenNotMatched().insertAll().execute();
  }
}
