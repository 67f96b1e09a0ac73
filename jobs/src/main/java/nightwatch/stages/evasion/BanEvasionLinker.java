package nightwatch.stages.evasion;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Links young accounts to suspended (not reinstated) accounts they may be evading a ban with.
 *
 * <p>Candidates: MinHash over character n-grams of a folded handle (lower case, look-alike digits mapped
 * back to letters, trailing digits and separators dropped, doubled letters collapsed), banded (b bands of r
 * rows) and joined by band key, plus the folded handle itself as one more key: never a cross join of all
 * accounts. Each candidate pair is then verified (with Spark built-ins, or in {@link HandleCandidates} with the same
 * results when the suspended accounts are few): handle similarity (Levenshtein),
 * display name similarity (Levenshtein), description similarity (word Jaccard), and text overlap (the
 * young account posts today in a campaign the suspended account posted in before). The young account must
 * have been created after the suspension. A link needs a similar handle and one more signal; each young
 * account keeps its best links (up to 3), with the evidence.
 */
public final class BanEvasionLinker {
  private BanEvasionLinker() {}

  public static final int MAX_LINKS = 3;
  /** Type of one link, as in schemas/suspension_candidates.json (evasion_links). */
  public static final String LINK_DDL = "struct<suspended_account_id:string,suspended_handle:string,"
      + "suspended_at:timestamp,handle_similarity:double,name_similarity:double,description_similarity:double,"
      + "text_overlap:boolean,shared_campaigns:array<string>,link_score:double>";

  /**
   * @param accounts       today's snapshot: account_id, handle, display_name, description, created_at
   *                       (suspended accounts included, as the snapshot holds them)
   * @param suspensions    account_id, suspended_at, reinstated_at
   * @param campaignsToday account_id, campaign_id: campaigns the account posted in today (may be empty)
   * @param campaignsBefore account_id, campaign_id: campaigns accounts posted in on earlier days (may be empty)
   * @return one row per linked young account: account_id, evasion_links (array of structs, best first),
   *         evasion_score (best link score)
   */
  public static Dataset<Row> link(Dataset<Row> accounts, Dataset<Row> suspensions, Dataset<Row> campaignsToday,
                                  Dataset<Row> campaignsBefore, LocalDate ds, NightwatchConfig.Evasion e) {
    return link(accounts, suspensions, campaignsToday, campaignsBefore, ds, e, false);
  }

  /**
   * As above; with {@code broadcastSuspended} the suspended accounts' handle keys go to every task as one index,
   * and each young account's candidate pairs are found and made distinct in its own task ({@link HandleCandidates}):
   * no pair is shuffled. Only for a number of suspended accounts known to be small: their keys are read to the
   * driver when this method is called.
   */
  public static Dataset<Row> link(Dataset<Row> accounts, Dataset<Row> suspensions, Dataset<Row> campaignsToday,
                                  Dataset<Row> campaignsBefore, LocalDate ds, NightwatchConfig.Evasion e,
                                  boolean broadcastSuspended) {
    Dataset<Row> susp = activeSuspensions(suspensions, ds, e);
    // The per-account forms that the pair comparisons need (lower case, look-alike digits read as letters,
    // description words) are computed once per account here, not once per candidate pair: there are many more
    // pairs than accounts, and a pair-level regex pass would dominate the stage.
    Dataset<Row> old = accounts.join(susp, "account_id")
        .select(col("account_id").as("s_id"), col("handle").as("s_handle"), lower(col("handle")).as("s_lh"),
            unleet(col("handle")).as("s_uh"), lower(col("display_name")).as("s_ln"), words(col("description")).as("s_w"),
            col("suspended_at"));
    Dataset<Row> young = accounts
        .filter(young(ds, e))
        .join(susp.select("account_id"), "account_id", "left_anti")
        .select(col("account_id").as("n_id"), col("handle").as("n_handle"), lower(col("handle")).as("n_lh"),
            unleet(col("handle")).as("n_uh"), lower(col("display_name")).as("n_ln"), words(col("description")).as("n_w"),
            col("created_at").as("n_created"));

    double maxLenGap = HandleCandidates.gap(e.minHandleSimilarity());
    Dataset<Row> shared = campaignsToday.select(col("account_id").as("n_id"), col("campaign_id"))
        .join(campaignsBefore.select(col("account_id").as("s_id"), col("campaign_id")), "campaign_id")
        .groupBy("n_id", "s_id").agg(sort_array(collect_set("campaign_id")).as("shared_campaigns"));
    // Pairs with a similar handle and their rounded similarities (n_id, s_id, handle_similarity, name_similarity,
    // description_similarity, s_handle, suspended_at).
    Dataset<Row> similar;
    if (broadcastSuspended) {
      // Scored in the young accounts' tasks; only the pairs that can be links leave them. An account in no campaign
      // cannot share one, so a pair needs a name or description signal unless both accounts were in some campaign.
      similar = HandleCandidates.find(
              keyArrays(young.withColumn("n_created_us", unix_micros(col("n_created")))
                  .join(inCampaigns(campaignsToday, "n_id", "n_campaigns"), "n_id", "left")
                  .withColumn("n_campaigns", coalesce(col("n_campaigns"), lit(false))), "n_handle", e),
              keyArrays(old.withColumn("suspended_us", unix_micros(col("suspended_at")))
                  .join(inCampaigns(campaignsBefore, "s_id", "s_campaigns"), "s_id", "left")
                  .withColumn("s_campaigns", coalesce(col("s_campaigns"), lit(false))), "s_handle", e),
              new HandleCandidates.Thresholds(e.minHandleSimilarity(), e.minNameSimilarity(),
                  e.minDescriptionSimilarity()))
          .join(broadcast(old.select("s_id", "s_handle", "suspended_at")), "s_id");
    } else {
      Column handleSim = greatest(sim(col("n_lh"), col("s_lh")), sim(col("n_uh"), col("s_uh")));
      Column nameSim = coalesce(sim(col("n_ln"), col("s_ln")), lit(0.0));
      Column descSim = coalesce(setJaccard(col("n_w"), col("s_w")), lit(0.0));
      similar = shuffledCandidates(young, old, maxLenGap, e).join(young, "n_id").join(old, "s_id")
          .filter(similarEnough(col("n_lh"), col("s_lh"), maxLenGap, e.minHandleSimilarity())
              // Most handles have no look-alike digit: their second form is the first, so skip its comparison.
              .or(col("n_uh").notEqual(col("n_lh")).or(col("s_uh").notEqual(col("s_lh")))
                  .and(similarEnough(col("n_uh"), col("s_uh"), maxLenGap, e.minHandleSimilarity()))))
          .select(col("n_id"), col("s_id"), round(handleSim, 3).as("handle_similarity"),
              round(nameSim, 3).as("name_similarity"), round(descSim, 3).as("description_similarity"),
              col("s_handle"), col("suspended_at"));
    }
    Dataset<Row> scored = similar
        .join(shared, new String[] {"n_id", "s_id"}, "left")
        .withColumn("text_overlap", coalesce(size(col("shared_campaigns")), lit(0)).gt(0))
        .filter(col("handle_similarity").geq(e.minHandleSimilarity()).and(
            col("name_similarity").geq(e.minNameSimilarity())
                .or(col("description_similarity").geq(e.minDescriptionSimilarity()))
                .or(col("text_overlap"))))
        .withColumn("link_score", round(least(lit(1.0), col("handle_similarity").multiply(0.45)
            .plus(col("name_similarity").multiply(0.25))
            .plus(col("description_similarity").multiply(0.15))
            .plus(when(col("text_overlap"), 0.15).otherwise(0.0))), 3));
    Column link = struct(col("s_id").as("suspended_account_id"), col("s_handle").as("suspended_handle"),
        col("suspended_at"), col("handle_similarity"), col("name_similarity"), col("description_similarity"),
        col("text_overlap"), coalesce(col("shared_campaigns"), array().cast("array<string>")).as("shared_campaigns"),
        col("link_score"));
    // Best first: sort structs by (-score, suspended id), keep MAX_LINKS.
    return scored
        .groupBy(col("n_id").as("account_id"))
        .agg(sort_array(collect_list(struct(negate(col("link_score")).as("k"), col("s_id").as("k2"), link.as("l"))))
                .as("_ls"),
            max("link_score").as("evasion_score"))
        .select(col("account_id"), slice(transform(col("_ls"), x -> x.getField("l")), 1, MAX_LINKS).as("evasion_links"),
            col("evasion_score"));
  }

  /**
   * Candidate pairs (n_id, s_id) through a band join of all keys, for any number of suspended accounts. The handle
   * bands give many times more (young, suspended) rows than distinct pairs, so these rows carry only
   * fixed-width columns: a 64-bit hash of each account id (a collision can only add a candidate, as every pair is
   * checked on its real strings afterwards), the times and the handle lengths. The cheap necessary conditions run
   * before the distinct: created after the suspension, and a handle length gap that the minimum similarity allows
   * (Levenshtein, so the lengths can differ by at most 1 - min of the longer).
   */
  private static Dataset<Row> shuffledCandidates(Dataset<Row> young, Dataset<Row> old, double maxLenGap,
                                                 NightwatchConfig.Evasion e) {
    Dataset<Row> oldKeys = keys(old.select(xxhash64(col("s_id")).as("s_h"), col("s_handle"), col("suspended_at"),
        length(col("s_lh")).as("s_len")), "s_handle", e);
    Dataset<Row> youngKeys = keys(young.select(xxhash64(col("n_id")).as("n_h"), col("n_handle"), col("n_created"),
        length(col("n_lh")).as("n_len")), "n_handle", e);
    return youngKeys.join(oldKeys, "band_key")
        .filter(col("n_created").geq(col("suspended_at"))
            .and(abs(col("n_len").minus(col("s_len"))).leq(greatest(col("n_len"), col("s_len")).multiply(maxLenGap))))
        .select("n_h", "s_h").distinct()
        .join(young.select(xxhash64(col("n_id")).as("n_h"), col("n_id")), "n_h")
        .join(old.select(xxhash64(col("s_id")).as("s_h"), col("s_id")), "s_h")
        .select("n_id", "s_id");
  }

  /** {@code idCol} and {@code flagCol} (true) for each account of {@code campaigns} (account_id, campaign_id). */
  private static Dataset<Row> inCampaigns(Dataset<Row> campaigns, String idCol, String flagCol) {
    return campaigns.select(col("account_id").as(idCol)).distinct().withColumn(flagCol, lit(true));
  }

  /**
   * The suspensions that count on day {@code ds}: not reinstated, within the lookback, one row per account
   * (account_id, suspended_at: the latest).
   */
  public static Dataset<Row> activeSuspensions(Dataset<Row> suspensions, LocalDate ds, NightwatchConfig.Evasion e) {
    return suspensions
        .filter(col("reinstated_at").isNull()
            .and(col("suspended_at").geq(lit(ds.minusDays(e.lookbackDays()) + "T00:00:00Z").cast("timestamp")))
            .and(col("suspended_at").lt(dayEnd(ds))))
        .groupBy("account_id").agg(max("suspended_at").as("suspended_at"));
  }

  /**
   * The accounts {@link #link} reads: the young ones and those with an active suspension (see
   * {@link #activeSuspensions}), in one scan. {@code link} gives the same links on these as on every account;
   * a caller that keeps them spares {@code link}'s several reads a scan of the whole day's accounts each.
   */
  public static Dataset<Row> relevantAccounts(Dataset<Row> accounts, Dataset<Row> activeSuspensions, LocalDate ds,
                                              NightwatchConfig.Evasion e) {
    // One row per account already (activeSuspensions groups by account), so the join adds no rows.
    Dataset<Row> suspended = activeSuspensions.select(col("account_id"), lit(true).as("_suspended"));
    return accounts.join(suspended, "account_id", "left")
        .filter(young(ds, e).or(col("_suspended").isNotNull()))
        .drop("_suspended");
  }

  private static Column dayEnd(LocalDate ds) {
    return lit(ds.plusDays(1) + "T00:00:00Z").cast("timestamp");
  }

  private static Column young(LocalDate ds, NightwatchConfig.Evasion e) {
    return col("created_at").geq(dayEnd(ds).minus(expr("INTERVAL " + e.maxAccountAgeDays() + " DAYS")));
  }

  /**
   * The handle with look-alike digits read as letters, lower case, separators removed, trailing digits
   * dropped, letter runs collapsed: "Abu_0mar_13" and "abu_omar12" both fold to "abuomar".
   */
  public static Column fold(Column handle) {
    // Trailing numbers first ("omar12" and "omar13" must fold alike), then look-alike digits.
    Column s = regexp_replace(lower(handle), "[\\p{N}_.\\-]+$", "");
    s = regexp_replace(unleet(s), "[^\\p{L}\\p{N}]+", "");
    return regexp_replace(s, "(\\p{L})\\1+", "$1");
  }

  private static Column unleet(Column handle) {
    // Digits that stand for letters (0->o, 1->i, 3->e, 4->a, 5->s, 7->t) only when next to a letter, so
    // that account numbers ("_12") keep their meaning in the plain comparison.
    Column s = lower(handle);
    s = regexp_replace(s, "(?<=\\p{L})0|0(?=\\p{L})", "o");
    s = regexp_replace(s, "(?<=\\p{L})1|1(?=\\p{L})", "i");
    s = regexp_replace(s, "(?<=\\p{L})3|3(?=\\p{L})", "e");
    s = regexp_replace(s, "(?<=\\p{L})4|4(?=\\p{L})", "a");
    s = regexp_replace(s, "(?<=\\p{L})5|5(?=\\p{L})", "s");
    return regexp_replace(s, "(?<=\\p{L})7|7(?=\\p{L})", "t");
  }

  /** 1 - levenshtein / longer length; null when either side is null or both are empty. */
  static Column sim(Column a, Column b) {
    Column len = greatest(length(a), length(b));
    return when(a.isNull().or(b.isNull()).or(len.equalTo(0)), lit(null).cast("double"))
        .otherwise(lit(1.0).minus(levenshtein(a, b).cast("double").divide(len)));
  }

  /**
   * Whether {@link #sim} rounded to 3 places is at least {@code min}, without the full edit distance: the
   * distance is computed only up to the most edits the similarity allows ({@code maxGap} of the longer length,
   * which must be at least {@code 1 - min}), and stops as soon as it is over.
   */
  static Column similarEnough(Column a, Column b, double maxGap, double min) {
    Column len = greatest(length(a), length(b));
    Column d = call_function("levenshtein", a, b, floor(len.multiply(maxGap)).cast("int"));
    return len.gt(0).and(d.geq(0)).and(round(lit(1.0).minus(d.cast("double").divide(len)), 3).geq(min));
  }

  /** The distinct lower-case words (letters and digits) of a text; empty for null. */
  static Column words(Column text) {
    return array_distinct(filter(split(lower(coalesce(text, lit(""))), "[^\\p{L}\\p{N}]+"), w -> length(w).gt(0)));
  }

  /** Jaccard of two arrays of distinct values; null when both are empty. */
  static Column setJaccard(Column wa, Column wb) {
    Column union = size(array_union(wa, wb));
    return when(union.equalTo(0), lit(null).cast("double"))
        .otherwise(size(array_intersect(wa, wb)).cast("double").divide(union));
  }

  /**
   * Band keys of each account's folded handle: MinHash (xxhash64 with the hash-function index as a seed
   * column) over its character n-grams, b bands of r rows, plus the folded handle itself as one key. Every
   * other column of {@code accts} is kept on each key row. An account's keys are made distinct within its own
   * row (no shuffle).
   */
  static Dataset<Row> keys(Dataset<Row> accts, String handleCol, NightwatchConfig.Evasion e) {
    // Exploded in the select that computes the keys (an explode of an earlier column lets Spark infer filters
    // that compute them again).
    return withKeys(accts, handleCol, e, k -> explode(k).as("band_key"));
  }

  /** As {@link #keys}, with each account's distinct keys in one array column, band_keys (one row per account). */
  static Dataset<Row> keyArrays(Dataset<Row> accts, String handleCol, NightwatchConfig.Evasion e) {
    return withKeys(accts, handleCol, e, k -> k.as("band_keys"));
  }

  private static Dataset<Row> withKeys(Dataset<Row> accts, String handleCol, NightwatchConfig.Evasion e,
                                       java.util.function.UnaryOperator<Column> keyColumn) {
    int n = e.handleNgram();
    Column folded = fold(col(handleCol));
    Column padded = concat(lit("^"), col("_folded"), lit("$"));
    Column grams = array_distinct(transform(sequence(lit(1), greatest(lit(1), length(padded).minus(n - 1))),
        i -> substring(padded, i, lit(n))));
    List<Column> bandKeys = new ArrayList<>();
    for (int b = 0; b < e.bands(); b++) {
      List<Column> mins = new ArrayList<>();
      for (int r = 0; r < e.rows(); r++) {
        int fn = b * e.rows() + r;
        mins.add(array_min(transform(col("_grams"), g -> xxhash64(g, lit(fn)))));
      }
      mins.add(0, lit(b));
      bandKeys.add(xxhash64(mins.toArray(new Column[0])));
    }
    bandKeys.add(xxhash64(lit("folded"), col("_folded")));
    List<Column> out = new ArrayList<>();
    for (String c : accts.columns()) {
      if (!c.equals(handleCol)) {
        out.add(col(c));
      }
    }
    out.add(keyColumn.apply(array_distinct(array(bandKeys.toArray(new Column[0])))));
    return accts.filter(col(handleCol).isNotNull())
        .withColumn("_folded", folded)
        .filter(length(col("_folded")).geq(n))
        .withColumn("_grams", grams)
        .select(out.toArray(new Column[0]));
  }
}
