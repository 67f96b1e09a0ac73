package nightwatch.stages.signature;

import static org.apache.spark.sql.functions.*;

import java.util.SplittableRandom;
import nightwatch.stages.lsh.Banding;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * MinHash signatures over a message's shingles (which MLlib's RegexTokenizer and NGram produce, see
 * {@code Shingler}). Each shingle is hashed once to 64 bits, and min-hash i of a set is the minimum of
 * {@code a_i * mix(x) + b_i} over its hashes, with odd {@code a_i} and {@code b_i} drawn from the seed. The same
 * hashes folded to 32 bits ({@code sh}) are the exact set that candidate edges are verified with.
 *
 * <p>Why a function over a primitive array and not MLlib's {@code HashingTF} + {@code MinHashLSH}: MLlib
 * returns one single-value vector per hash function, and turning those into an array costs a UDF call per
 * hash per row. Spark has no built-in min-hash over an array, and a higher-order-function expression is
 * interpreted, once per hash function and shingle.
 */
public final class MinHashSigner {
  private final long[] a;
  private final long[] b;
  private final int minShingles;

  /** The signer of the configured pipeline: one hash per band row of {@code lsh}. */
  public static MinHashSigner of(SparkSession spark, nightwatch.config.NightwatchConfig cfg,
                                 nightwatch.stages.lsh.LshParams lsh) {
    return new MinHashSigner(lsh.bands() * lsh.rows(), cfg.lsh().seed(), cfg.text().minShingles());
  }

  /** The same seed and size always give the same functions, so signatures of any two runs are comparable. */
  public MinHashSigner(int numHashes, long seed, int minShingles) {
    SplittableRandom r = new SplittableRandom(seed);
    this.a = new long[numHashes];
    this.b = new long[numHashes];
    for (int i = 0; i < numHashes; i++) {
      a[i] = r.nextLong() | 1L;
      b[i] = r.nextLong();
    }
    this.minShingles = minShingles;
  }

  public int numHashes() {
    return a.length;
  }

  long[] coefficientsA() {
    return a;
  }

  long[] coefficientsB() {
    return b;
  }

  /**
   * Input: rows with {@code shingles}. Output: rows with at least minShingles shingles, plus {@code sig} (array of
   * non-negative ints, one min-hash per function) and {@code sh} (the set verification compares: each shingle's
   * 64-bit hash folded to 32 bits, see {@link #fold}, in ascending order). Rows with fewer shingles get no
   * signature: they cannot be compared reliably and would otherwise collide with each other.
   */
  public Dataset<Row> sign(Dataset<Row> docs) {
    int n = a.length;
    // One int array from one call, cut in two: two calls would hash every shingle twice. Not a struct of two arrays:
    // that form is markedly slower here, for a cause not understood.
    return docs.withColumn("_s", udf().apply(Banding.shingleHashes(col("shingles"))))
        .filter(col("_s").isNotNull())
        .withColumn("sig", slice(col("_s"), lit(1), lit(n)))
        .withColumn("sh", slice(col("_s"), lit(n + 1), size(col("_s")).minus(n)))
        .drop("_s");
  }

  /**
   * Null for a set of fewer than minShingles hashes; else the signature followed by the folded hashes, in one
   * array. Marked non-deterministic only so that the optimiser keeps the eligibility filter above it and
   * evaluates it once for both parts: pushed below, the filter would run the tokeniser, the n-grams and this
   * function a second time for every row (seen in the physical plan).
   */
  private UserDefinedFunction udf() {
    long[] fa = a;
    long[] fb = b;
    int min = minShingles;
    UDF1<scala.collection.Seq<Object>, int[]> f = hashes -> {
      if (hashes.length() < min) {
        return null;
      }
      long[] x = new long[hashes.length()];
      for (int j = 0; j < x.length; j++) {
        x[j] = (Long) hashes.apply(j);
      }
      int[] sig = signature(x, fa, fb);
      int[] out = java.util.Arrays.copyOf(sig, sig.length + x.length);
      for (int j = 0; j < x.length; j++) {
        out[sig.length + j] = fold(x[j]);
      }
      // Sorted, so that verification intersects two sets by a merge (EdgeJaccard).
      java.util.Arrays.sort(out, sig.length, out.length);
      return out;
    };
    return org.apache.spark.sql.functions.udf(f, DataTypes.createArrayType(DataTypes.IntegerType, false))
        .asNondeterministic();
  }

  /**
   * A shingle's 64-bit hash folded to 32 bits (both halves, xor), for the exact set that verification compares:
   * half the bytes in every kept signature and in every candidate edge the verification joins carry. Two distinct
   * shingles share a folded hash with probability 2^-32, so a pair of 25-shingle texts gains a false common
   * shingle with probability about 1.5e-7, which moves its Jaccard by about 0.02. The signatures still use the
   * 64-bit hashes, so band keys are unchanged.
   */
  static int fold(long h) {
    return (int) (h ^ (h >>> 32));
  }

  /** Min-hash i of the set {@code x}: the top 31 bits of min over x of (a_i * mix(x) + b_i) >>> 1. */
  static int[] signature(long[] x, long[] a, long[] b) {
    long[] m = new long[x.length];
    for (int j = 0; j < x.length; j++) {
      m[j] = mix(x[j]);
    }
    int[] sig = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      long ai = a[i];
      long bi = b[i];
      long best = Long.MAX_VALUE;
      for (long v : m) {
        long h = (ai * v + bi) >>> 1;
        if (h < best) {
          best = h;
        }
      }
      sig[i] = (int) (best >>> 32);
    }
    return sig;
  }

  /** MurmurHash3's 64-bit finaliser: spreads every input bit over the word before the linear functions. */
  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
