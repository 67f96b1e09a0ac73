package nightwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nightwatch.tools.NightwatchTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the shared data folder, evaluate-real says so and succeeds (no Spark needed). */
class EvaluateRealCommandTest {
  @Test
  void missingDataFolderIsASkipNotAFailure(@TempDir Path dir) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = NightwatchTools.execute("evaluate-real", "--data", dir.resolve("absent").toString(), "--warehouse",
          dir.resolve("wh").toString());
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(Main.OK, code, "exit code 0");
    assertTrue(out.contains("evaluate-real: skipped: data folder") && out.contains("absent"),
        "clear skip message naming the folder: " + out);
  }
}
