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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Scored (young, suspended) pairs when the suspended accounts are few: their handle keys and the fields the
 * comparisons need go to every task as one sorted index, and each young account's candidates are found, made
 * distinct and scored in its own task. No pair is shuffled or turned into a Spark row unless it is a link
 * candidate: the band join gives many times more rows than distinct pairs, and few of those pairs have a similar
 * handle, fewer still one more signal.
 *
 * <p>The similarities are those of {@link BanEvasionLinker}'s Spark expressions, computed on the same columns
 * (lower case, look-alike form, lower-case display name, description words): 1 - Levenshtein distance / longer
 * length in code points ({@link #editDistance}, the built-in {@code levenshtein}), word-set Jaccard, each rounded
 * to 3 places half up as {@code round} does. The distances are bounded by what the minimum similarity allows and
 * computed in full only for a pair that is kept.
 */
final class HandleCandidates {
  private HandleCandidates() {}

  /** The minimum similarities of a link. */
  record Thresholds(double minHandle, double minName, double minDescription) implements Serializable {}

  /**
   * The most edits, as a share of the longer length, that a similarity of at least {@code min} allows once rounded
   * to 3 places (hence the slack), as in {@link BanEvasionLinker}.
   */
  static double gap(double min) {
    return 1 - min + 0.001;
  }

  /** Columns of the young rows that {@link #find} reads. */
  static final List<String> YOUNG = List.of("n_id", "n_lh", "n_uh", "n_ln", "n_w", "n_created_us", "n_campaigns",
      "band_keys");
  /** Columns of the suspended rows that {@link #find} reads. */
  static final List<String> SUSPENDED = List.of("s_id", "s_lh", "s_uh", "s_ln", "s_w", "suspended_us",
      "s_campaigns", "band_keys");
  static final StructType OUT = new StructType()
      .add("n_id", DataTypes.StringType, false)
      .add("s_id", DataTypes.StringType, false)
      .add("handle_similarity", DataTypes.DoubleType, false)
      .add("name_similarity", DataTypes.DoubleType, false)
      .add("description_similarity", DataTypes.DoubleType, false);

  /**
   * @param young     {@link #YOUNG}: ids, lower-case and look-alike handles, lower-case display name, description
   *                  words, creation time (micros), whether the account posted in a campaign today, handle keys
   * @param suspended {@link #SUSPENDED}, with the suspension time and whether the account posted in a campaign
   *                  before; read to the driver, so the caller passes it only when it is known to be small
   * @return n_id, s_id and the rounded handle, name and description similarities of each pair that can be a link:
   *         created at or after the suspension, handle similarity at least the minimum, and a name or description
   *         similarity at least its minimum or both accounts in some campaign (the caller checks for a common one)
   */
  static Dataset<Row> find(Dataset<Row> young, Dataset<Row> suspended, Thresholds t) {
    Index index = Index.of(suspended.select(SUSPENDED.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new)).collectAsList());
    Broadcast<Index> b = young.sparkSession().sparkContext().broadcast(index,
        scala.reflect.ClassTag$.MODULE$.apply(Index.class));
    return young.select(YOUNG.stream().map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new))
        .mapPartitions((MapPartitionsFunction<Row, Row>) rows -> pairs(rows, b.value(), t), Encoders.row(OUT));
  }

  /** The suspended accounts, and their band keys as a sorted key array with each key's accounts (CSR). */
  record Index(String[] ids, String[] lh, String[] uh, String[] ln, String[][] words, long[] suspendedUs,
               boolean[] campaigns, long[] keys, int[] start, int[] members) implements Serializable {
    /** @param rows {@link #SUSPENDED}, in that order */
    static Index of(List<Row> rows) {
      int n = rows.size();
      String[] ids = new String[n];
      String[] lh = new String[n];
      String[] uh = new String[n];
      String[] ln = new String[n];
      String[][] words = new String[n][];
      long[] at = new long[n];
      boolean[] campaigns = new boolean[n];
      int total = 0;
      for (int i = 0; i < n; i++) {
        Row r = rows.get(i);
        ids[i] = r.getString(0);
        lh[i] = r.getString(1);
        uh[i] = r.getString(2);
        ln[i] = r.isNullAt(3) ? null : r.getString(3);
        words[i] = r.<String>getList(4).toArray(new String[0]);
        at[i] = r.getLong(5);
        campaigns[i] = r.getBoolean(6);
        total += r.getList(7).size();
      }
      // Every (key, account) entry, then the distinct keys sorted, each with its run of accounts in members.
      long[] all = new long[total];
      int[] owner = new int[total];
      int k = 0;
      for (int i = 0; i < n; i++) {
        for (Object key : rows.get(i).getList(7)) {
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
      return new Index(ids, lh, uh, ln, words, at, campaigns, keys, start, members);
    }
  }

  /**
   * A string as its code points, the same sorted, and the set of its characters as 64 bits (each code point hashed to
   * one bit), for two lower bounds of the Levenshtein distance that cost far less than the distance:
   * <ul>
   *   <li>an edit changes the set by at most two bits (a substitution removes one and adds one), so two strings whose
   *       sets differ in k bits are at least ceil(k / 2) edits apart (one xor);</li>
   *   <li>a deletion or a substitution removes one character of a's multiset and an insertion or a substitution adds
   *       one of b's, so a's characters missing from b, and b's missing from a, are each at most the distance (one
   *       merge of the sorted code points).</li>
   * </ul>
   */
  record Chars(int[] cp, int[] sorted, long set) {
    static Chars of(String s) {
      return s == null ? null : of(s.codePoints().toArray());
    }

    static Chars of(int[] cp) {
      long set = 0;
      for (int c : cp) {
        set |= 1L << ((c * 0x9E3779B9) >>> 26);
      }
      int[] sorted = cp.clone();
      Arrays.sort(sorted);
      return new Chars(cp, sorted, set);
    }

    /** Whether the distance to {@code o} is known to be over {@code max} from the bounds alone. */
    boolean fartherThan(Chars o, int max) {
      return setBound(o) > max || sortedBound(o, max) > max;
    }

    /** The larger of the two bounds (for tests). */
    int minEdits(Chars o) {
      return Math.max(setBound(o), sortedBound(o, Integer.MAX_VALUE));
    }

    private int setBound(Chars o) {
      return setBound(set, o.set);
    }

    /** The fewest edits between two strings with these character sets. */
    static int setBound(long a, long b) {
      return (Long.bitCount(a ^ b) + 1) / 2;
    }

    /** The more of a's characters missing from b and b's missing from a; stops once over {@code cap}. */
    private int sortedBound(Chars o, int cap) {
      int[] a = sorted;
      int[] b = o.sorted;
      int i = 0;
      int j = 0;
      int onlyA = 0;
      int onlyB = 0;
      while (i < a.length && j < b.length && onlyA <= cap && onlyB <= cap) {
        if (a[i] == b[j]) {
          i++;
          j++;
        } else if (a[i] < b[j]) {
          i++;
          onlyA++;
        } else {
          j++;
          onlyB++;
        }
      }
      return Math.max(onlyA + a.length - i, onlyB + b.length - j);
    }
  }

  /** @param young rows of {@link #YOUNG}, in that order */
  static Iterator<Row> pairs(Iterator<Row> young, Index s, Thresholds t) {
    return new Pairs(young, s, t);
  }

  /** The candidate pairs of a task's young accounts, each young account's pairs buffered while it is read. */
  private static final class Pairs implements Iterator<Row> {
    private final Iterator<Row> young;
    private final Index s;
    private final Thresholds t;
    // Code points, decoded once per account: the edit distance on UTF8String decodes every character again for
    // every cell of every pair.
    private final Chars[] lh;
    private final Chars[] uh;
    private final Chars[] ln;
    // The first checks of a pair read flat arrays only: most candidates fail them, and reading each candidate's
    // objects (spread over the heap) cost more than the checks.
    private final int[] lhLen;
    private final int[] uhLen;
    private final long[] lhSet;
    private final long[] uhSet;
    private final double handleGap;
    // The distance's two rows, and the rounded similarities seen so far, reused by every pair of the task.
    private final Scratch rows = new Scratch();
    private final Rounding r3 = new Rounding();
    // seen[i] == stamp: suspended account i was already a candidate of the current young account.
    private final int[] seen;
    private int stamp = 0;
    private final List<Row> buffer = new ArrayList<>();
    private int pos = 0;

    // The young account being read.
    private String id;
    private Chars nlh;
    private Chars nuh;
    private Chars nln;
    private List<String> nwList;
    private java.util.Set<String> nw;
    private boolean nCampaigns;
    private boolean nAlike;

    Pairs(Iterator<Row> young, Index s, Thresholds t) {
      this.young = young;
      this.s = s;
      this.t = t;
      int n = s.ids().length;
      lh = new Chars[n];
      uh = new Chars[n];
      ln = new Chars[n];
      lhLen = new int[n];
      uhLen = new int[n];
      lhSet = new long[n];
      uhSet = new long[n];
      for (int i = 0; i < n; i++) {
        lh[i] = Chars.of(s.lh()[i]);
        uh[i] = Chars.of(s.uh()[i]);
        ln[i] = Chars.of(s.ln()[i]);
        lhLen[i] = lh[i].cp().length;
        uhLen[i] = uh[i].cp().length;
        lhSet[i] = lh[i].set();
        uhSet[i] = uh[i].set();
      }
      handleGap = gap(t.minHandle());
      seen = new int[n];
    }

    @Override
    public boolean hasNext() {
      while (pos == buffer.size() && young.hasNext()) {
        buffer.clear();
        pos = 0;
        read(young.next());
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

    private void read(Row y) {
      int me = ++stamp;
      id = y.getString(0);
      nlh = Chars.of(y.getString(1));
      nuh = Chars.of(y.getString(2));
      nln = y.isNullAt(3) ? null : Chars.of(y.getString(3));
      nw = null;
      nwList = y.getList(4);
      long created = y.getLong(5);
      nCampaigns = y.getBoolean(6);
      nAlike = Arrays.equals(nuh.cp(), nlh.cp());
      for (Object key : y.getList(7)) {
        int p = Arrays.binarySearch(s.keys(), (Long) key);
        if (p < 0) {
          continue;
        }
        for (int m = s.start()[p]; m < s.start()[p + 1]; m++) {
          int i = s.members()[m];
          if (seen[i] == me || created < s.suspendedUs()[i]) {
            continue;
          }
          seen[i] = me;
          if (mayBeNear(nlh, lhLen[i], lhSet[i], handleGap) || mayBeNear(nuh, uhLen[i], uhSet[i], handleGap)) {
            score(i);
          }
        }
      }
    }

    /** Adds the pair with suspended account i to the buffer if it can be a link. */
    private void score(int i) {
      double handle = Math.max(bounded(nlh, lh[i], handleGap, rows),
          nAlike && Arrays.equals(uh[i].cp(), lh[i].cp()) ? -1 : bounded(nuh, uh[i], handleGap, rows));
      if (handle < 0 || r3.of(handle) < t.minHandle()) {
        return;
      }
      double name = nln == null || ln[i] == null ? -1 : bounded(nln, ln[i], gap(t.minName()), rows);
      if (nw == null) {
        nw = new java.util.HashSet<>(nwList);
      }
      double desc = jaccard(nw, s.words()[i]);
      boolean signal = r3.of(Math.max(name, 0)) >= t.minName() || r3.of(desc) >= t.minDescription();
      if (!signal && !(nCampaigns && s.campaigns()[i])) {
        return;
      }
      if (name < 0) {
        // Below the bound, or no name: the evidence still shows the real similarity.
        name = nln == null || ln[i] == null ? 0 : similarity(nln, ln[i], Integer.MAX_VALUE, rows);
      }
      buffer.add(RowFactory.create(id, s.ids()[i], r3.of(handle), r3.of(Math.max(name, 0)), r3.of(desc)));
    }
  }

  /**
   * False when a string of {@code length} code points with the character set {@code set} is known, from the length gap
   * and the sets alone, to be farther from {@code a} than {@code maxGap} of the longer length allows.
   */
  static boolean mayBeNear(Chars a, int length, long set, double maxGap) {
    int len = Math.max(a.cp().length, length);
    int max = (int) Math.floor(len * maxGap);
    return len > 0 && Math.abs(a.cp().length - length) <= max && Chars.setBound(a.set(), set) <= max;
  }

  /**
   * {@link #round3}, remembered by value: a similarity is a ratio of two small counts, so a task sees few distinct
   * values, and the decimal rounding is costly next to the rest of a pair's work.
   */
  static final class Rounding {
    private static final int SIZE = 4096;
    private final long[] keys = new long[SIZE];
    private final double[] values = new double[SIZE];
    private final boolean[] used = new boolean[SIZE];

    double of(double x) {
      long bits = Double.doubleToRawLongBits(x);
      int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> 52);
      if (!used[slot] || keys[slot] != bits) {
        keys[slot] = bits;
        values[slot] = round3(x);
        used[slot] = true;
      }
      return values[slot];
    }
  }

  /** The two rows of an edit distance, grown as longer strings come. */
  static final class Scratch {
    private int[] prev = new int[32];
    private int[] cur = new int[32];

    void fit(int length) {
      if (prev.length < length) {
        prev = new int[length];
        cur = new int[length];
      }
    }
  }

  /**
   * 1 - Levenshtein distance / longer length when the distance is within {@code maxGap} of the longer length, else
   * -1 (also for two empty strings, which have no similarity).
   */
  static double bounded(int[] a, int[] b, double maxGap) {
    return bounded(Chars.of(a), Chars.of(b), maxGap, new Scratch());
  }

  static double bounded(Chars a, Chars b, double maxGap, Scratch rows) {
    return similarity(a, b, (int) Math.floor(Math.max(a.cp().length, b.cp().length) * maxGap), rows);
  }

  /** 1 - distance / longer length if the distance is at most {@code max}, else -1 (also for two empty strings). */
  static double similarity(int[] a, int[] b, int max) {
    return similarity(Chars.of(a), Chars.of(b), max, new Scratch());
  }

  static double similarity(Chars a, Chars b, int max, Scratch rows) {
    int len = Math.max(a.cp().length, b.cp().length);
    if (len == 0) {
      return -1;
    }
    int bound = Math.min(max, len);
    if (a.fartherThan(b, bound)) {
      return -1;
    }
    rows.fit(b.cp().length + 1);
    int d = editDistance(a.cp(), b.cp(), bound, rows.prev, rows.cur);
    return d < 0 ? -1 : 1.0 - (double) d / len;
  }

  /** |a ∩ b| / |a ∪ b| of two sets of distinct words (as array_intersect and array_union); 0 when both are empty. */
  static double jaccard(java.util.Set<String> a, String[] b) {
    int common = 0;
    for (String w : b) {
      if (a.contains(w)) {
        common++;
      }
    }
    int union = a.size() + b.length - common;
    return union == 0 ? 0 : (double) common / union;
  }

  /** Spark's {@code round(x, 3)} on a double: half up on the decimal form. */
  static double round3(double x) {
    return java.math.BigDecimal.valueOf(x).setScale(3, java.math.RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * The Levenshtein distance of two code point sequences if it is at most {@code max}, else -1: the result of
   * Spark's {@link UTF8String#levenshteinDistance(UTF8String, int)} (the built-in {@code levenshtein(a, b, max)}),
   * computed only in the band of cells within {@code max} of the diagonal, and stopped once a whole row is over.
   */
  static int editDistance(int[] a, int[] b, int max) {
    return editDistance(a, b, max, new int[b.length + 1], new int[b.length + 1]);
  }

  /** As above, in the given rows (each at least b.length + 1 long). */
  static int editDistance(int[] a, int[] b, int max, int[] prev, int[] cur) {
    int n = a.length;
    int m = b.length;
    if (max < 0 || Math.abs(n - m) > max) {
      return -1;
    }
    int over = max + 1;
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
