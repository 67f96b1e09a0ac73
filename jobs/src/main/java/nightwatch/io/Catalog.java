package nightwatch.io;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import nightwatch.schema.Tables;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers every warehouse table by name in one database of the session's catalog (a Hive metastore,
 * shared or embedded, or the in-memory catalog), pointing at its Delta folder. Idempotent and cheap when
 * nothing changed: a table already registered at the right location is left as it is. Delta keeps the
 * schema in its log, so a schema change needs no catalog update; a new table or a moved warehouse does,
 * and gets it here.
 */
public final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  private Catalog() {}

  /** Every table name of the warehouse, outputs then reference tables. */
  public static List<String> tableNames() {
    List<String> all = new ArrayList<>(Tables.OUTPUTS);
    all.addAll(Tables.REFERENCE);
    all.add(Tables.MODELS);
    all.add(Tables.RUN_LOCKS);
    return all;
  }

  /**
   * Creates {@code database} if needed and registers each existing Delta table of the warehouse in it.
   *
   * @return the names registered (new or already there)
   */
  public static List<String> register(SparkSession spark, Warehouse wh, String database) {
    long start = System.nanoTime();
    spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "` COMMENT 'Nightwatch warehouse tables (Delta)'");
    ExternalCatalog external = spark.sharedState().externalCatalog();
    List<String> done = new ArrayList<>();
    int created = 0;
    for (String t : tableNames()) {
      if (!wh.exists(t)) {
        continue;
      }
      String name = "`" + database + "`.`" + t + "`";
      String want = qualified(spark, wh.path(t));
      if (external.tableExists(database, t)) {
        CatalogTable ct = external.getTable(database, t);
        String have = ct.storage().locationUri().isDefined() ? qualified(spark, ct.storage().locationUri().get()) : "";
        if (have.equals(want)) {
          // Nothing to refresh: Delta reads the latest snapshot and schema from its log at each query.
          done.add(t);
          continue;
        }
        if (!"EXTERNAL".equals(ct.tableType().name())) {
          throw new IllegalStateException("catalog table " + database + "." + t + " is " + ct.tableType().name()
              + " at " + have + ", not the warehouse's " + want + ": drop it by hand or use another database");
        }
        // An external table only points at data: dropping the entry leaves the files alone.
        LOG.info("catalog: {} moved from {} to {}", name, have, want);
        spark.sql("DROP TABLE " + name);
      }
      spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION '" + want.replace("'", "\\'") + "'");
      created++;
      done.add(t);
    }
    LOG.info("catalog: {} tables in database {} ({} newly registered) in {} ms", done.size(), database, created,
        (System.nanoTime() - start) / 1_000_000);
    return done;
  }

  private static String qualified(SparkSession spark, Object location) {
    Path p = location instanceof URI u ? new Path(u) : new Path(location.toString());
    try {
      return p.getFileSystem(spark.sessionState().newHadoopConf()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resolve " + p, e);
    }
  }
}
