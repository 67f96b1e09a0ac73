package nightwatch.stages.lsh;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import scala.Tuple2;

/**
 * The candidate edges of band buckets, from (band_key, doc_id) rows in which each bucket's rows are adjacent
 * (a partition sorted by band key). A bucket of at most {@code pairBucketSize} rows yields every pair of
 * distinct members (larger id first); a larger one yields an edge from each member to its smallest member.
 * A bucket is held as a primitive array (8 bytes a member) until its last row, since its smallest member is
 * known only then; a singleton costs one comparison. Edges may repeat (a doc_id listed twice); the caller
 * makes them distinct.
 */
final class BucketEdges implements Iterator<Tuple2<Long, Long>> {
  private final Iterator<Tuple2<Long, Long>> rows;
  private final int pairBucketSize;
  private final ArrayDeque<Tuple2<Long, Long>> out = new ArrayDeque<>();
  private long[] members = new long[64];
  private int size;
  private long key;

  BucketEdges(Iterator<Tuple2<Long, Long>> rowsSortedByKey, int pairBucketSize) {
    this.rows = rowsSortedByKey;
    this.pairBucketSize = pairBucketSize;
  }

  @Override
  public boolean hasNext() {
    while (out.isEmpty()) {
      if (!rows.hasNext()) {
        emitBucket();
        return !out.isEmpty();
      }
      Tuple2<Long, Long> r = rows.next();
      long k = r._1();
      if (size > 0 && k != key) {
        emitBucket();
      }
      key = k;
      if (size == members.length) {
        members = Arrays.copyOf(members, size * 2);
      }
      members[size++] = r._2();
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

  private void emitBucket() {
    int n = size;
    size = 0;
    if (n < 2) {
      return;
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
