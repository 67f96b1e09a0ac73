package nightwatch.io;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The Delta warehouse: one folder per table under the root (any Hadoop filesystem URI), created from
 * {@code schemas/} on first use.
 * Daily tables are replaced one day at a time ({@code replaceWhere ds = ...}, one commit per table), so
 * a rerun replaces that day and duplicates nothing.
 */
public final class Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);
  private final SparkSession spark;
  private final String root;
  /** Called before every commit: the run's lock check ({@link DayLock#ensureHeld}), or nothing. */
  private volatile Runnable commitGuard = () -> {};
  /** Delta properties every table is created with (retention of its history and of deleted files). */
  private final Map<String, String> tableProperties;

  public Warehouse(SparkSession spark, String root) {
    this(spark, root, Map.of());
  }

  public Warehouse(SparkSession spark, String root, Map<String, String> tableProperties) {
    this.spark = spark;
    WarehouseGuard.check(root); // writes never leave the configured warehouse
    this.root = Storage.qualify(Storage.conf(spark), root);
    this.tableProperties = Map.copyOf(tableProperties);
  }

  /** Sets the check run before each commit of this warehouse's tables (null: none). */
  public void guardCommits(Runnable guard) {
    this.commitGuard = guard == null ? () -> {} : guard;
  }

  /** Throws if the current run may no longer commit (see {@link #guardCommits}). */
  public void beforeCommit() {
    commitGuard.run();
  }

  /** The warehouse as a fully qualified Hadoop URI ({@code file:/...}, {@code hdfs://...}, {@code s3a://...}). */
  public String root() {
    return root;
  }

  public String path(String table) {
    return Storage.child(root, table);
  }

  /** The folder of one day's report and reviewer exports. */
  public String reportDir(LocalDate ds) {
    return Storage.child(root, "reports/ds=" + ds);
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
    retryOnConflict(t + " create", () -> createIfNotExists(t));
  }

  private void createIfNotExists(String t) {
    TableSchema s = Tables.schema(t);
    DeltaTableBuilder b = DeltaTable.createIfNotExists(spark).location(path(t)).comment(s.description());
    for (StructField f : s.struct().fields()) {
      b = b.addColumn(DeltaTable.columnBuilder(spark, f.name()).dataType(f.dataType()).nullable(f.nullable())
          .comment(f.metadata().getString("comment")).build());
    }
    if (!s.partitionedBy().isEmpty()) {
      b = b.partitionedBy(s.partitionedBy().toArray(new String[0]));
    }
    for (Map.Entry<String, String> p : s.properties().entrySet()) {
      b = b.property(p.getKey(), p.getValue());
    }
    for (Map.Entry<String, String> p : tableProperties.entrySet()) {
      b = b.property(p.getKey(), p.getValue());
    }
    DeltaTable table = b.execute();
    setProperties(t, table, s.properties());
    StructType existing = table.toDF().schema();
    // A column the schema file has since made nullable is relaxed in place, so an older warehouse keeps working.
    for (StructField f : s.struct().fields()) {
      if (f.nullable() && existing.getFieldIndex(f.name()).isDefined()
          && !existing.apply(f.name()).nullable()) {
        spark.sql("ALTER TABLE delta.`" + path(t) + "` ALTER COLUMN " + f.name() + " DROP NOT NULL");
        LOG.info("{}: column {} made nullable, as in its schema file", t, f.name());
      }
    }
  }

  /** Sets the properties the table does not have yet with these values. */
  public void setProperties(String t, Map<String, String> wanted) {
    setProperties(t, DeltaTable.forPath(spark, path(t)), wanted);
  }

  /** A table created before its schema file named a property gets it now (e.g. an older warehouse's change feed). */
  private void setProperties(String t, DeltaTable table, Map<String, String> wanted) {
    if (wanted.isEmpty()) {
      return;
    }
    Map<String, String> has = table.detail().select("properties").first().getJavaMap(0);
    List<String> missing = new ArrayList<>();
    wanted.forEach((k, v) -> {
      if (!v.equals(has.get(k))) {
        missing.add("'" + k + "' = '" + v + "'");
      }
    });
    if (!missing.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + path(t) + "` SET TBLPROPERTIES (" + String.join(", ", missing) + ")");
      LOG.info("{}: table properties set: {}", t, missing);
    }
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  /** The table as of one Delta version. */
  public Dataset<Row> readAt(String table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path(table));
  }

  /** The current Delta version of a table. */
  public long version(String table) {
    return DeltaTable.forPath(spark, path(table)).history(1).select("version").first().getLong(0);
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
    // A conflicting commit (e.g. maintain setting table properties meanwhile) left nothing: write the day again.
    retryOnConflict(table + " " + ds, () -> {
      beforeCommit();
      conform(df, table).write().format("delta").mode("overwrite")
          .option("replaceWhere", "ds = DATE'" + ds + "'").option("mergeSchema", "true")
          .save(path(table));
    });
    return logged(table, "replaced " + ds, start);
  }

  public long append(String table, Dataset<Row> df) {
    long start = System.nanoTime();
    // mergeSchema: a log table created by an older version gains new columns instead of failing the run.
    retryOnConflict(table + " append", () -> {
      beforeCommit();
      conform(df, table).write().format("delta").mode("append").option("mergeSchema", "true").save(path(table));
    });
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
    retryOnConflict(table + " upsert", () -> {
      // Read again on each attempt: a retry keeps the rows another run committed meanwhile.
      Dataset<Row> kept = read(table).join(source.select(cols(key)), toSeq(key), "left_anti");
      beforeCommit();
      conform(kept.unionByName(source, true), table).write().format("delta").mode("overwrite")
          .option("mergeSchema", "true").save(path(table));
    });
    logged(table, "upserted by " + String.join(",", key), start);
  }

  /**
   * Runs a commit again when another writer committed a conflicting change first (Delta's optimistic concurrency,
   * e.g. two days' runs upserting one reference table): the loser re-reads and commits on top, or fails after
   * {@link #CONFLICT_ATTEMPTS} attempts. Nothing is half-written: a failed Delta commit leaves no version.
   */
  public static void retryOnConflict(String what, Runnable commit) {
    for (int attempt = 1; ; attempt++) {
      try {
        commit.run();
        return;
      } catch (RuntimeException e) {
        if (!isConflict(e) || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
        LOG.info("{}: another writer committed first ({}); attempt {} of {}", what, e.getClass().getSimpleName(),
            attempt + 1, CONFLICT_ATTEMPTS);
        backoff(attempt);
      }
    }
  }

  /** A random pause that grows with the attempt, so that writers who collided do not collide again in step. */
  static void backoff(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(50, 250L * (attempt + 1)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry a commit", ie);
    }
  }

  static final int CONFLICT_ATTEMPTS = 8;

  /** A commit that lost a race with another writer: Delta's conflict, or two first commits of one table's log. */
  public static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException
          || t instanceof java.nio.file.FileAlreadyExistsException
          || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
        return true;
      }
    }
    return false;
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
