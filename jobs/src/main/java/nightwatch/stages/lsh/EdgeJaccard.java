package nightwatch.stages.lsh;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The exact Jaccard of a candidate edge's two shingle-hash sets, by a merge of sorted int arrays. The signer writes
 * {@code sh} sorted, so the merge needs no hash set; Spark's {@code array_intersect} builds one for every edge, a
 * cost that would dominate verification.
 */
public final class EdgeJaccard {
  private EdgeJaccard() {}

  /**
   * |a ∩ b| / (|a| + |b| - |a ∩ b|), where |a ∩ b| counts distinct common values and |a|, |b| are the arrays' sizes:
   * the value of {@link Banding#exactJaccard} for the same arrays. Sorted input is checked as the merge goes, and
   * an unsorted array is sorted first (a copy), so any input gives the right value.
   */
  public static double of(int[] a, int[] b) {
    int[] x = sorted(a);
    int[] y = sorted(b);
    int common = 0;
    int i = 0;
    int j = 0;
    while (i < x.length && j < y.length) {
      int u = x[i];
      int v = y[j];
      if (u < v) {
        i++;
      } else if (u > v) {
        j++;
      } else {
        common++;
        while (i < x.length && x[i] == u) {
          i++;
        }
        while (j < y.length && y[j] == u) {
          j++;
        }
      }
    }
    return (double) common / (a.length + b.length - common);
  }

  private static int[] sorted(int[] a) {
    for (int k = 1; k < a.length; k++) {
      if (a[k] < a[k - 1]) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
      }
    }
    return a;
  }

  /** The edge with its Jaccard if that is at least {@code threshold}, else nothing (the flat-map of verification). */
  static Iterator<Scored> kept(Candidate c, double threshold) {
    if (c.srcSh == null || c.dstSh == null) {
      return java.util.Collections.emptyIterator(); // as array_intersect: a missing set verifies nothing
    }
    double j = of(c.srcSh, c.dstSh);
    return j >= threshold ? java.util.List.of(new Scored(c.src, c.dst, j)).iterator()
        : java.util.Collections.emptyIterator();
  }

  /** A candidate edge with both texts' shingle hashes, as the bean encoder reads it. */
  public static final class Candidate implements Serializable {
    private long src;
    private long dst;
    private int[] srcSh;
    private int[] dstSh;

    public long getSrc() {
      return src;
    }

    public void setSrc(long src) {
      this.src = src;
    }

    public long getDst() {
      return dst;
    }

    public void setDst(long dst) {
      this.dst = dst;
    }

    public int[] getSrcSh() {
      return srcSh;
    }

    public void setSrcSh(int[] srcSh) {
      this.srcSh = srcSh;
    }

    public int[] getDstSh() {
      return dstSh;
    }

    public void setDstSh(int[] dstSh) {
      this.dstSh = dstSh;
    }
  }

  /** A verified edge, as the bean encoder writes it. */
  public static final class Scored implements Serializable {
    private long src;
    private long dst;
    private double jaccard;

    public Scored() {}

    Scored(long src, long dst, double jaccard) {
      this.src = src;
      this.dst = dst;
      this.jaccard = jaccard;
    }

    public long getSrc() {
      return src;
    }

    public void setSrc(long src) {
      this.src = src;
    }

    public long getDst() {
      return dst;
    }

    public void setDst(long dst) {
      this.dst = dst;
    }

    public double getJaccard() {
      return jaccard;
    }

    public void setJaccard(double jaccard) {
      this.jaccard = jaccard;
    }
  }
}
