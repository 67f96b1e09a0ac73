package nightwatch.stages.lsh;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * Own LSH banding over MinHash signatures: b bands of r rows, each band hashed to one long key in a
 * single pass; small buckets yield all their pairs, larger ones star edges to their smallest member (k-1
 * edges, not k^2 pairs), and each candidate is verified by the exact Jaccard of the two shingle sets.
 */
public final class Banding {
  /** The seed of Spark's built-in xxhash64. */
  private static final long XXH64_SEED = 42L;

  private Banding() {}

  /**
   * Input: {@code doc_id}, {@code sig}. Output: {@code doc_id}, {@code band_key} (one row per band). Band i's key
   * is {@link #bandKeyExpression}'s value, bit for bit (band keys are kept in the campaigns table across days).
   */
  public static Dataset<Row> bandKeys(Dataset<Row> signed, LshParams p) {
    // The function inside the explode, not a column of an earlier select: Spark infers a non-empty filter on a
    // generator's column and pushes it below a join, which would run the function twice more on every signature.
    return signed.select(col("doc_id"), explode(bandKeysUdf(p).apply(col("sig"))).as("band_key"));
  }

  /** The band keys as built-in expressions: {@code xxhash64(i, slice(sig, i * r + 1, r))} for band i. */
  public static Column bandKeyExpression(LshParams p) {
    int r = p.rows();
    return transform(sequence(lit(0), lit(p.bands() - 1)),
        i -> xxhash64(i, slice(col("sig"), i.multiply(r).plus(1), lit(r))));
  }

  private static UserDefinedFunction bandKeysUdf(LshParams p) {
    int bands = p.bands();
    int rows = p.rows();
    UDF1<scala.collection.Seq<Object>, long[]> f = sig -> {
      int[] s = new int[bands * rows];
      for (int j = 0; j < s.length; j++) {
        s[j] = (Integer) sig.apply(j);
      }
      return bandKeysOf(s, bands, rows);
    };
    return udf(f, DataTypes.createArrayType(DataTypes.LongType, false));
  }

  /** Band i's key of a signature: what Spark's xxhash64(i, slice(sig, i * rows + 1, rows)) computes. */
  static long[] bandKeysOf(int[] sig, int bands, int rows) {
    long[] keys = new long[bands];
    for (int i = 0; i < bands; i++) {
      // Seed 42, the int, then each element in turn.
      long h = XXH64.hashInt(i, XXH64_SEED);
      for (int j = i * rows; j < (i + 1) * rows; j++) {
        h = XXH64.hashInt(sig[j], h);
      }
      keys[i] = h;
    }
    return keys;
  }

  /**
   * Candidate edges ({@code src}, {@code dst}, {@code src > dst}) from each text's band keys ({@code doc_id},
   * {@code band_keys}, band i's key at position i as {@link #bandKeyExpression} computes it), bounded per bucket: a
   * bucket of at most {@code pairBucketSize} members yields all its pairs (a star to one member loses the pair of two
   * members that are similar to each other but not to that member); a larger bucket yields star edges to its
   * smallest member, k-1 edges however large it is.
   *
   * <p>One shuffle of the band rows, as primitive arrays: each task splits its texts' band keys by partition into
   * one block of parallel long arrays per partition ({@link BandBlocks}), and each partition finds its buckets by
   * one sort of a primitive array ({@link BucketEdges}). A row per band key (b per text) would cost a shuffled
   * row, a sorter entry and a deserialised object each.
   *
   * <p>The edges are shuffled by {@code src} into {@code spark.sql.shuffle.partitions} partitions and deduplicated
   * there (a hash partitioning by src groups every (src, dst) pair in one task): kept with {@link #keepSorted}, they
   * then meet the signatures kept by {@link #keepPartitioned} in verification's first join without a shuffle of
   * their own (a distinct by (src, dst) and then a shuffle by src would move every edge twice).
   */
  public static Dataset<Row> candidateEdges(Dataset<Row> docKeys, int pairBucketSize) {
    JavaRDD<BandBlocks.DocKeys> docs = docKeys.select(col("doc_id").as("docId"), col("band_keys").as("bandKeys"))
        .as(Encoders.bean(BandBlocks.DocKeys.class)).javaRDD();
    return candidateEdges(docs, docKeys.sparkSession(), pairBucketSize);
  }

  /**
   * {@link #candidateEdges(Dataset, int)} of the band keys of signatures ({@code doc_id}, {@code sig}), computed
   * where the band rows are split: the signatures are read as primitive int arrays, with neither a function call
   * per row that boxes every hash nor an array of keys turned into a Spark array and back, either of which would
   * cost more than the split itself.
   */
  public static Dataset<Row> candidateEdges(Dataset<Row> signed, LshParams p, int pairBucketSize) {
    int bands = p.bands();
    int rows = p.rows();
    JavaRDD<BandBlocks.DocKeys> docs = signed.select(col("doc_id").as("docId"), nullFreeInts(signed, "sig").as("sig"))
        .as(Encoders.bean(BandBlocks.DocSig.class)).javaRDD()
        .map(d -> new BandBlocks.DocKeys(d.getDocId(), bandKeysOf(d.getSig(), bands, rows)));
    return candidateEdges(docs, signed.sparkSession(), pairBucketSize);
  }

  private static Dataset<Row> candidateEdges(JavaRDD<BandBlocks.DocKeys> docs, SparkSession spark,
                                             int pairBucketSize) {
    int partitions = shufflePartitions(spark);
    JavaRDD<Tuple2<Long, Long>> edges = docs
        .mapPartitionsToPair(d -> BandBlocks.split(d, partitions))
        .partitionBy(new HashPartitioner(partitions))
        .mapPartitions(blocks -> BandBlocks.edges(blocks, pairBucketSize));
    return spark.createDataset(edges.rdd(), Encoders.tuple(Encoders.LONG(), Encoders.LONG()))
        .toDF("src", "dst")
        .repartition(partitions, col("src"))
        .distinct();
  }

  /**
   * Signatures kept hash-partitioned and sorted by {@code doc_id} into {@code spark.sql.shuffle.partitions}
   * partitions (lineage cut), so that joins by doc_id (verification, band keys of a subset) shuffle only their
   * other side. The rows are computed and kept by the first action on the result (a caller that counts them
   * at once reads them once; an eager checkpoint would count them itself and be read again by that count).
   *
   * <p>The checkpoint is planned with adaptive execution off: an adaptive plan reports no output partitioning
   * (Spark 4.1), and a checkpoint of it would forget how its rows are partitioned. Only the kept plans (here a
   * narrow signing step and the repartition, see {@link #keepSorted}) run without it; the setting is restored at
   * once. It is the session's setting: a query another thread plans in that moment (the demo's generator and
   * evaluator run beside the job) runs without adaptive execution too, which costs it speed only.
   */
  public static Dataset<Row> keepPartitioned(Dataset<Row> signed, org.apache.spark.storage.StorageLevel level) {
    return keepPartitioned(signed, "doc_id", level);
  }

  /**
   * Rows kept hash-partitioned by {@code key} into {@code spark.sql.shuffle.partitions} partitions and sorted by it
   * ({@link #keepSorted}), so that a sort-merge join on {@code key} shuffles and sorts only its other side.
   */
  public static Dataset<Row> keepPartitioned(Dataset<Row> rows, String key,
                                             org.apache.spark.storage.StorageLevel level) {
    // The number the joins' other side is shuffled to, so both sides are partitioned alike.
    return keepSorted(rows.repartition(shufflePartitions(rows.sparkSession()), col(key)), key, level);
  }

  /**
   * Rows hash-partitioned by {@code key} into {@code spark.sql.shuffle.partitions} partitions (as
   * {@link #candidateEdges} returns its edges by src), sorted within partitions by {@code key} and kept (lineage cut,
   * computed by the first action on the result), so that a sort-merge join on {@code key} with another side kept
   * alike needs neither a shuffle nor a sort. Planned with adaptive execution off, as {@link #keepPartitioned}.
   */
  public static Dataset<Row> keepSorted(Dataset<Row> partitioned, String key,
                                        org.apache.spark.storage.StorageLevel level) {
    SparkSession spark = partitioned.sparkSession();
    synchronized (spark) {
      String aqe = spark.conf().get("spark.sql.adaptive.enabled");
      spark.conf().set("spark.sql.adaptive.enabled", "false");
      try {
        return partitioned.sortWithinPartitions(key).localCheckpoint(false, level);
      } finally {
        spark.conf().set("spark.sql.adaptive.enabled", aqe);
      }
    }
  }

  /**
   * An int-array column as the bean encoder reads it into {@code int[]}: the column itself when its type holds no
   * null (as the signer writes it), else with nulls removed (a table or a test may declare the elements nullable).
   */
  private static Column nullFreeInts(Dataset<Row> d, String column) {
    boolean nullable = ((org.apache.spark.sql.types.ArrayType) d.schema().apply(column).dataType()).containsNull();
    return nullable ? array_compact(col(column)) : col(column);
  }

  /** {@code spark.sql.shuffle.partitions}: the partitions of the band rows and of the kept signatures. */
  private static int shufflePartitions(SparkSession spark) {
    return Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
  }

  /** 64-bit hashes of the shingles, which the signatures are computed from (see MinHashSigner). */
  public static Column shingleHashes(Column shingles) {
    return transform(shingles, s -> xxhash64(s));
  }

  /** Exact Jaccard of two arrays of distinct values. */
  public static Column exactJaccard(Column a, Column b) {
    Column inter = size(array_intersect(a, b));
    return inter.divide(size(a).plus(size(b)).minus(inter));
  }

  /**
   * Keeps edges whose exact Jaccard over the shingle hashes ({@code sh}) is at least {@code threshold}; adds
   * {@code jaccard}. A kept edge is therefore a true near-duplicate pair, so chains of weak links cannot form.
   * Only the shingle hashes travel with the edges (not the signatures): the first join's output is shuffled by
   * {@code dst} (the edges' only shuffle here when both inputs are kept as {@link #keepSorted} and
   * {@link #keepPartitioned} keep them), so every byte carried per edge is paid once per candidate. The Jaccard is
   * {@link EdgeJaccard}'s merge of the two arrays, read as primitive int arrays: the same value as
   * {@link #exactJaccard}, fastest when {@code sh} is sorted, as the signer writes it.
   */
  public static Dataset<Row> verifyExact(Dataset<Row> edges, Dataset<Row> signed, double threshold) {
    Dataset<Row> s = signed.select(col("doc_id"), nullFreeInts(signed, "sh").as("sh"));
    return edges
        .join(s.select(col("doc_id").as("src"), col("sh").as("srcSh")), "src")
        .join(s.select(col("doc_id").as("dst"), col("sh").as("dstSh")), "dst")
        .select("src", "dst", "srcSh", "dstSh")
        .as(Encoders.bean(EdgeJaccard.Candidate.class))
        .flatMap((org.apache.spark.api.java.function.FlatMapFunction<EdgeJaccard.Candidate, EdgeJaccard.Scored>)
            c -> EdgeJaccard.kept(c, threshold), Encoders.bean(EdgeJaccard.Scored.class))
        .select("src", "dst", "jaccard");
  }

  /** Estimated Jaccard of two signature columns: the share of positions where they agree. */
  public static Column estimatedJaccard(Column a, Column b) {
    return size(filter(zip_with(a, b, (x, y) -> x.equalTo(y)), x -> x)).divide(size(a));
  }
}
