package nightwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.lsh.LshParams;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorTest extends SparkTest {
  @TempDir
  Path dir;

  @Test
  void floorSignsEveryReadableMessageWithoutAShuffle() throws Exception {
    LocalDate ds = LocalDate.of(2026, 11, 20);
    NightwatchConfig cfg = NightwatchConfig.load(null, Map.of("nightwatch.warehouse", dir.resolve("wh").toString(),
        "nightwatch.input.root", dir.resolve("in").toString()));
    Path messages = Path.of(cfg.input().path(cfg.input().messages(), ds));
    Files.createDirectories(messages);
    Files.writeString(messages.resolve("part-0.jsonl"), String.join("\n",
        line("m1", "the caliphate calls every brother to join the ranks today"),
        line("m2", "the caliphate calls every brother to join the ranks today!"),
        line("m3", "a completely different message about football and the weekend"),
        "{not json") + "\n");

    Dataset<Row> plan = Floor.plan(spark, cfg, ds);
    String physical = plan.queryExecution().executedPlan().toString();
    assertFalse(physical.contains("Exchange"), "the floor must not shuffle:\n" + physical);
    assertEquals(3, plan.count());
    LshParams lsh = LshParams.of(cfg.lsh());
    assertEquals(3, plan.filter("size(sig) = " + lsh.bands() * lsh.rows()).count());
  }

  static String line(String id, String text) {
    return "{\"message_id\":\"" + id + "\",\"account_id\":\"a1\",\"created_at\":\"2026-11-20T10:00:00Z\","
        + "\"lang\":\"en\",\"text\":\"" + text + "\"}";
  }
}
