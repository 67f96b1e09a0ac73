package nightwatch.stages.lsh;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Own LSH banding over MinHash signatures: b bands of r rows, each band hashed to one long key in a
 * single pass; every bucket becomes star edges to its smallest member (k-1 edges, not k^2 pairs), and
 * each edge is verified by the Jaccard estimated from the two signatures before it is kept.
 */
public final class Banding {
  private Banding() {}

  /** Input: {@code doc_id}, {@code sig}. Output: {@code doc_id}, {@code band_key} (one row per band). */
  public static Dataset<Row> bandKeys(Dataset<Row> signed, LshParams p) {
    int r = p.rows();
    Column keys = transform(sequence(lit(0), lit(p.bands() - 1)),
        i -> xxhash64(i, slice(col("sig"), i.multiply(r).plus(1), lit(r))));
    return signed.select(col("doc_id"), explode(keys).as("band_key"));
  }

  /** Star edges ({@code src}, {@code dst}): each member of a bucket points to the bucket's smallest doc_id. */
  public static Dataset<Row> starEdges(Dataset<Row> bandKeys) {
    // groupBy + join rather than a window, so a bucket with millions of members is a partial
    // aggregate and a (skew-handled) join, never one task sorting the whole bucket.
    Dataset<Row> roots = bandKeys.groupBy("band_key")
        .agg(min("doc_id").as("root"), count(lit(1)).as("bucket_size"))
        .filter(col("bucket_size").geq(2));
    return bandKeys.join(roots, "band_key")
        .filter(col("doc_id").notEqual(col("root")))
        .select(col("doc_id").as("src"), col("root").as("dst"))
        .distinct();
  }

  /** Estimated Jaccard of two signature columns: the share of positions where they agree. */
  public static Column estimatedJaccard(Column a, Column b) {
    return size(filter(zip_with(a, b, (x, y) -> x.equalTo(y)), x -> x)).divide(size(a));
  }

  /** Keeps edges whose estimated Jaccard is at least minJaccard; adds {@code jaccard}. */
  public static Dataset<Row> verify(Dataset<Row> edges, Dataset<Row> signed, double minJaccard) {
    Dataset<Row> s = signed.select(col("doc_id"), col("sig"));
    return edges
        .join(s.withColumnRenamed("doc_id", "src").withColumnRenamed("sig", "src_sig"), "src")
        .join(s.withColumnRenamed("doc_id", "dst").withColumnRenamed("sig", "dst_sig"), "dst")
        .withColumn("jaccard", estimatedJaccard(col("src_sig"), col("dst_sig")))
        .filter(col("jaccard").geq(minJaccard))
        .select("src", "dst", "jaccard");
  }
}
