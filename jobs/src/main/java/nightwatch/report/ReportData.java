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
    List<DayPoint> history,                 // days with data among the last 14 (today and 13 earlier), oldest first
    List<ClusterRow> topClusters,           // highest propaganda score first
    List<CandidateRow> candidates,          // tiered candidates, best first (bounded)
    List<CandidateRow> protectedTouched,    // protected_review and counter_speech accounts
    Map<String, Long> reportsByCredibility, // credibility band -> reports
    boolean modelPresent,
    Map<String, Baseline> baselines,        // headline metric -> its earlier days; absent when none had it
    List<ReviewRow> reviewOutcomes,         // earlier lists (up to 14 days) per tier, oldest first
    List<CampaignDay> campaignDays) {       // days with campaigns among the last 14, oldest first

  /** flaggedMessages = messages in flagged campaigns; candidates = accounts in tiers T1..T3. */
  public record DayPoint(String ds, long flaggedMessages, long flaggedClusters, long candidates) {}

  /**
   * A headline metric on earlier days: the latest earlier day with data (prevDs, the same for every metric) and
   * the value there (null when unknown that day), and the median over up to 7 earlier days (days of them).
   */
  public record Baseline(String prevDs, Long prev, Double median, long days) {}

  /** Reviewer decisions on one earlier day's list and tier; precision = confirmed / decided, null if none. */
  public record ReviewRow(String ds, String tier, long candidates, long decided, long confirmed, long dismissed,
                          Double precision) {}

  public record CampaignDay(String ds, long newCampaigns, long growing, long returned, long campaigns) {}

  /** @param kind text or link; @param link a link cluster's canonical link (null for text) */
  public record ClusterRow(String clusterId, String campaignId, String kind, String link, String representativeText,
                           List<String> languages, long accounts, long messages, List<String> knownRefs, double score,
                           List<String> reasons) {}

  public record CandidateRow(String accountId, String handle, int rank, String tier, String status, double score,
                             String role, List<String> reasons, List<String> clusterIds,
                             List<String> sampleMessageIds) {}
}
