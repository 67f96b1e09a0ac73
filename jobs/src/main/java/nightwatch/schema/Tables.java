package nightwatch.schema;

import java.util.List;

/** Names of the warehouse tables; their columns live in {@code schemas/<name>.json}. */
public final class Tables {
  private Tables() {}

  public static final String MESSAGE_CLUSTERS = "message_clusters";
  public static final String CLUSTERS = "clusters";
  public static final String CAMPAIGNS = "campaigns";
  public static final String CAMPAIGN_TRENDS = "campaign_trends";
  public static final String HASHTAG_TRENDS = "hashtag_trends";
  public static final String SUSPENSION_CANDIDATES = "suspension_candidates";
  public static final String REJECTED_RECORDS = "rejected_records";
  public static final String JOB_RUNS = "job_runs";
  public static final String REPORT_LOG = "report_log";

  /** Registry of trained classifier versions (created by the train command). */
  public static final String MODELS = "models";

  /** The day each running nightly run holds (io.DayLock). */
  public static final String RUN_LOCKS = "run_locks";

  /** One audit row per erasure (privacy.Erasure), without the erased values. */
  public static final String ERASURES = "erasures";

  public static final String KNOWN_PROPAGANDA = "known_propaganda";
  public static final String TRUSTED_FLAGGERS = "trusted_flaggers";
  public static final String PROTECTED_ACCOUNTS = "protected_accounts";
  public static final String SUSPENSIONS = "suspensions";
  public static final String REVIEW_DECISIONS = "review_decisions";
  public static final String KNOWN_LINKS = "known_links";
  public static final String KNOWN_MEDIA = "known_media";

  public static final List<String> OUTPUTS = List.of(MESSAGE_CLUSTERS, CLUSTERS, CAMPAIGNS, CAMPAIGN_TRENDS,
      HASHTAG_TRENDS, SUSPENSION_CANDIDATES, REJECTED_RECORDS, JOB_RUNS, REPORT_LOG);
  public static final List<String> REFERENCE = List.of(KNOWN_PROPAGANDA, TRUSTED_FLAGGERS, PROTECTED_ACCOUNTS,
      SUSPENSIONS, REVIEW_DECISIONS, KNOWN_LINKS, KNOWN_MEDIA);
  /** Input datasets of a day, each a sub-folder of the input directory. */
  public static final List<String> INPUTS = List.of("messages", "accounts", "reports");

  public static TableSchema schema(String table) {
    if (REFERENCE.contains(table)) {
      return TableSchema.load("reference/" + table);
    }
    if (INPUTS.contains(table)) {
      return TableSchema.load("input/" + table);
    }
    return TableSchema.load(table);
  }
}
