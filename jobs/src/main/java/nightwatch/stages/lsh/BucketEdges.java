package nightwatch.stages.lsh;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import scala.Tuple2;

/**
 * The candidate edges of the band buckets of one shuffle partition, from parallel primitive arrays of band keys
 * and doc ids (one entry per band row). A bucket of at most {@code pairBucketSize} rows yields every pair of
 * distinct members (larger id first); a larger one yields an edge from each member to its smallest member. Edges
 * may repeat (a doc_id listed twice); the caller makes them distinct.
 *
 * <p>Buckets are found by one sort of a primitive array: each entry packs the high 32 bits of its key with its
 * index, so equal keys are adjacent after the sort (no object per row, no comparator). A run of equal high bits is
 * split by the full key, so two keys that share only their high bits never share a bucket. The sort is a radix
 * sort of the high bits ({@link #sortByHighBits}): three counting passes over the array, far cheaper than a
 * comparison sort of a partition's entries, which would dominate the stage.
 */
final class BucketEdges implements Iterator<Tuple2<Long, Long>> {
  private static final long HIGH = 0xFFFFFFFF00000000L;
  private static final long LOW = 0x00000000FFFFFFFFL;

  private final long[] keys;
  private final long[] docs;
  private long[] order;
  private final int pairBucketSize;
  private final ArrayDeque<Tuple2<Long, Long>> out = new ArrayDeque<>();
  private long[] members = new long[64];
  private int pos;

  /** {@code keys[i]} is the band key of the row of doc {@code docs[i]}; both arrays are read, not changed. */
  BucketEdges(long[] keys, long[] docs, int pairBucketSize) {
    if (keys.length != docs.length) {
      throw new IllegalArgumentException(keys.length + " keys for " + docs.length + " docs");
    }
    this.keys = keys;
    this.docs = docs;
    this.pairBucketSize = pairBucketSize;
    this.order = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      order[i] = (keys[i] & HIGH) | i;
    }
    order = sortByHighBits(order);
  }

  /** Bits per radix digit: three passes cover the 32 high bits, and a pass's counts (2048 ints) stay in cache. */
  private static final int DIGIT_BITS = 11;

  /**
   * {@code a} ordered as {@link Arrays#sort(long[])} orders it when the low 32 bits of its entries are distinct
   * and ascending in {@code a} (as the indexes packed above are): by the high 32 bits as a signed int, then by
   * position. A stable least-significant-digit radix sort of the high bits keeps that second order by itself.
   * Returns the sorted array, which is {@code a} or a new array of the same length; {@code a} may be overwritten.
   */
  static long[] sortByHighBits(long[] a) {
    long[] src = a;
    long[] dst = new long[a.length];
    int[] start = new int[1 << DIGIT_BITS];
    for (int shift = 32; shift < 64; shift += DIGIT_BITS) {
      int bits = Math.min(DIGIT_BITS, 64 - shift);
      int mask = (1 << bits) - 1;
      // The top digit's highest bit is the sign: flipped, negative keys come first, as in a signed sort.
      int flip = shift + bits == 64 ? 1 << (bits - 1) : 0;
      Arrays.fill(start, 0);
      for (long v : src) {
        start[((int) (v >>> shift) & mask) ^ flip]++;
      }
      int sum = 0;
      for (int d = 0; d <= mask; d++) {
        int c = start[d];
        start[d] = sum;
        sum += c;
      }
      for (long v : src) {
        dst[start[((int) (v >>> shift) & mask) ^ flip]++] = v;
      }
      long[] t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  @Override
  public boolean hasNext() {
    while (out.isEmpty()) {
      if (pos >= order.length) {
        return false;
      }
      int end = pos + 1;
      long high = order[pos] & HIGH;
      while (end < order.length && (order[end] & HIGH) == high) {
        end++;
      }
      if (end - pos > 1) {
        emitRun(pos, end);
      }
      pos = end;
    }
    return true;
  }

  @Override
  public Tuple2<Long, Long> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return out.poll();
  }

  /** The buckets of the rows order[from, to), which share the high bits of their keys. */
  private void emitRun(int from, int to) {
    long key = keys[(int) (order[from] & LOW)];
    boolean oneKey = true;
    for (int i = from + 1; i < to && oneKey; i++) {
      oneKey = keys[(int) (order[i] & LOW)] == key;
    }
    if (oneKey) {
      emitBucket(from, to);
      return;
    }
    // Keys that differ only below the high bits (rare): order the run by full key, then one bucket per key.
    Long[] run = new Long[to - from];
    for (int i = from; i < to; i++) {
      run[i - from] = order[i];
    }
    Arrays.sort(run, (a, b) -> Long.compare(keys[(int) (a & LOW)], keys[(int) (b & LOW)]));
    for (int i = from; i < to; i++) {
      order[i] = run[i - from];
    }
    int start = from;
    for (int i = from + 1; i <= to; i++) {
      if (i == to || keys[(int) (order[i] & LOW)] != keys[(int) (order[start] & LOW)]) {
        emitBucket(start, i);
        start = i;
      }
    }
  }

  private void emitBucket(int from, int to) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    if (members.length < n) {
      members = new long[Math.max(n, members.length * 2)];
    }
    for (int i = 0; i < n; i++) {
      members[i] = docs[(int) (order[from + i] & LOW)];
    }
    if (n <= pairBucketSize) {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          if (members[i] < members[j]) {
            out.add(new Tuple2<>(members[j], members[i]));
          }
        }
      }
      return;
    }
    long root = members[0];
    for (int i = 1; i < n; i++) {
      root = Math.min(root, members[i]);
    }
    for (int i = 0; i < n; i++) {
      if (members[i] != root) {
        out.add(new Tuple2<>(members[i], root));
      }
    }
    if (members.length > 1 << 16) {
      members = new long[64]; // a huge bucket's buffer is not kept for the rest of the partition
    }
  }
}
