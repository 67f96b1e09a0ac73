package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.ReferenceSnapshot;
import nightwatch.io.Warehouse;
import nightwatch.job.DayClustering.Clustered;
import nightwatch.job.DayReader.DayInputs;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.schema.Tables;
import nightwatch.stages.classify.ModelSignals;
import nightwatch.stages.cluster.ClusterStats;
import nightwatch.stages.evasion.BanEvasionLinker;
import nightwatch.stages.cluster.ClusterBuilder;
import nightwatch.stages.known.KnownLinkMatcher;
import nightwatch.stages.known.KnownMediaMatcher;
import nightwatch.stages.known.KnownPropagandaMatcher;
import nightwatch.stages.links.CoLinkClusters;
import nightwatch.stages.lsh.Banding;
import nightwatch.stages.media.MediaClusters;
import nightwatch.stages.scoring.CandidateScorer;
import nightwatch.stages.scoring.ClusterScorer;
import nightwatch.stages.scoring.ProtectiveBehaviour;
import nightwatch.stages.scoring.ReportWeighting;
import nightwatch.stages.scoring.ReporterPrecision;
import nightwatch.stages.stance.OwnWords;
import nightwatch.stages.stance.StanceModel;
import nightwatch.stages.text.Normalizer;
import nightwatch.stages.text.Shingler;
import nightwatch.stages.trends.CampaignLinker;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The scoring steps of a night, each a timed stage: clusters (known propaganda, coordination, weighted reports, the
 * classifier), campaigns (flagged clusters linked to earlier days), ban evasion, and the accounts' candidacy.
 */
final class DayScoring {
  /** Up to this many suspended accounts in the look-back, their handle keys are broadcast to the young accounts. */
  static final long SUSPENDED_BROADCAST_MAX = 100_000;

  private final NightwatchConfig cfg;
  private final Warehouse wh;
  private final Pseudonymizer pseudo;
  private final ReferenceSnapshot refs;
  private final Run run;

  DayScoring(NightwatchConfig cfg, Warehouse wh, Pseudonymizer pseudo, ReferenceSnapshot refs, Run run) {
    this.cfg = cfg;
    this.wh = wh;
    this.pseudo = pseudo;
    this.refs = refs;
    this.run = run;
  }

  /**
   * @param scored       one row per cluster of the day with its scores and {@code flagged}
   * @param perTarget    weighted reports per reported account
   * @param weighted     each report with its reporter's pseudonym, band and weight (report_log's rows)
   * @param clusterSigned the signatures of the clustered texts only
   * @param precision    each reporter's record (ReporterPrecision)
   */
  record ClusterScores(Dataset<Row> scored, Dataset<Row> perTarget, Dataset<Row> weighted, Dataset<Row> clusterSigned,
                       Dataset<Row> precision) {}

  /** @param links cluster_id to campaign_id; @param repBands each flagged cluster's representative band keys */
  record Campaigns(Dataset<Row> links, Dataset<Row> repBands, Dataset<Row> clustersOut) {}

  ClusterScores scoreClusters(DayInputs day, Dataset<Row> accounts, Clustered c, ModelSignals model) {
    return run.timer().stage("scoring_clusters", () -> {
      Intermediates kept = run.kept();
      int minChars = cfg.text().minChars();
      Dataset<Row> known = kept.keep(Normalizer.apply(refs.read(Tables.KNOWN_PROPAGANDA)));
      Dataset<Row> matchable = KnownPropagandaMatcher.matchable(known, minChars);
      run.counts().put("known_propaganda_unmatchable", known.count() - matchable.count());
      Dataset<Row> refSigned = kept.keep(c.signer().sign(Shingler.apply(matchable, cfg.text()))
          .select(col("ref_id"), col("label"), col("sig"), col("sh")));
      Dataset<Row> refBands = Banding.bandKeys(refSigned.withColumnRenamed("ref_id", "doc_id"), c.lsh())
          .withColumnRenamed("doc_id", "ref_id");
      NightwatchConfig.Media media = cfg.cluster().media();
      Dataset<Row> clusterDocs = c.clustered().select("cluster_id", "doc_id").distinct();
      // Kept by one scan of all signatures: the known-propaganda match and the campaigns read only these.
      Dataset<Row> clusterSigned = kept.keep(c.signed().join(clusterDocs.select("doc_id").distinct(), "doc_id",
          "left_semi"));
      Dataset<Row> clusterKnown = KnownPropagandaMatcher.match(Banding.bandKeys(clusterSigned, c.lsh()), clusterSigned,
          refSigned, refBands, cfg.lsh().threshold() - cfg.lsh().verifySlack(), cfg.lsh().threshold())
          .join(clusterDocs, "doc_id").select("cluster_id", "ref_id", "label")
          .unionByName(KnownLinkMatcher.match(c.clustered().filter(col("link").isNotNull())
              .select("cluster_id", "link").distinct(), refs.read(Tables.KNOWN_LINKS)))
          .unionByName(KnownMediaMatcher.match(c.mediaItems(), refs.read(Tables.KNOWN_MEDIA), media.maxDistance(),
              media.bands(), media.bitsPerBand()));
      NightwatchConfig.Scoring sc = cfg.scoring();
      Dataset<Row> stats = ClusterStats.compute(c.clustered(), accounts, refs.read(Tables.SUSPENSIONS), run.ds(),
          sc.youngAccountDays(), sc.coordinationWindowShortSeconds(), sc.coordinationWindowLongSeconds(),
          sc.creationWindowSeconds());
      // Reviewer outcomes on earlier reports set each reporter's precision (pseudonyms only).
      Dataset<Row> precision = kept.keep(ReporterPrecision.compute(wh.read(Tables.REPORT_LOG), refs.read(Tables.REVIEW_DECISIONS),
          run.ds(), sc.reports()));
      Dataset<Row> weighted = kept.keep(ReportWeighting.weigh(day.reports(), accounts,
          refs.read(Tables.TRUSTED_FLAGGERS), precision, pseudo, run.ds(), sc));
      Dataset<Row> perTarget = kept.keep(ReportWeighting.perTarget(weighted, sc.reports()));
      run.counts().put("review_decisions", refs.read(Tables.REVIEW_DECISIONS).count());
      run.counts().put("reports_with_reporter_history", weighted.filter(col("history_precision").isNotNull()).count());
      Dataset<Row> scored = kept.keep(ClusterScorer.score(stats, clusterKnown,
          ReportWeighting.perCluster(c.clustered(), perTarget), model, sc));
      run.counts().put("flagged_clusters", scored.filter(col("flagged")).count());
      for (Row b : weighted.groupBy("band").count().collectAsList()) {
        run.counts().put("reports_band_" + b.getString(0), b.getLong(1));
      }
      return new ClusterScores(scored, perTarget, weighted, clusterSigned, precision);
    });
  }

  /** Links the flagged clusters to earlier days' campaigns through the band index. */
  Campaigns linkCampaigns(Clustered c, ClusterScores s) {
    return run.timer().stage("campaigns", () -> {
      Column isLink = col("kind").equalTo(CoLinkClusters.KIND);
      Column isMedia = col("kind").equalTo(MediaClusters.KIND);
      Dataset<Row> flaggedIds = s.scored().filter(col("flagged").and(col("kind").equalTo(ClusterBuilder.TEXT)))
          .select("cluster_id");
      // A link cluster's one key is its link's (its component): the same link on a later day joins its campaign. A
      // media cluster's are its PDQs' bands (or its md5s' hashes), as a text cluster's are its texts'.
      Dataset<Row> linkBands = c.clustered().filter(isLink).select(col("cluster_id"), col("component").as("band_key"))
          .distinct().join(s.scored().filter(col("flagged").and(isLink)).select("cluster_id"), "cluster_id")
          .unionByName(c.mediaItems().select(col("cluster_id"), explode(coalesce(col("band_keys"),
              array(xxhash64(lit(MediaClusters.KIND), col("md5"))))).as("band_key"))
              .join(s.scored().filter(col("flagged").and(isMedia)).select("cluster_id"), "cluster_id").distinct());
      Dataset<Row> docCounts = c.clustered().join(flaggedIds, "cluster_id").groupBy("cluster_id", "doc_id").count();
      Dataset<Row> docBands = run.kept().keep(Banding.bandKeys(s.clusterSigned().join(
          docCounts.select("doc_id").distinct(), "doc_id", "left_semi"), c.lsh()));
      Dataset<Row> clusterBands = docCounts.select("cluster_id", "doc_id").join(docBands, "doc_id")
          .select("cluster_id", "band_key").unionByName(linkBands);
      // The representative text of a cluster: its most copied text (ties: smallest id).
      Dataset<Row> repBands = docCounts.groupBy("cluster_id")
          .agg(max_by(col("doc_id"), struct(col("count"), negate(col("doc_id")))).as("doc_id"))
          .join(docBands, "doc_id").select("cluster_id", "band_key").unionByName(linkBands);
      Dataset<Row> links = run.kept().keep(CampaignLinker.link(clusterBands, wh.read(Tables.CAMPAIGNS)));
      Dataset<Row> clustersOut = s.scored().join(links, "cluster_id", "left")
          .withColumn("ds", lit(run.day()).cast("date"));
      return new Campaigns(links, repBands, clustersOut);
    });
  }

  /** Young accounts linked to suspended ones (handles, profiles, shared campaigns), with their evidence. */
  Dataset<Row> banEvasion(Dataset<Row> accounts, Clustered c, Campaigns camp) {
    return run.timer().stage("ban_evasion", () -> {
      NightwatchConfig.Evasion ev = cfg.scoring().evasion();
      Intermediates kept = run.kept();
      // Read once: the linker reads the suspensions and the young and suspended accounts several times each.
      Dataset<Row> suspensions = kept.keep(refs.read(Tables.SUSPENSIONS));
      Dataset<Row> active = BanEvasionLinker.activeSuspensions(suspensions, run.ds(), ev);
      Dataset<Row> relevant = kept.keep(BanEvasionLinker.relevantAccounts(accounts, active, run.ds(), ev));
      // Kept: the linker reads it twice (the accounts in a campaign today, and the campaigns they share).
      Dataset<Row> today = kept.keep(c.clustered().join(camp.links().filter(col("campaign_id").isNotNull()),
          "cluster_id").select("account_id", "campaign_id").distinct());
      Dataset<Row> before = campaignMembers(wh, run.ds().minusDays(ev.lookbackDays()), run.ds().minusDays(1),
          active.select("account_id")).distinct();
      boolean fewSuspended = active.count() <= SUSPENDED_BROADCAST_MAX;
      return kept.keepCounted(BanEvasionLinker.link(relevant, suspensions, today, before, run.ds(), ev, fewSuspended),
          "ban_evasion_links", run.counts());
    });
  }

  /** The day's suspension candidates: one row per account touching a flagged cluster, with tier and reasons. */
  Dataset<Row> candidates(DayInputs day, Dataset<Row> accounts, Clustered c, ClusterScores s, Dataset<Row> evasion,
                          ModelSignals model, StanceModel.Loaded stance) {
    return run.timer().stage("scoring_accounts", () -> {
      NightwatchConfig.Scoring sc = cfg.scoring();
      Dataset<Row> touching = c.clustered().join(s.scored().filter(col("flagged")).select("cluster_id"), "cluster_id")
          .select("account_id");
      // Own words and stance of the touching accounts' messages, annotated once: behaviour and evidence both read them.
      Dataset<Row> ownWords = run.kept().keep(StanceModel.apply(OwnWords.annotate(
          day.messages().join(touching.distinct(), "account_id", "left_semi"), sc.safeguards()), stance)
          .select("message_id", "account_id", "quote_own", "responds", "stance"));
      Dataset<Row> behaviour = run.kept().keepCounted(ProtectiveBehaviour.of(touching, ownWords,
          day.reports(), accounts, s.precision(), pseudo, run.ds(), sc), "protected_by_behaviour", run.counts());
      Dataset<Row> protectedAccounts = ProtectiveBehaviour.withListed(refs.read(Tables.PROTECTED_ACCOUNTS), behaviour);
      return run.kept().keepCounted(CandidateScorer.score(c.clustered(), ownWords, s.scored(), s.perTarget(), accounts,
          protectedAccounts, evasion, model, run.ds(), sc), "candidates", run.counts());
    });
  }

  /**
   * (account_id, campaign_id) of every message in a campaign's cluster on the days from {@code from} to {@code to},
   * read for the accounts in {@code onlyAccounts} (account_id) when given, before the join with the clusters.
   */
  static Dataset<Row> campaignMembers(Warehouse wh, LocalDate from, LocalDate to, Dataset<Row> onlyAccounts) {
    Dataset<Row> messages = wh.read(Tables.MESSAGE_CLUSTERS)
        .filter(col("ds").between(lit(from.toString()).cast("date"), lit(to.toString()).cast("date")));
    if (onlyAccounts != null) {
      messages = messages.join(onlyAccounts, "account_id", "left_semi");
    }
    return messages.select("ds", "cluster_id", "account_id")
        .join(wh.read(Tables.CLUSTERS).filter(col("campaign_id").isNotNull()).select("ds", "cluster_id", "campaign_id"),
            new String[] {"ds", "cluster_id"})
        .select("account_id", "campaign_id");
  }
}
