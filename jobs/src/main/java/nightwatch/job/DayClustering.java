package nightwatch.job;

import static org.apache.spark.sql.functions.*;

import nightwatch.config.NightwatchConfig;
import nightwatch.stages.cluster.ClusterBuilder;
import nightwatch.stages.dedup.ExactDuplicates;
import nightwatch.stages.graph.ConnectedComponents;
import nightwatch.stages.lsh.Banding;
import nightwatch.stages.links.CoLinkClusters;
import nightwatch.stages.lsh.LshParams;
import nightwatch.stages.media.MediaClusters;
import nightwatch.stages.signature.MinHashSigner;
import nightwatch.stages.text.Shingler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The near-duplicate clustering of a day, one timed stage per step: signatures of the distinct texts, LSH bands and
 * star edges, exact verification and connected components, then the clusters of the day's messages.
 */
public final class DayClustering {
  private static final Logger LOG = LoggerFactory.getLogger(DayClustering.class);

  /** Up to this many clustered texts, or texts with a component (16 bytes each), are broadcast to the messages. */
  static final long CLUSTERED_DOCS_BROADCAST_MAX = 2_000_000;

  private DayClustering() {}

  /**
   * @param signed    doc_id, sig, sh of every distinct text, kept partitioned by doc_id
   * @param clustered the messages in a cluster of the day (text, link and media clusters: a message may be in one of
   *                  each), in the columnar cache
   * @param mediaItems cluster_id, pdq, md5, words, band_keys of the media clusters' items
   */
  record Clustered(Dataset<Row> signed, Dataset<Row> clustered, LshParams lsh, MinHashSigner signer,
                   long largestCluster, int rounds, Dataset<Row> mediaItems) {}

  /**
   * The near-duplicate components of a day's distinct texts.
   *
   * @param signed     doc_id, sig, sh of every distinct comparable text, kept partitioned by doc_id
   * @param components node (a doc_id), component: the texts with at least one verified edge
   */
  public record Components(Dataset<Row> signed, Dataset<Row> components, int rounds) {}

  /**
   * Signatures of the distinct texts, LSH bands and star edges, exact verification and connected components: the
   * one composition of the clustering steps, for the nightly job and for the tools that evaluate and benchmark it.
   *
   * @param messages message_id, doc_id, norm_text, comparable (exact duplicates share a doc_id)
   */
  public static Components components(Dataset<Row> messages, NightwatchConfig cfg, MinHashSigner signer,
                                      LshParams lsh, Run run) {
    StageTimer t = run.timer();
    Intermediates kept = run.kept();
    LOG.info("LSH parameters: {}", lsh);
    Dataset<Row> signed = t.stage("signatures", () -> {
      Dataset<Row> docs = ExactDuplicates.docs(messages);
      // Kept partitioned by doc_id: verification then shuffles only its first join's output (by dst).
      Dataset<Row> s = kept.keepPartitioned(signer.sign(Shingler.apply(docs, cfg.text())).select("doc_id", "sig", "sh"),
          "doc_id");
      run.counts().put("distinct_texts_signed", s.count());
      return s;
    });
    // Band keys are computed where they are used, never kept: materialising them costs more than hashing them again.
    Dataset<Row> candidatePairs = t.stage("banding", () -> {
      // Kept by src as the signatures are by doc_id: verification's first join shuffles neither side.
      Dataset<Row> e = Banding.keepSorted(Banding.candidateEdges(signed, lsh, cfg.lsh().pairBucketSize()), "src",
          kept.level());
      run.counts().put("candidate_edges", e.count());
      return e;
    });
    ConnectedComponents.Result comps = t.stage("components", () -> {
      Dataset<Row> edges = kept.keepCounted(Banding.verifyExact(candidatePairs, signed, cfg.lsh().threshold()),
          "verified_edges", run.counts());
      return ConnectedComponents.run(edges, cfg.cluster().maxCcRounds(), run.counts().get("verified_edges"));
    });
    return new Components(signed, comps.components(), comps.rounds());
  }

  /** Each message with its text's component, or its own doc_id when its text has no verified edge. */
  public static Dataset<Row> componentOfEachMessage(Dataset<Row> messages, Components c) {
    return messages.join(c.components().withColumnRenamed("node", "doc_id"), "doc_id", "left")
        .withColumn("component", coalesce(col("component"), col("doc_id")));
  }

  static Clustered cluster(Dataset<Row> messages, NightwatchConfig cfg, MinHashSigner signer, LshParams lsh, Run run) {
    Components comps = components(messages, cfg, signer, lsh, run);
    Assigned a = run.timer().stage("clusters", () -> assign(messages, comps.components(), cfg, run));
    Assigned links = run.timer().stage("link_clusters", () -> linkClusters(messages, cfg.cluster().links(), run));
    Media media = run.timer().stage("media_clusters", () -> mediaClusters(messages, cfg.cluster(), run));
    // A message may be in a text, a link and a media cluster: one row in each; each kind has its own columns.
    Dataset<Row> all = a.clustered().unionByName(links.clustered(), true).unionByName(media.clustered(), true);
    return new Clustered(comps.signed(), all, lsh, signer,
        Math.max(a.largest(), Math.max(links.largest(), media.largest())), comps.rounds(), media.items());
  }

  private record Media(Dataset<Row> clustered, long largest, Dataset<Row> items) {}

  /** The day's media clusters (MediaClusters), with their counts. */
  private static Media mediaClusters(Dataset<Row> messages, NightwatchConfig.Cluster cl, Run run) {
    NightwatchConfig.Media k = cl.media();
    Intermediates kept = run.kept();
    Dataset<Row> items = kept.keepCounted(MediaClusters.items(messages), "media_items", run.counts());
    Dataset<Row> hashes = kept.keepCounted(MediaClusters.hashes(items, k.bands(), k.bitsPerBand()), "media_pdq_hashes",
        run.counts());
    Dataset<Row> edges = kept.keepCounted(MediaClusters.edges(hashes, k.maxDistance()), "media_edges", run.counts());
    Dataset<Row> components = ConnectedComponents.run(edges, cl.maxCcRounds(), run.counts().get("media_edges"))
        .components();
    Dataset<Row> members = kept.keepCounted(MediaClusters.members(items, components, k.minAccounts()),
        "media_clustered_items", run.counts());
    Row sizes = members.groupBy("component").agg(countDistinct("message_id").as("n"))
        .agg(count(lit(1)), coalesce(max("n"), lit(0L))).first();
    run.counts().put("media_clusters", sizes.getLong(0));
    Dataset<Row> clustered = kept.keepColumnar(MediaClusters.assign(messages, members, run.ds(),
        run.counts().get("media_clustered_items") <= CLUSTERED_DOCS_BROADCAST_MAX));
    Dataset<Row> clusterItems = kept.keep(members
        .join(items.select("message_id", "node", "pdq", "md5"), new String[] {"message_id", "node"})
        .join(hashes.select("node", "words", "band_keys"), new String[] {"node"}, "left")
        .withColumn("cluster_id", ClusterBuilder.clusterId(run.ds()))
        .select("cluster_id", "pdq", "md5", "words", "band_keys").distinct());
    return new Media(clustered, sizes.getLong(1), clusterItems);
  }

  /** The day's co-link clusters (CoLinkClusters), with the interval and their counts. */
  private static Assigned linkClusters(Dataset<Row> messages, NightwatchConfig.Links k, Run run) {
    Intermediates kept = run.kept();
    Dataset<Row> shares = kept.keepPartitioned(CoLinkClusters.shares(messages), CoLinkClusters.LINK);
    long interval = CoLinkClusters.intervalSeconds(shares, k);
    run.counts().put("link_shares", shares.count());
    run.counts().put("link_interval_seconds", interval);
    Dataset<Row> coordinated = kept.keepCounted(CoLinkClusters.coordinated(shares, interval, k.minAccounts()),
        "link_clusters", run.counts());
    Row sizes = coordinated.agg(coalesce(sum("shares"), lit(0L)), coalesce(max("shares"), lit(0L))).first();
    run.counts().put("link_clustered_messages", sizes.getLong(0));
    LOG.info("co-link clusters: {} links shared by {} accounts within {} s", run.counts().get("link_clusters"),
        k.minAccounts(), interval);
    Dataset<Row> clustered = kept.keepColumnar(CoLinkClusters.assign(messages, shares, coordinated, run.ds(),
        sizes.getLong(0) <= CLUSTERED_DOCS_BROADCAST_MAX));
    return new Assigned(clustered, sizes.getLong(1));
  }

  private record Assigned(Dataset<Row> clustered, long largest) {}

  /** The day's messages in a cluster, with the clusters' count and size figures from the scan that caches them. */
  private static Assigned assign(Dataset<Row> messages, Dataset<Row> components, NightwatchConfig cfg, Run run) {
    // A component has at least two texts, so at most twice as many texts as verified edges have one; a small list is
    // broadcast, so the wide message rows are not shuffled.
    boolean fewComponents = 2 * run.counts().get("verified_edges") <= CLUSTERED_DOCS_BROADCAST_MAX;
    Dataset<Row> docs = run.kept().keepCounted(ClusterBuilder.clusteredDocs(messages, components,
        cfg.cluster().minMessages(), cfg.cluster().minAccounts(), fewComponents), "clustered_texts", run.counts());
    boolean fewDocs = run.counts().get("clustered_texts") <= CLUSTERED_DOCS_BROADCAST_MAX;
    // Read many times for a few narrow columns each: the columnar cache decodes only those.
    Dataset<Row> c = run.kept().keepColumnar(ClusterBuilder.assign(messages, docs, run.ds(), fewDocs));
    // One component per cluster_id: a long key hashes cheaper. This first scan also fills the cache.
    Row sizes = c.groupBy("component").count()
        .agg(count(lit(1)), coalesce(max("count"), lit(0L)), coalesce(sum("count"), lit(0L))).first();
    run.counts().put("clustered_messages", sizes.getLong(2));
    run.counts().put("clusters", sizes.getLong(0));
    return new Assigned(c, sizes.getLong(1));
  }
}
