package nightwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nightwatch.SparkTest;
import nightwatch.tools.NightwatchTools;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo generates ahead and evaluates behind the nightly runs, on other threads: every day still
 * runs on its complete input, in order, and each day's scores are computed from that day's committed
 * tables and printed against the right day.
 */
class DemoCommandTest extends SparkTest {
  @Test
  void twoSmallDaysRunInOrderAndAreEachEvaluated(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = NightwatchTools.execute("demo", "--warehouse", wh.toString(), "--days", "2", "--messages", "2000");
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(Main.OK, code, out);

    // By default the models are trained on day 1's labels before day 2, and day 2 runs with them.
    assertTrue(out.contains("training the classifier and the stance model on the labels up to 2026-11-20"), out);
    assertTrue(out.contains("  model 2026-11-20-"), out);
    assertTrue(out.contains("  stance model: "), out);
    assertEquals(1, spark.read().format("delta").load(wh.resolve("models").toString()).count(), "one model");

    // Each day's nightly run saw the whole generated day (2,000 messages less the generator's planted bad rows).
    List<Row> runs = spark.read().format("delta").load(wh.resolve("job_runs").toString())
        .filter("outcome <> 'started'").orderBy("ds").select("ds", "outcome", "row_counts").collectAsList();
    assertEquals(2, runs.size());
    for (Row r : runs) {
      assertEquals("success", r.getString(1));
      long valid = (Long) r.getJavaMap(2).get("messages");
      long lines = (Long) r.getJavaMap(2).get("input_lines_messages");
      assertTrue(valid >= 1990 && lines >= 2000, "complete input for " + r.get(0) + ": " + lines + " lines");
    }
    assertEquals("2026-11-20", runs.get(0).get(0).toString());
    assertEquals("2026-11-21", runs.get(1).get(0).toString());
    assertEquals(0L, runs.get(0).getJavaMap(2).get("model_present"), "day 1 runs without a model");
    assertEquals(1L, runs.get(1).getJavaMap(2).get("model_present"), "day 2 runs with the trained model");
    assertTrue(runs.get(1).getJavaMap(2).containsKey("stance_model_present"), "day 2 says whether it had a stance model");

    // The summary prints one evaluation per day, in day order, each naming its own day.
    Matcher m = Pattern.compile("evaluation: \\{\"ds\":\"(\\d{4}-\\d{2}-\\d{2})\",\"cluster_pair_precision\":")
        .matcher(out);
    assertTrue(m.find(), out);
    assertEquals("2026-11-20", m.group(1));
    assertTrue(m.find(), out);
    assertEquals("2026-11-21", m.group(1));
    // Day 2 is evaluated with day 1 committed: campaign linking is measured over both days.
    assertTrue(out.contains("\"campaign_link_days\":2"), out);
    for (String ds : List.of("2026-11-20", "2026-11-21")) {
      assertTrue(Files.exists(wh.resolve("reports/ds=" + ds + "/index.html")), "report for " + ds);
    }
  }
}
