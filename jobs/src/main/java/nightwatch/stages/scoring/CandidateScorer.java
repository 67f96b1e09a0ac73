package nightwatch.stages.scoring;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.Set;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.classify.ModelSignals;
import nightwatch.stages.stance.OwnWords;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Scores accounts for human review from their part in flagged clusters and the credible reports against
 * them, and applies the safeguards: protected accounts get status protected_review and never a tier;
 * accounts that quote or reply to propaganda while condemning it get status counter_speech; brigade
 * reports weigh nothing, so a brigade alone never puts an account in a tier.
 */
public final class CandidateScorer {
  private CandidateScorer() {}

  /**
   * @param clustered      clustered messages (cluster_id, message_id, account_id, created_at, text, quote_of, reply_to,
   *                       retweet_of)
   * @param clusters       ClusterScorer output (cluster_id, propaganda_score, flagged, reasons, known_refs)
   * @param reportsByTarget ReportWeighting.perTarget output
   * @param accounts       account_id, handle, created_at
   * @param protectedAccounts account_id, category (listed, or by behaviour: ProtectiveBehaviour)
   */
  public static Dataset<Row> score(Dataset<Row> clustered, Dataset<Row> clusters, Dataset<Row> reportsByTarget,
                                   Dataset<Row> accounts, Dataset<Row> protectedAccounts, LocalDate ds,
                                   NightwatchConfig.Scoring s) {
    return score(clustered, clusters, reportsByTarget, accounts, protectedAccounts, null, null, ds, s);
  }

  /** Own words annotated here, from the clustered messages' text (OwnWords, no stance model). */
  private static Dataset<Row> score(Dataset<Row> clustered, Dataset<Row> clusters, Dataset<Row> reportsByTarget,
                                    Dataset<Row> accounts, Dataset<Row> protectedAccounts, Dataset<Row> evasion,
                                    ModelSignals model, LocalDate ds, NightwatchConfig.Scoring s) {
    return score(clustered, OwnWords.annotate(clustered, s.safeguards()), clusters, reportsByTarget, accounts,
        protectedAccounts, evasion, model, ds, s);
  }

  /** With ban-evasion links and no classifier. */
  public static Dataset<Row> score(Dataset<Row> clustered, Dataset<Row> clusters, Dataset<Row> reportsByTarget,
                                   Dataset<Row> accounts, Dataset<Row> protectedAccounts, Dataset<Row> evasion,
                                   LocalDate ds, NightwatchConfig.Scoring s) {
    return score(clustered, clusters, reportsByTarget, accounts, protectedAccounts, evasion, null, ds, s);
  }

  /** With the classifier and no ban-evasion links. */
  public static Dataset<Row> score(Dataset<Row> clustered, Dataset<Row> clusters, Dataset<Row> reportsByTarget,
                                   Dataset<Row> accounts, Dataset<Row> protectedAccounts, ModelSignals model,
                                   LocalDate ds, NightwatchConfig.Scoring s) {
    return score(clustered, clusters, reportsByTarget, accounts, protectedAccounts, null, model, ds, s);
  }

  /**
   * As above, plus the classifier when {@code model} is not null: an account whose own messages the model
   * scores at or above its threshold gets the CLASSIFIER reason and a score term, also outside clusters.
   *
   * @param ownWords message_id, quote_own, stance of (at least) the clustered messages: OwnWords, StanceModel
   * @param evasion BanEvasionLinker output (account_id, evasion_links, evasion_score), or null
   */
  public static Dataset<Row> score(Dataset<Row> clustered, Dataset<Row> ownWords, Dataset<Row> clusters,
                                   Dataset<Row> reportsByTarget, Dataset<Row> accounts, Dataset<Row> protectedAccounts,
                                   Dataset<Row> evasion, ModelSignals model, LocalDate ds, NightwatchConfig.Scoring s) {
    Dataset<Row> flagged = clusters.filter(col("flagged"))
        .select(col("cluster_id"), col("propaganda_score").as("_cscore"), col("reasons").as("_creasons"),
            col("known_refs").as("_crefs"));
    Dataset<Row> all = clusterEvidence(clustered, flagged, ownWords)
        .join(withPrecisionColumns(reportsByTarget), "account_id", "full_outer")
        .join(retweetedAuthors(clustered, flagged), "account_id", "left")
        .join(evasion != null ? evasion : noEvasion(clustered), "account_id", "full_outer")
        .join(modelEvidence(clustered, model), "account_id", "full_outer")
        .join(accounts.select(col("account_id"), col("handle"), col("created_at").as("_acct_created")),
            "account_id", "left")
        .join(protectedAccounts.select(col("account_id"), col("category").as("_protected")), "account_id", "left")
        .na().fill(0L, new String[] {"flagged_messages", "_quotes", "reports_raw", "brigade_reports", "reports_low_precision",
            "model_messages", "model_validated_messages"})
        .na().fill(0.0, new String[] {"reports_weighted", "_max_cluster_score", "_stance_share", "evasion_score",
            "model_score", "model_share", "model_validated_share"});

    ModelSignals.Consistent cons = model == null ? new ModelSignals.Consistent(Long.MAX_VALUE, 1.0, 0.0, Set.of())
        : model.consistent();
    Column consistent = col("model_validated_messages").geq(cons.messages())
        .and(col("model_validated_share").geq(cons.share()));
    Column counterSpeech = col("flagged_messages").gt(0).and(col("_stance_share").geq(s.counterSpeechShare()));
    Column status = when(col("_protected").isNotNull(), lit("protected_review"))
        .when(counterSpeech, lit("counter_speech"))
        .otherwise(lit("candidate"));
    Column tier = when(col("status").notEqual("candidate"), lit(null).cast("string"))
        .when(col("score").geq(s.tierT1()), lit("T1"))
        .when(col("score").geq(s.tierT2()), lit("T2"))
        .when(col("score").geq(s.tierT3()), lit("T3"));
    Column role = when(col("flagged_messages").equalTo(0), lit(null).cast("string"))
        .when(col("_own_flagged").equalTo(0), lit("quoter"))
        .when(col("_first_pos").leq(s.originatorsPerCluster()).or(coalesce(col("_retweeted_by"), lit(0L)).gt(0)),
            lit("originator"))
        .otherwise(lit("amplifier"));
    Dataset<Row> scored = all
        .withColumn("account_age_days", datediff(lit(ds.plusDays(1).toString()).cast("date"), col("_acct_created")))
        .withColumn("_own_flagged", col("flagged_messages").minus(col("_quotes")))
        .withColumn("_cluster_evidence", clusterEvidenceCounts(s.safeguards()))
        .withColumn("score", scoreColumn(s, model, cons, consistent))
        .withColumn("status", status)
        .withColumn("tier", tier)
        .withColumn("role", role)
        .withColumn("reasons", reasons(s, consistent, counterSpeech))
        .withColumn("sample_message_ids", coalesce(col("sample_message_ids"), col("model_sample_ids")))
        // Rows for review: tiered candidates, and protected or counter-speech accounts that touched propaganda.
        .filter(col("tier").isNotNull().or(col("status").notEqual("candidate").and(col("flagged_messages").gt(0))));
    return scored
        .withColumn("rank", row_number().over(Window.orderBy(col("score").desc(), col("account_id"))))
        .withColumn("ds", lit(ds.toString()).cast("date"));
  }

  /**
   * Per account, its messages in flagged clusters: how many, how many are quotes with words of its own (OwnWords),
   * the clusters, samples, reasons, position, and the share whose own words condemn what they quote or answer.
   */
  private static Dataset<Row> clusterEvidence(Dataset<Row> clustered, Dataset<Row> flagged, Dataset<Row> ownWords) {
    Column order = rank().over(Window.partitionBy("cluster_id").orderBy(col("created_at"), col("message_id")));
    // A message in a flagged text cluster and a flagged link cluster counts once: first per message, then per account
    // (both grouped within one partitioning by account).
    Dataset<Row> perMessage = clustered.select("cluster_id", "message_id", "account_id", "created_at")
        .join(flagged, "cluster_id")
        .join(ownWords.select("message_id", "quote_own", "stance"), "message_id")
        .withColumn("_pos", order)
        .repartition(col("account_id"))
        .groupBy("account_id", "message_id").agg(
            first("quote_own").as("quote_own"),
            first("stance").as("stance"),
            max("_cscore").as("_cscore"),
            collect_set("cluster_id").as("_clusters"),
            flatten(collect_list(coalesce(col("_crefs"), array().cast("array<string>")))).as("_crefs"),
            flatten(collect_list(col("_creasons"))).as("_creasons"),
            min("_pos").as("_pos"));
    return perMessage
        .groupBy("account_id").agg(
            count(lit(1)).as("flagged_messages"),
            sum(when(col("quote_own"), 1L).otherwise(0L)).as("_quotes"),
            max("_cscore").as("_max_cluster_score"),
            sort_array(array_distinct(flatten(collect_list("_clusters")))).as("cluster_ids"),
            slice(sort_array(collect_list("message_id")), 1, 5).as("sample_message_ids"),
            array_distinct(flatten(collect_list(col("_crefs")))).as("known_refs"),
            array_distinct(flatten(collect_list(col("_creasons")))).as("_cluster_reasons"),
            min("_pos").as("_first_pos"),
            avg(when(col("stance"), 1.0).otherwise(0.0)).as("_stance_share"));
  }

  /**
   * Authors of messages that other accounts of a flagged cluster retweet are originators wherever they posted in
   * the day's order: campaigns post in several bursts, each seeded by its originators.
   */
  private static Dataset<Row> retweetedAuthors(Dataset<Row> clustered, Dataset<Row> flagged) {
    if (!java.util.Arrays.asList(clustered.columns()).contains("retweet_of")) {
      return clustered.sparkSession().createDataFrame(java.util.List.of(),
          org.apache.spark.sql.types.StructType.fromDDL("account_id string, _retweeted_by bigint"));
    }
    return clustered.join(flagged.select("cluster_id"), "cluster_id")
        .filter(col("retweet_of").isNotNull())
        .select(col("retweet_of").as("message_id"), col("account_id").as("_retweeter"))
        .join(clustered.select("message_id", "account_id"), "message_id")
        .filter(col("_retweeter").notEqual(col("account_id")))
        .groupBy("account_id").agg(countDistinct("_retweeter").as("_retweeted_by"));
  }

  private static Dataset<Row> modelEvidence(Dataset<Row> clustered, ModelSignals model) {
    return model != null ? model.accounts() : clustered.sparkSession().emptyDataFrame()
        .select(lit(null).cast("string").as("account_id"), lit(0L).as("model_messages"),
            lit(0.0).as("model_score"), lit(0.0).as("model_share"), lit(0L).as("model_validated_messages"),
            lit(0.0).as("model_validated_share"), array().cast("array<string>").as("model_sample_ids"));
  }

  private static Dataset<Row> noEvasion(Dataset<Row> clustered) {
    return clustered.sparkSession().createDataFrame(java.util.List.of(), org.apache.spark.sql.types.StructType
        .fromDDL("account_id string, evasion_links array<" + nightwatch.stages.evasion.BanEvasionLinker.LINK_DDL
            + ">, evasion_score double"));
  }

  private static Dataset<Row> withPrecisionColumns(Dataset<Row> reportsByTarget) {
    if (java.util.Arrays.asList(reportsByTarget.columns()).contains("reporter_precision")) {
      return reportsByTarget;
    }
    return reportsByTarget.withColumn("reporter_precision", lit(null).cast("double"))
        .withColumn("reports_low_precision", lit(0L));
  }

  /**
   * Whether the account's messages in flagged clusters count as evidence: only its own words (a quote with words of
   * its own is not), and for an account a brigade reported, at least brigade-target-min-messages of them.
   */
  private static Column clusterEvidenceCounts(NightwatchConfig.Safeguards g) {
    return col("_own_flagged").geq(when(col("brigade_reports").gt(0), lit(g.brigadeTargetMinMessages())).otherwise(lit(1)));
  }

  /** The account's score: one minus the product of what each independent signal leaves unexplained. */
  private static Column scoreColumn(NightwatchConfig.Scoring s, ModelSignals model, ModelSignals.Consistent cons,
                              Column consistent) {
    NightwatchConfig.Reports rp = s.reports();
    Column clusterPart = when(col("_cluster_evidence"), col("_max_cluster_score").multiply(
        least(lit(1.0), lit(0.7).plus(col("_own_flagged").multiply(0.1))))).otherwise(lit(0.0));
    Column reportPart = least(lit(1.0), col("reports_weighted").divide(rp.fullStrength())).multiply(0.6);
    // A young account pushing flagged content is more likely a campaign account than a bystander.
    Column youngPart = when(col("_cluster_evidence").and(col("account_age_days").lt(s.youngAccountDays())),
        lit(0.3)).otherwise(lit(0.0));
    // The model's part grows with the number of the account's messages above the threshold and shrinks when they
    // are a small part of its day (commentators post about many things). Alone it gives the watch tier at most,
    // unless the model flags the account consistently: then it is at least the consistent weight (T2 alone).
    double modelWeight = model == null ? 0.0 : model.accountWeight();
    Column modelPart = col("model_score").multiply(least(lit(1.0), lit(0.5).plus(col("model_messages").multiply(0.15))))
        .multiply(least(lit(1.0), col("model_share").divide(cons.share()))).multiply(modelWeight);
    modelPart = when(consistent, greatest(modelPart, lit(cons.weight()))).otherwise(modelPart);
    // A link to a suspended account is a signal of its own (ban evasion), weighted by the link's strength.
    Column evasionPart = col("evasion_score").multiply(s.evasion().scoreWeight());
    return lit(1.0).minus(lit(1.0).minus(clusterPart).multiply(lit(1.0).minus(reportPart))
        .multiply(lit(1.0).minus(youngPart)).multiply(lit(1.0).minus(modelPart))
        .multiply(lit(1.0).minus(evasionPart)));
  }

  private static Column reasons(NightwatchConfig.Scoring s, Column consistent, Column counterSpeech) {
    return array_distinct(concat(
        coalesce(col("_cluster_reasons"), array().cast("array<string>")),
        array_compact(array(
            when(col("flagged_messages").gt(0), lit("FLAGGED_CLUSTER")),
            when(col("flagged_messages").gt(0).and(col("_own_flagged").equalTo(0)), lit("QUOTES_ONLY")),
            when(col("model_messages").gt(0), lit("CLASSIFIER")),
            when(col("model_messages").gt(0).and(consistent), lit("CLASSIFIER_CONSISTENT")),
            when(col("reports_weighted").geq(1.0), lit("REPORTED_CREDIBLE")),
            when(col("brigade_reports").gt(0), lit("BRIGADE_TARGET")),
            when(col("reports_low_precision").gt(0), lit("LOW_PRECISION_REPORTERS")),
            when(col("evasion_score").gt(0), lit("BAN_EVASION")),
            when(col("account_age_days").lt(s.youngAccountDays()), lit("YOUNG_ACCOUNT")),
            when(col("_protected").isNotNull(), concat(lit("PROTECTED_"), upper(col("_protected")))),
            when(counterSpeech, lit("COUNTER_SPEECH"))))));
  }
}
