package nightwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the rendered report in headless Chromium with networking disabled and checks what a reviewer's
 * browser actually builds from it: the charts are there, hostile text stays text, the console is clean,
 * and a screenshot renders (kept as jobs/target/report-screenshot.png). Skipped without /usr/bin/chromium.
 */
class DailyReportBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final long TIMEOUT_SECONDS = 60;

  private record Run(int exit, String stdout, String stderr) {}

  private static Run chromium(Path tmp, String name, List<String> extra, Path page) throws Exception {
    Path profile = Files.createDirectories(tmp.resolve("profile-" + name));
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
        "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        "--enable-logging=stderr", "--v=0"));
    cmd.addAll(extra);
    cmd.add(page.toUri().toString());
    Path out = tmp.resolve(name + ".stdout");
    Path err = tmp.resolve(name + ".stderr");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("HOME", tmp.toString());
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("chromium " + name + " did not finish in " + TIMEOUT_SECONDS + " s: " + read(err));
    }
    return new Run(p.exitValue(), read(out), read(err));
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  private static void assertCleanConsole(Run run) {
    for (String line : run.stderr().split("\n")) {
      assertFalse(line.contains("CONSOLE") || line.contains("Uncaught"), "browser console message: " + line);
    }
  }

  @Test
  void reportRendersSafelyInHeadlessChromium(@TempDir Path tmp) throws Exception {
    if (System.getenv("NIGHTWATCH_REQUIRE_BROWSER") != null) {
      assertTrue(Files.isExecutable(CHROMIUM), "CI must run the browser check, but " + CHROMIUM + " is missing");
    }
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed: skipping browser check");
    Path dir = tmp.resolve("report");
    DailyReport.write(DailyReportTest.sample(), new org.apache.hadoop.conf.Configuration(), dir.toString());
    Path page = dir.resolve("index.html");

    Run dom = chromium(tmp, "dom", List.of("--dump-dom"), page);
    assertEquals(0, dom.exit(), "chromium --dump-dom exit code; stderr:\n" + dom.stderr());
    String html = dom.stdout();
    assertTrue(html.contains("Candidates are for human review; nothing here suspends anyone"), "page content");
    // Every chart of the page is an inline SVG that survives rendering: seven (14-day flagged-campaign
    // messages, 14-day flagged clusters and candidates, 14-day new/growing/returned campaigns, candidates by
    // tier, by reason, rejected rows, reports by credibility band).
    int written = Files.readString(page).split("<svg", -1).length - 1;
    int svgs = html.split("<svg", -1).length - 1;
    assertEquals(7, written, "charts written into the page");
    assertEquals(written, svgs, "every chart is in the rendered DOM");
    String lower = html.toLowerCase();
    assertFalse(lower.contains("<script"), "a <script element exists in the DOM");
    assertFalse(lower.contains("<img"), "an <img element exists in the DOM");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "malicious text shown as text");
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "malicious handle shown as text");
    assertCleanConsole(dom);

    Path png = tmp.resolve("report.png");
    Run shot = chromium(tmp, "shot", List.of("--screenshot=" + png, "--window-size=1280,2400"), page);
    assertEquals(0, shot.exit(), "chromium --screenshot exit code; stderr:\n" + shot.stderr());
    assertTrue(Files.exists(png), "screenshot written");
    assertTrue(Files.size(png) > 50_000, "screenshot is non-trivial: " + Files.size(png) + " bytes");
    assertCleanConsole(shot);

    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    Files.createDirectories(target);
    Files.copy(png, target.resolve("report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
