package nightwatch.cli;

import java.util.Map;
import java.util.stream.Collectors;
import nightwatch.job.RunResult;

/** Short human summaries of runs for the terminal. */
final class Summary {
  private Summary() {}

  static String line(RunResult r) {
    Map<String, Long> c = r.counts();
    return String.format("%s  messages=%d rejected=%d clusters=%d flagged=%d candidates=%d largest_cluster=%d "
            + "cc_rounds=%d report=%s", r.ds(), c.getOrDefault("messages", 0L), r.rejectedRows(),
        c.getOrDefault("clusters", 0L), c.getOrDefault("flagged_clusters", 0L), c.getOrDefault("candidates", 0L),
        r.largestComponent(), r.ccRounds(), r.reportPath());
  }

  static String timings(RunResult r) {
    return r.stageMillis().entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format("%.1fs", e.getValue() / 1000.0))
        .collect(Collectors.joining(" "));
  }
}
