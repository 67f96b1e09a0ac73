package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exact set of document pairs whose shingle sets have Jaccard similarity at or above a threshold:
 * the brute-force ground truth for clustering, in Spark. Two ways, with the same result:
 *
 * <ul>
 *   <li>{@link #prefixFiltered}: the prefix filter of all-pairs similarity joins (Chaudhuri et al. 2006,
 *       Bayardo et al. 2007). Order every set by global shingle frequency (rarest first). Two sets with
 *       Jaccard >= t must share a shingle among the first |x| - ceil(t|x|) + 1 of each, so joining on
 *       those prefixes finds every qualifying pair, and each candidate is then checked exactly. No
 *       pair is missed, and no approximation is involved.
 *   <li>{@link #crossJoin}: every pair, checked exactly (for small inputs and to test the former).
 * </ul>
 */
public final class ExactJaccardJoin {
  private ExactJaccardJoin() {}

  /**
   * @param docs {@code doc_id} (long), {@code shingles} (array of distinct strings, non-empty)
   * @return {@code a}, {@code b} (a &lt; b), {@code jaccard}: every pair with exact Jaccard &gt;= threshold
   */
  public static Dataset<Row> prefixFiltered(Dataset<Row> docs, double threshold) {
    Dataset<Row> d = docs.select(col("doc_id"), col("shingles"));
    Dataset<Row> freq = d.select(explode(col("shingles")).as("sh")).groupBy("sh").agg(count(lit(1)).as("f"));
    Dataset<Row> ordered = d.select(col("doc_id"), explode(col("shingles")).as("sh"))
        .join(freq, "sh")
        .groupBy("doc_id")
        .agg(array_sort(collect_list(struct(col("f"), col("sh")))).as("_sorted"));
    // prefix length |x| - ceil(t|x|) + 1; the epsilon keeps t|x| that is an integer from rounding up
    Column n = size(col("_sorted"));
    Column p = n.minus(ceil(n.multiply(threshold).minus(1e-9))).plus(1).cast("int");
    Dataset<Row> prefixes = ordered.select(col("doc_id"),
        explode(slice(col("_sorted"), lit(1), p)).as("_t")).select(col("doc_id"), col("_t.sh").as("sh"));
    Dataset<Row> candidates = prefixes.as("x").join(prefixes.as("y"),
            col("x.sh").equalTo(col("y.sh")).and(col("x.doc_id").lt(col("y.doc_id"))))
        .select(col("x.doc_id").as("a"), col("y.doc_id").as("b"))
        .distinct();
    return verify(candidates, d, threshold);
  }

  /** Every pair, checked exactly: quadratic, for small inputs. */
  public static Dataset<Row> crossJoin(Dataset<Row> docs, double threshold) {
    Dataset<Row> d = docs.select(col("doc_id"), col("shingles"));
    Dataset<Row> pairs = d.select(col("doc_id").as("a")).crossJoin(d.select(col("doc_id").as("b")))
        .filter(col("a").lt(col("b")));
    return verify(pairs, d, threshold);
  }

  private static Dataset<Row> verify(Dataset<Row> pairs, Dataset<Row> d, double threshold) {
    Dataset<Row> sa = d.select(col("doc_id").as("a"), col("shingles").as("sa"));
    Dataset<Row> sb = d.select(col("doc_id").as("b"), col("shingles").as("sb"));
    Column inter = size(array_intersect(col("sa"), col("sb")));
    Column union = size(col("sa")).plus(size(col("sb"))).minus(inter);
    return pairs.join(sa, "a").join(sb, "b")
        // size ratio filter first: Jaccard >= t needs min/max size >= t
        .filter(least(size(col("sa")), size(col("sb"))).geq(greatest(size(col("sa")), size(col("sb")))
            .multiply(threshold).minus(1e-9)))
        .withColumn("jaccard", inter.divide(union))
        .filter(col("jaccard").geq(threshold - 1e-12))
        .select("a", "b", "jaccard");
  }
}
