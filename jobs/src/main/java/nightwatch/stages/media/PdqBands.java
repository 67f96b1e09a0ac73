package nightwatch.stages.media;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;

/**
 * PDQ hashes (256 bits as 64 hex characters) as Spark columns: their bits, bit-sampling LSH band keys, and the exact
 * Hamming distance. Band j is {@code bitsPerBand} bit positions drawn with a fixed seed: two hashes within distance d
 * share a band with probability {@code 1 - (1 - (1 - d/256)^bitsPerBand)^bands}, so near-identical images meet and
 * unrelated ones (about 128 bits apart) almost never do.
 */
public final class PdqBands {
  private PdqBands() {}

  public static final int BITS = 256;
  private static final long SEED = 0x5D9_0B17L;

  /** The 256 bits of a lower- or upper-case hex PDQ, most significant first, as a string of '0' and '1'. */
  public static Column bits(Column pdqHex) {
    List<Column> words = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      words.add(lpad(conv(substring(pdqHex, 4 * i + 1, 4), 16, 2), 16, "0"));
    }
    return concat(words.toArray(new Column[0]));
  }

  /** The 16-bit words of a hex PDQ, as ints (the exact distance reads these). */
  public static Column words(Column pdqHex) {
    return transform(sequence(lit(0), lit(15)), i -> conv(substring(pdqHex, i.multiply(4).plus(1), lit(4)), 16, 10)
        .cast("int"));
  }

  /** Hamming distance of two {@link #words} columns. */
  public static Column distance(Column wordsA, Column wordsB) {
    return aggregate(zip_with(wordsA, wordsB, (x, y) -> bit_count(x.bitwiseXOR(y))), lit(0),
        (acc, v) -> acc.plus(v));
  }

  /**
   * One long key per band of a {@link #bits} string (keys of different bands never meet: the band is hashed in). One
   * higher-order function over the bands' positions as a literal, so the plan stays small whatever the band count.
   */
  public static Column bandKeys(Column bits, int bands, int bitsPerBand) {
    List<Column> perBand = new ArrayList<>();
    for (int[] band : positions(bands, bitsPerBand)) {
      List<Column> ps = new ArrayList<>();
      for (int p : band) {
        ps.add(lit(p + 1));
      }
      perBand.add(array(ps.toArray(new Column[0])));
    }
    return transform(array(perBand.toArray(new Column[0])), (ps, j) -> xxhash64(j,
        array_join(transform(ps, p -> substring(bits, p, lit(1))), "")));
  }

  /** The sampled bit positions of each band: distinct within a band, the same on every run. */
  static int[][] positions(int bands, int bitsPerBand) {
    SplittableRandom rng = new SplittableRandom(SEED);
    int[][] out = new int[bands][];
    for (int j = 0; j < bands; j++) {
      out[j] = rng.ints(0, BITS).distinct().limit(bitsPerBand).sorted().toArray();
    }
    return out;
  }
}
