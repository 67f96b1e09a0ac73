package nightwatch.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import nightwatch.SparkTest;
import org.junit.jupiter.api.Test;

/** Every statement kind that writes or deletes is refused by name before it runs; reads and descriptions pass. */
class ReadOnlySqlTest extends SparkTest {
  @Test
  void writesAndDeletesAreRefusedByKind() {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("DELETE FROM clusters WHERE ds = '2026-11-20'", "DELETE");
    refused.put("UPDATE clusters SET messages = 0", "UPDATE");
    refused.put("MERGE INTO clusters t USING other s ON t.cluster_id = s.cluster_id WHEN MATCHED THEN DELETE", "MERGE");
    refused.put("INSERT INTO clusters SELECT * FROM clusters", "INSERT");
    refused.put("INSERT OVERWRITE TABLE clusters SELECT * FROM clusters", "INSERT");
    refused.put("WITH x AS (SELECT 1) INSERT INTO clusters SELECT * FROM x", "INSERT");
    refused.put("VACUUM clusters RETAIN 0 HOURS", "VACUUM");
    refused.put("RESTORE TABLE clusters TO VERSION AS OF 0", "RESTORE");
    refused.put("DROP TABLE clusters", "DROP");
    refused.put("CREATE TABLE copy USING delta AS SELECT * FROM clusters", "CREATE ... AS");
    refused.put("INSERT OVERWRITE DIRECTORY '/tmp/out' USING parquet SELECT * FROM clusters",
        "INSERT OVERWRITE DIRECTORY");
    refused.put("TRUNCATE TABLE clusters", "TRUNCATE");
    refused.put("ALTER TABLE clusters SET TBLPROPERTIES ('a' = 'b')", "ALTER");
    refused.put("OPTIMIZE clusters", "OPTIMIZE");
    refused.put("CREATE VIEW kept AS SELECT 1", "CREATE");
    refused.forEach((sql, kind) -> assertEquals(kind,
        assertThrows(ReadOnlySql.WriteRefused.class, () -> ReadOnlySql.check(spark, sql), sql).kind(), sql));
  }

  @Test
  void readsAndDescriptionsPass() {
    for (String sql : new String[] {"SELECT 1", "WITH x AS (SELECT 1 AS a) SELECT a FROM x ORDER BY a LIMIT 3",
        "SELECT * FROM (SELECT 1 AS a) UNION ALL SELECT 2", "SHOW TABLES", "DESCRIBE TABLE clusters",
        "DESCRIBE HISTORY clusters", "EXPLAIN SELECT 1", "USE nightwatch", "SHOW COLUMNS IN clusters",
        "SELECT * FROM table_changes('suspension_candidates', 1)", "CREATE OR REPLACE TEMP VIEW v AS SELECT 1",
        "CREATE TEMPORARY VIEW w AS SELECT 1"}) {
      assertDoesNotThrow(() -> ReadOnlySql.check(spark, sql), sql);
    }
  }
}
