package nightwatch.stages.lsh;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * The band rows of one task, split by the shuffle partition of their key into one block of parallel primitive
 * arrays per partition: the band rows travel as a few large arrays, not as one shuffled row each (b rows of two
 * longs per text).
 */
final class BandBlocks {
  private BandBlocks() {}

  /** The band rows of one task bound for one partition: {@code keys[i]} is a band key of doc {@code docs[i]}. */
  record Block(long[] keys, long[] docs) implements Serializable {}

  /** A text's band keys, as the bean encoder reads them from {@code doc_id} and {@code band_keys}. */
  public static final class DocKeys implements Serializable {
    private long docId;
    private long[] bandKeys;

    public DocKeys() {}

    DocKeys(long docId, long[] bandKeys) {
      this.docId = docId;
      this.bandKeys = bandKeys;
    }

    public long getDocId() {
      return docId;
    }

    public void setDocId(long docId) {
      this.docId = docId;
    }

    public long[] getBandKeys() {
      return bandKeys;
    }

    public void setBandKeys(long[] bandKeys) {
      this.bandKeys = bandKeys;
    }
  }

  /** A text's signature, as the bean encoder reads it from {@code doc_id} and {@code sig} (non-null ints). */
  public static final class DocSig implements Serializable {
    private long docId;
    private int[] sig;

    public long getDocId() {
      return docId;
    }

    public void setDocId(long docId) {
      this.docId = docId;
    }

    public int[] getSig() {
      return sig;
    }

    public void setSig(int[] sig) {
      this.sig = sig;
    }
  }

  /** The partition of a band key (keys are 64-bit hashes, so any bits spread them evenly). */
  static int partitionOf(long key, int partitions) {
    return Math.floorMod(key, partitions);
  }

  /** One block per partition that receives at least one of the task's band rows, keyed by that partition. */
  static Iterator<Tuple2<Integer, Block>> split(Iterator<DocKeys> docs, int partitions) {
    long[][] keys = new long[partitions][16];
    long[][] ids = new long[partitions][16];
    int[] n = new int[partitions];
    while (docs.hasNext()) {
      DocKeys d = docs.next();
      for (long k : d.getBandKeys()) {
        int p = partitionOf(k, partitions);
        if (n[p] == keys[p].length) {
          keys[p] = Arrays.copyOf(keys[p], n[p] * 2);
          ids[p] = Arrays.copyOf(ids[p], n[p] * 2);
        }
        keys[p][n[p]] = k;
        ids[p][n[p]] = d.getDocId();
        n[p]++;
      }
    }
    List<Tuple2<Integer, Block>> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      if (n[p] > 0) {
        out.add(new Tuple2<>(p, new Block(Arrays.copyOf(keys[p], n[p]), Arrays.copyOf(ids[p], n[p]))));
      }
      keys[p] = null; // each buffer is released as soon as its block is cut
      ids[p] = null;
    }
    return out.iterator();
  }

  /** The edges of the band buckets of one partition's blocks (see {@link BucketEdges}). */
  static Iterator<Tuple2<Long, Long>> edges(Iterator<Tuple2<Integer, Block>> blocks, int pairBucketSize) {
    List<Block> all = new ArrayList<>();
    int total = 0;
    while (blocks.hasNext()) {
      Block b = blocks.next()._2();
      all.add(b);
      total = Math.addExact(total, b.keys().length);
    }
    long[] keys = new long[total];
    long[] docs = new long[total];
    int at = 0;
    for (int i = 0; i < all.size(); i++) {
      Block b = all.set(i, null); // released once copied
      System.arraycopy(b.keys(), 0, keys, at, b.keys().length);
      System.arraycopy(b.docs(), 0, docs, at, b.docs().length);
      at += b.keys().length;
    }
    return new BucketEdges(keys, docs, pairBucketSize);
  }
}
