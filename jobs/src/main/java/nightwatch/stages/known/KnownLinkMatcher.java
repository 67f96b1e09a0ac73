package nightwatch.stages.known;

import static org.apache.spark.sql.functions.*;

import nightwatch.stages.links.LinkCanonicalizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Link clusters whose link known_links names: a pattern (a URL, or a host with a path prefix) matches a link when, both
 * canonical, it equals the link's host, one of its path prefixes or the whole link. An equi-join on the prefixes, so
 * a long list costs no more than a short one.
 */
public final class KnownLinkMatcher {
  private KnownLinkMatcher() {}

  /** The prefix of a known-link ref id, which tells it apart from known_propaganda's in a cluster's known_refs. */
  public static final String REF_PREFIX = "link:";

  /**
   * @param linkClusters {@code cluster_id}, {@code link} (canonical)
   * @param knownLinks   the known_links table ({@code pattern}, {@code label})
   * @return {@code cluster_id}, {@code ref_id} ({@value #REF_PREFIX} and the pattern as listed), {@code label}
   */
  public static Dataset<Row> match(Dataset<Row> linkClusters, Dataset<Row> knownLinks) {
    Dataset<Row> patterns = knownLinks.select(LinkCanonicalizer.canonical(col("pattern")).as("_key"),
        concat(lit(REF_PREFIX), col("pattern")).as("ref_id"), col("label"));
    return linkClusters.select(col("cluster_id"), explode(LinkCanonicalizer.prefixes(col("link"))).as("_key"))
        .join(patterns, "_key")
        .select("cluster_id", "ref_id", "label")
        .distinct();
  }
}
