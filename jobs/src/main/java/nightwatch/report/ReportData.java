package nightwatch.report;

import java.util.List;
import java.util.Map;

/**
 * Everything the daily report shows, already aggregated (bounded in size: top-N lists and counts),
 * so rendering needs no Spark. Built from the Delta tables by {@code ReportDataBuilder}.
 */
public record ReportData(
    String ds,
    String generatedAt,
    Map<String, Long> inputCounts,          // messages, accounts, reports read
    Map<String, Long> rejectedByReason,     // reason -> rows
    Map<String, Long> stageMillis,          // stage -> wall ms
    long clusters,
    long flaggedClusters,
    long flaggedMessages,
    Map<String, Long> candidatesByTier,     // T1/T2/T3/protected_review/counter_speech -> accounts
    Map<String, Long> candidatesByReason,   // reason code -> accounts
    List<DayPoint> history,                 // up to 14 earlier days plus today, oldest first
    List<ClusterRow> topClusters,           // highest propaganda score first
    List<CandidateRow> candidates,          // tiered candidates, best first (bounded)
    List<CandidateRow> protectedTouched,    // protected_review and counter_speech accounts
    Map<String, Long> reportsByCredibility, // credibility band -> reports
    boolean modelPresent) {

  public record DayPoint(String ds, long flaggedMessages, long flaggedClusters, long candidates) {}

  public record ClusterRow(String clusterId, String campaignId, String representativeText, List<String> languages,
                           long accounts, long messages, List<String> knownRefs, double score,
                           List<String> reasons) {}

  public record CandidateRow(String accountId, String handle, int rank, String tier, String status, double score,
                             String role, List<String> reasons, List<String> clusterIds,
                             List<String> sampleMessageIds) {}
}
