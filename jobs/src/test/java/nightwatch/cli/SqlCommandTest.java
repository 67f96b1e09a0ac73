package nightwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nightwatch.SparkTest;
import nightwatch.notebook.Notebook;
import nightwatch.notebook.NotebookRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyst's commands: a bad query is the analyst's to fix (exit 2, one line, no stack trace); statements that
 * write or delete are refused by kind unless --allow-writes; csv and json export every row; a cut table says so.
 */
class SqlCommandTest extends SparkTest {
  /** One warehouse for the class: its catalog is set up once. */
  @TempDir
  static Path dir;
  private String db;

  /** {@code sql} switches the session to the nightwatch database; this JVM's session is shared, so put it back. */
  @BeforeEach
  void rememberDatabase() {
    db = spark.catalog().currentDatabase();
  }

  @AfterEach
  void restoreDatabase() {
    spark.catalog().setCurrentDatabase(db);
  }

  private record Run(int code, String out, String err) {}

  private Run sql(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 3];
      all[0] = "sql";
      all[1] = "--warehouse";
      all[2] = dir.resolve("wh").toString();
      System.arraycopy(args, 0, all, 3, args.length);
      int code = Main.execute(all);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).strip());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String lastLine(String s) {
    return s.lines().reduce((a, b) -> b).orElse("");
  }

  @Test
  void badQueriesFailWithOneLine() {
    for (String q : new String[] {"SELEC 1", "SELECT no_such_column FROM (SELECT 1 AS x)"}) {
      Run r = sql(q);
      assertEquals(Main.USAGE, r.code(), "exit 2 for " + q);
      assertTrue(lastLine(r.err()).startsWith("nightwatch sql: ") && !r.err().contains("\tat org.apache"),
          "one line, no stack trace, for " + q + ": " + r.err());
    }
  }

  @Test
  void writesAreRefusedByKindUnlessAllowed() {
    String table = "delta.`" + dir.resolve("t") + "`";
    spark.range(5).write().format("delta").save(dir.resolve("t").toString());
    assertEquals(Main.USAGE, sql("CREATE TABLE copy USING delta AS SELECT * FROM " + table).code(), "CTAS refused");
    Run refused = sql("DELETE FROM " + table + " WHERE id < 2");
    assertEquals(Main.USAGE, refused.code());
    assertTrue(lastLine(refused.err()).startsWith("nightwatch sql: DELETE writes or deletes"), refused.err());
    assertEquals(5, spark.read().format("delta").load(dir.resolve("t").toString()).count(), "nothing deleted");
    assertEquals(Main.OK, sql("--allow-writes", "DELETE FROM " + table + " WHERE id < 2").code());
    assertEquals(3, spark.read().format("delta").load(dir.resolve("t").toString()).count(), "deleted when allowed");
  }

  @Test
  void csvAndJsonExportEveryRowAndACutTableSaysSo() {
    Run csv = sql("--format", "csv", "SELECT id FROM range(2500)");
    assertEquals(Main.OK, csv.code());
    assertEquals(2501, csv.out().lines().count(), "header and every row, no default limit");
    assertEquals("", csv.err(), "nothing cut");
    Run json = sql("--format", "json", "--limit", "10", "SELECT id FROM range(2500)");
    assertEquals(List.of("{\"id\":0}", "{\"id\":1}"), json.out().lines().limit(2).toList());
    assertEquals(10, json.out().lines().count());
    assertEquals("printed 10 of 2,500 rows; use --limit", lastLine(json.err()));
    Run table = sql("SELECT id FROM range(1200)");
    assertEquals("printed 1,000 of 1,200 rows; use --limit", lastLine(table.err()), "the table view's default limit");
  }

  @Test
  void aNotebookThatWritesIsRefusedBeforeAnyCellRuns() throws Exception {
    Path nb = Files.createTempFile(dir, "w", ".ipynb");
    Files.writeString(nb, "{\"cells\": ["
        + "{\"cell_type\": \"code\", \"source\": [\"%%sql\\n\", \"SELECT 1\"]},"
        + "{\"cell_type\": \"code\", \"source\": [\"%%sql\\n\", \"DROP TABLE clusters\"]}],"
        + "\"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
    assertEquals("cell 2: DROP writes or deletes; analysis is read-only (--allow-writes to run it)",
        NotebookRunner.firstWrite(spark, Notebook.read(nb)));
  }
}
