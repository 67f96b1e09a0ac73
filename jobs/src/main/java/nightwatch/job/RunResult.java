package nightwatch.job;

import java.time.LocalDate;
import java.util.Map;

/** What one nightly run did: counts by name, stage timings, and the connected-components figures. */
public record RunResult(String runId, LocalDate ds, Map<String, Long> counts, Map<String, Long> stageMillis,
                        long rejectedRows, long largestComponent, int ccRounds, String reportPath) {}
