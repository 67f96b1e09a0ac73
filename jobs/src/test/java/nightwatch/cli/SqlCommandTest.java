package nightwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nightwatch.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad query is the analyst's to fix: exit 2 and one line naming the problem, no stack trace. */
class SqlCommandTest extends SparkTest {
  @Test
  void badQueriesFailWithOneLine(@TempDir Path dir) {
    // `sql` switches the session to the nightwatch database (its process ends there); this JVM's session is
    // shared with the other tests, so put the current database back.
    String db = spark.catalog().currentDatabase();
    try {
      run(dir);
    } finally {
      spark.catalog().setCurrentDatabase(db);
    }
  }

  private static void run(Path dir) {
    for (String q : new String[] {"SELEC 1", "SELECT no_such_column FROM (SELECT 1 AS x)"}) {
      PrintStream old = System.err;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int code;
      try {
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        code = Main.execute("sql", "--warehouse", dir.resolve("wh").toString(), q);
      } finally {
        System.setErr(old);
      }
      String err = buf.toString(StandardCharsets.UTF_8).strip();
      assertEquals(Main.USAGE, code, "exit 2 for " + q);
      String last = err.lines().reduce((a, b) -> b).orElse("");
      assertTrue(last.startsWith("nightwatch sql: ") && !err.contains("\tat org.apache"),
          "one line, no stack trace, for " + q + ": " + err);
    }
  }
}
