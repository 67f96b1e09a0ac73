package nightwatch.stages.links;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;

/**
 * One spelling per link, so that the posts of one URL group together: no scheme, host lower-cased without
 * {@code www.} or a default port, no fragment, no trailing slash, no tracking parameters (the others sorted). Paths
 * keep their case, and shortened links stay as they are: only the network can expand them (the input's urls).
 */
public final class LinkCanonicalizer {
  private LinkCanonicalizer() {}

  private static final String PARTS = "^(?:[A-Za-z][A-Za-z0-9+.-]*://)?([^/?#]*)([^?#]*)(?:\\?([^#]*))?";
  /** Parameters that say where a click came from, not what it leads to. */
  static final String TRACKING = "^(utm_[^=]*|fbclid|gclid|dclid|msclkid|igshid|mc_cid|mc_eid|_ga|ref_src|ref_url)(=.*)?$";

  /** The canonical form of a URL column; null for a null or host-less value. */
  public static Column canonical(Column url) {
    Column u = trim(url);
    Column host = regexp_replace(lower(regexp_extract(u, PARTS, 1)), "^www\\.|:(80|443)$|\\.$", "");
    Column path = regexp_replace(regexp_extract(u, PARTS, 2), "/+$", "");
    Column params = array_sort(filter(split(regexp_extract(u, PARTS, 3), "&"),
        p -> p.notEqual(lit("")).and(not(lower(p).rlike(TRACKING)))));
    Column query = when(size(params).gt(0), concat(lit("?"), array_join(params, "&"))).otherwise(lit(""));
    return when(u.isNull().or(host.equalTo("")), lit(null).cast("string")).otherwise(concat(host, path, query));
  }

  /**
   * Every prefix a known_links pattern may name for a canonical link: the host, each path prefix at a slash, and the
   * whole link with its query. A pattern matches a link when it equals one of them.
   */
  public static Column prefixes(Column canonicalLink) {
    Column noQuery = regexp_replace(canonicalLink, "\\?.*$", "");
    Column parts = split(noQuery, "/");
    return array_distinct(concat(
        transform(sequence(lit(1), size(parts)), i -> array_join(slice(parts, lit(1), i), "/")),
        array(canonicalLink)));
  }
}
