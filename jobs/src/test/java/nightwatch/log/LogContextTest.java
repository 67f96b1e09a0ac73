package nightwatch.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import nightwatch.spark.Parallel;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The launcher's log4j2 config (conf/log4j2.properties) in both formats, with a run's context. */
class LogContextTest {
  private static final Path CONFIG = Path.of(System.getProperty("nightwatch.repo", ".."), "conf", "log4j2.properties")
      .toAbsolutePath().normalize();
  private static final LocalDate DS = LocalDate.parse("2026-11-20");
  private static final String RUN = "2026-11-20-test1234";

  @Test
  void jsonLineInsideARunIsOneJsonObjectWithDsAndRunId() throws Exception {
    List<String> lines = logWith("json", log -> {
      try (LogContext.Scope run = LogContext.open(DS, RUN)) {
        log.info("nightly run started");
        log.warn("write failed", new IllegalStateException("disk full"));
      }
      log.info("after the run");
    });
    assertEquals(3, lines.size(), "one line per event (a stack trace stays inside its JSON object): " + lines);
    ObjectMapper json = new ObjectMapper();
    JsonNode started = json.readTree(lines.get(0));
    assertEquals("2026-11-20", started.path("ds").asText(), lines.get(0));
    assertEquals(RUN, started.path("run_id").asText(), lines.get(0));
    assertEquals("INFO", started.path("level").asText());
    assertEquals("nightwatch.test", started.path("logger").asText());
    assertEquals("nightly run started", started.path("message").asText());
    assertTrue(started.path("timestamp").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"),
        "UTC date and time: " + started.path("timestamp"));
    JsonNode failed = json.readTree(lines.get(1));
    assertEquals(RUN, failed.path("run_id").asText());
    assertEquals("java.lang.IllegalStateException", failed.path("thrown").path("class").asText());
    assertTrue(failed.path("thrown").path("stack_trace").asText().contains("disk full"), lines.get(1));
    JsonNode after = json.readTree(lines.get(2));
    assertFalse(after.has("run_id") || after.has("ds"), "the context ends with the run: " + lines.get(2));
  }

  @Test
  void textLineCarriesTheDateAndTimeDsAndRunId() {
    List<String> lines = logWith("text", log -> {
      try (LogContext.Scope run = LogContext.open(DS, RUN)) {
        log.info("nightly run started");
      }
      log.info("after the run");
    });
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO ds=2026-11-20 "
        + "run=2026-11-20-test1234 test: nightly run started"), lines.get(0));
    assertTrue(lines.get(1).matches("\\S+Z INFO ds=- run=- test: after the run"), lines.get(1));
  }

  @Test
  void threadsCarryTheRunContext() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    try (LogContext.Scope run = LogContext.open(DS, RUN)) {
      // Parallel's pool threads: a copy of the caller's context.
      Parallel.run(2, List.of(() -> seen.put("a", MDC.get(LogContext.RUN_ID)),
          () -> seen.put("b", MDC.get(LogContext.RUN_ID))));
      // A thread the job did not start: the JVM's only open run, through log4j2's context data.
      Thread other = new Thread(() -> seen.put("other", String.valueOf(LogContext.soleRun().get(LogContext.RUN_ID))));
      other.start();
      other.join();
      try (LogContext.Scope second = LogContext.open(DS.plusDays(1), "2026-11-21-other")) {
        assertEquals(Map.of(), LogContext.soleRun(), "two runs open: no run is assumed for other threads");
        assertEquals("2026-11-21-other", MDC.get(LogContext.RUN_ID));
      }
      assertEquals(RUN, MDC.get(LogContext.RUN_ID), "closing a scope restores the previous context");
    }
    assertEquals(Map.of("a", RUN, "b", RUN, "other", RUN), seen);
    assertEquals(null, MDC.get(LogContext.RUN_ID));
    assertEquals(Map.of(), LogContext.soleRun());
  }

  /** The lines that conf/log4j2.properties writes to stderr in {@code format}, in a LoggerContext of their own. */
  private static List<String> logWith(String format, Consumer<Logger> body) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String before = System.getProperty("nightwatch.log.format");
    LoggerContext ctx = new LoggerContext("LogContextTest-" + format);
    try {
      // The console appender takes System.err when the config starts; the format is read then too.
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setProperty("nightwatch.log.format", format);
      Configuration config = ConfigurationFactory.getInstance()
          .getConfiguration(ctx, ConfigurationSource.fromUri(CONFIG.toUri()));
      ctx.start(config);
      body.accept(ctx.getLogger("nightwatch.test"));
    } finally {
      ctx.stop();
      System.setErr(err);
      if (before == null) {
        System.clearProperty("nightwatch.log.format");
      } else {
        System.setProperty("nightwatch.log.format", before);
      }
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
