package nightwatch.generate;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One synthetic day: the three input datasets in contract columns, the reference tables (keys
 * known_propaganda, trusted_flaggers, protected_accounts, suspensions, review_decisions, known_media) and the ground
 * truth, which the nightly job must never read.
 *
 * <p>truthMessages: message_id, truth_cluster (planted near-duplicate group of the text, e.g.
 * "camp07/s2/ar", "viral013", "bgrt/&lt;message_id&gt;", "mcap/en/2" for a media campaign caption; null for unique
 * texts and for link campaign posts; never a grouping by link or image), kind (background | viral | propaganda |
 * counter_speech | news | research | evader | link_campaign | media_campaign), campaign_id (set only on messages
 * posted for a text campaign, i.e. kind propaganda or evader), link_campaign (the planted link campaign a post belongs
 * to, e.g. "link-2026-11-20-3"), organic_link (the news link an ordinary post shares, e.g. "news-2026-11-20-1"),
 * media_campaign (the planted media campaign whose image a post carries, e.g. "media-2026-11-20-0"), organic_media
 * (the meme an ordinary post re-posts, e.g. "meme-2026-11-20-1").
 *
 * <p>truthAccounts: account_id, role, campaign_id, evades_account_id.
 */
public record GeneratedDay(Dataset<Row> messages, Dataset<Row> accounts, Dataset<Row> reports,
                           Map<String, Dataset<Row>> reference,
                           Dataset<Row> truthMessages, Dataset<Row> truthAccounts) {}
