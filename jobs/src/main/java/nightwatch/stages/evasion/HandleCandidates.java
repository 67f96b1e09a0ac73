package nightwatch.stages.evasion;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Candidate (young, suspended) pairs when the suspended accounts are few: their handle keys go to every task as
 * one sorted index, and each young account's candidates are found, made distinct and pre-checked in its own
 * task. No pair is shuffled: at 10 M messages the band join gave 141 M (young, suspended) rows and 14 M distinct
 * pairs, whose shuffle, distinct and handle lookups took most of the linker's time.
 *
 * <p>The checks here are necessary conditions only, the same ones the shuffled path applies before its exact
 * filter: created at or after the suspension, a handle length gap the minimum similarity allows, and a bounded
 * Levenshtein distance within the allowed edits ({@link #editDistance}, the result of the built-in
 * {@code levenshtein(a, b, threshold)}) on the lower-case or the look-alike form. The caller applies the exact
 * rounded similarity to the survivors (at 10 M messages, 2.15 M of the 14.2 M candidates).
 */
final class HandleCandidates {
  private HandleCandidates() {}

  /**
   * @param young     n_id, n_lh, n_uh, n_created_us (micros), band_keys (array of longs), and any other columns
   * @param suspended s_id, s_lh, s_uh, suspended_us (micros), band_keys; read to the driver, so the caller
   *                  passes it only when it is known to be small
   * @param maxLenGap the largest handle length gap, as a share of the longer handle
   * @return each candidate pair once: the young account's columns but band_keys, and s_id. The young side's
   *         columns travel with the pair, so that no join by the young account's id shuffles the pairs.
   */
  static Dataset<Row> find(Dataset<Row> young, Dataset<Row> suspended, double maxLenGap) {
    Index index = Index.of(suspended.select("s_id", "s_lh", "s_uh", "suspended_us", "band_keys").collectAsList());
    Broadcast<Index> b = young.sparkSession().sparkContext().broadcast(index,
        scala.reflect.ClassTag$.MODULE$.apply(Index.class));
    StructType in = young.schema();
    StructType out = new StructType();
    for (org.apache.spark.sql.types.StructField f : in.fields()) {
      if (!f.name().equals("band_keys")) {
        out = out.add(f);
      }
    }
    out = out.add("s_id", org.apache.spark.sql.types.DataTypes.StringType, false);
    int[] at = {in.fieldIndex("n_id"), in.fieldIndex("n_lh"), in.fieldIndex("n_uh"), in.fieldIndex("n_created_us"),
        in.fieldIndex("band_keys")};
    return young.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> pairs(rows, at, b.value(), maxLenGap),
        Encoders.row(out));
  }

  /** The suspended accounts and their band keys as a sorted key array with each key's accounts (CSR). */
  record Index(String[] ids, String[] lh, String[] uh, long[] suspendedUs, long[] keys, int[] start, int[] members)
      implements Serializable {
    static Index of(List<Row> rows) {
      int n = rows.size();
      String[] ids = new String[n];
      String[] lh = new String[n];
      String[] uh = new String[n];
      long[] at = new long[n];
      int total = 0;
      for (int i = 0; i < n; i++) {
        Row r = rows.get(i);
        ids[i] = r.getString(0);
        lh[i] = r.getString(1);
        uh[i] = r.getString(2);
        at[i] = r.getLong(3);
        total += r.getList(4).size();
      }
      // Every (key, account) entry, then the distinct keys sorted, each with its run of accounts in members.
      long[] all = new long[total];
      int[] owner = new int[total];
      int k = 0;
      for (int i = 0; i < n; i++) {
        for (Object key : rows.get(i).getList(4)) {
          all[k] = (Long) key;
          owner[k++] = i;
        }
      }
      long[] keys = Arrays.stream(all).sorted().distinct().toArray();
      int[] start = new int[keys.length + 1];
      int[] slot = new int[total];
      for (int e = 0; e < total; e++) {
        slot[e] = Arrays.binarySearch(keys, all[e]);
        start[slot[e] + 1]++;
      }
      for (int i = 0; i < keys.length; i++) {
        start[i + 1] += start[i];
      }
      int[] fill = Arrays.copyOf(start, keys.length);
      int[] members = new int[total];
      for (int e = 0; e < total; e++) {
        members[fill[slot[e]]++] = owner[e];
      }
      return new Index(ids, lh, uh, at, keys, start, members);
    }
  }

  /** @param at the positions of n_id, n_lh, n_uh, n_created_us and band_keys in a young row */
  static Iterator<Row> pairs(Iterator<Row> young, int[] at, Index s, double maxLenGap) {
    int n = s.ids().length;
    // Code points, decoded once per account: the edit distance on UTF8String decodes every character again for
    // every cell, and took half of the stage's time at 10M (14.2 M candidates, Java Flight Recorder).
    int[][] lh = new int[n][];
    int[][] uh = new int[n][];
    for (int i = 0; i < n; i++) {
      lh[i] = s.lh()[i].codePoints().toArray();
      uh[i] = s.uh()[i].codePoints().toArray();
    }
    // seen[i] == stamp: suspended account i was already a candidate of the current young account.
    int[] seen = new int[n];
    int[] stamp = {0};
    return new Iterator<>() {
      private final List<Row> buffer = new ArrayList<>();
      private int pos = 0;

      @Override
      public boolean hasNext() {
        while (pos == buffer.size() && young.hasNext()) {
          buffer.clear();
          pos = 0;
          next(young.next());
        }
        return pos < buffer.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return buffer.get(pos++);
      }

      private void next(Row y) {
        int me = ++stamp[0];
        int[] nlh = y.getString(at[1]).codePoints().toArray();
        int[] nuh = y.getString(at[2]).codePoints().toArray();
        long created = y.getLong(at[3]);
        int nlen = nlh.length;
        Object[] values = null;
        for (Object key : y.getList(at[4])) {
          int p = Arrays.binarySearch(s.keys(), (Long) key);
          if (p < 0) {
            continue;
          }
          for (int m = s.start()[p]; m < s.start()[p + 1]; m++) {
            int i = s.members()[m];
            if (seen[i] == me) {
              continue;
            }
            seen[i] = me;
            int slen = lh[i].length;
            if (created >= s.suspendedUs()[i] && Math.abs(nlen - slen) <= Math.max(nlen, slen) * maxLenGap
                && (withinEdits(nlh, lh[i], maxLenGap)
                    || (!Arrays.equals(nuh, nlh) || !Arrays.equals(uh[i], lh[i])) && withinEdits(nuh, uh[i], maxLenGap))) {
              if (values == null) {
                values = new Object[y.length()];
                for (int c = 0, v = 0; c < y.length(); c++) {
                  if (c != at[4]) {
                    values[v++] = y.get(c);
                  }
                }
              }
              Object[] row = values.clone();
              row[row.length - 1] = s.ids()[i];
              buffer.add(RowFactory.create(row));
            }
          }
        }
      }
    };
  }

  /** Whether a and b are within the edits that {@code maxGap} of the longer length allows (as similarEnough). */
  static boolean withinEdits(int[] a, int[] b, double maxGap) {
    int len = Math.max(a.length, b.length);
    return len > 0 && editDistance(a, b, (int) Math.floor(len * maxGap)) >= 0;
  }

  /**
   * The Levenshtein distance of two code point sequences if it is at most {@code max}, else -1: the result of
   * Spark's {@link UTF8String#levenshteinDistance(UTF8String, int)} (the built-in {@code levenshtein(a, b, max)}),
   * computed only in the band of cells within {@code max} of the diagonal, and stopped once a whole row is over.
   */
  static int editDistance(int[] a, int[] b, int max) {
    int n = a.length;
    int m = b.length;
    if (max < 0 || Math.abs(n - m) > max) {
      return -1;
    }
    int over = max + 1;
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = Math.min(j, over);
    }
    for (int i = 1; i <= n; i++) {
      int from = Math.max(1, i - max);
      int to = Math.min(m, i + max);
      // Cells outside the band count as over the bound.
      cur[0] = i <= max ? i : over;
      if (from > 1) {
        cur[from - 1] = over;
      }
      int rowMin = cur[0];
      for (int j = from; j <= to; j++) {
        int d = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        cur[j] = Math.min(d, over);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (to < m) {
        cur[to + 1] = over;
      }
      if (rowMin > max) {
        return -1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[m] <= max ? prev[m] : -1;
  }
}
