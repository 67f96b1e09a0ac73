package nightwatch.stages.cluster;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import nightwatch.spark.Lookahead;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Per-cluster spread and content: size, accounts, time span, the most accounts posting within a short and
 * a long window (tumbling windows), languages, hashtags, domains, representative text, the share of
 * young and of already-suspended accounts, and the most of its accounts created within one creation window of
 * each other (sliding: sockpuppets are registered in batches, organic posters years apart).
 */
public final class ClusterStats {
  private ClusterStats() {}

  public static final int TOP_N = 5;
  public static final int REPRESENTATIVE_CHARS = 280;

  /**
   * @param clustered   output of ClusterBuilder.assign (needs cluster_id, component, account_id, doc_id, message_id,
   *                    created_at, text, lang, hashtags, domains)
   * @param accounts    account_id, created_at
   * @param suspensions account_id, reinstated_at
   */
  public static Dataset<Row> compute(Dataset<Row> clustered, Dataset<Row> accounts, Dataset<Row> suspensions,
                                     LocalDate ds, int youngDays, int shortWindowSeconds, int longWindowSeconds,
                                     int creationWindowSeconds) {
    // Grouped, windowed and joined by the component (a long, one per cluster), not by cluster_id: every cluster_id
    // of a day starts with the same 8 characters (the date), so a sort on it never settles on its 8-byte prefix
    // and compares whole strings.
    Dataset<Row> content = content(clustered, shortWindowSeconds, longWindowSeconds);

    Column youngSince = lit(ds.minusDays(youngDays) + "T00:00:00Z").cast("timestamp");
    Dataset<Row> active = suspensions.filter(col("reinstated_at").isNull()).select("account_id").distinct()
        .withColumn("_suspended", lit(1.0));
    // Accounts of the cluster created in [this account's creation, + window): unknown creation times count 0.
    Column createdWithin = when(col("_acct_created").isNull(), lit(0L)).otherwise(count(col("_acct_created"))
        .over(Window.partitionBy("component").orderBy(unix_seconds(col("_acct_created")))
            .rangeBetween(0, creationWindowSeconds - 1L)));
    // One row per (cluster, account): the distinct accounts are its row count. A cluster's kind and link depend on its
    // component alone, so they ride along as grouping keys (as a media cluster's hash). Rows without them (built before link clusters) are text.
    List<String> cols = List.of(clustered.columns());
    Column kind = cols.contains("kind") ? col("kind") : lit(ClusterBuilder.TEXT);
    Column link = cols.contains("link") ? col("link") : lit(null).cast("string");
    Column media = cols.contains("media_hash") ? col("media_hash") : lit(null).cast("string");
    Dataset<Row> acc = clustered.select(col("component"), kind.as("kind"), link.as("link"), media.as("media_hash"),
            col("account_id")).distinct()
        .join(accounts.select(col("account_id"), col("created_at").as("_acct_created")), "account_id", "left")
        .join(active, "account_id", "left")
        .withColumn("_created_within", createdWithin)
        .groupBy("component", "kind", "link", "media_hash").agg(
            count(lit(1)).as("distinct_accounts"),
            avg(when(col("_acct_created").geq(youngSince), 1.0).otherwise(0.0)).as("young_account_share"),
            avg(coalesce(col("_suspended"), lit(0.0))).as("suspended_account_share"),
            max("_created_within").as("max_accounts_created_together"));

    return content.join(acc, "component")
        .select("cluster_id", "kind", "link", "media_hash", "messages", "distinct_accounts", "distinct_texts", "first_seen", "last_seen",
            "representative_text", "max_accounts_60s", "max_accounts_1h", "young_account_share",
            "suspended_account_share", "max_accounts_created_together", "languages", "top_hashtags", "top_domains");
  }

  /**
   * Every per-cluster figure that needs no account attribute, from one shuffle of the clustered messages by component
   * and one walk over each component's rows ({@link Content}), not a scan, shuffles and a join per figure (the
   * distinct counts and top lists would each need their own).
   */
  static Dataset<Row> content(Dataset<Row> clustered, int shortWindowSeconds, int longWindowSeconds) {
    return clustered
        .select(col("component"), col("cluster_id"), col("doc_id"),
            // Accounts by their 64-bit hash, as ClusterBuilder counts them (two accounts of a cluster share one with
            // odds about k^2 / 2^65).
            xxhash64(col("account_id")).as("account"), unix_micros(col("created_at")).as("at"), col("message_id"),
            col("text"), coalesce(col("lang"), lit("und")).as("lang"), col("hashtags"), col("domains"))
        .repartition(col("component"))
        .sortWithinPartitions("component")
        .mapPartitions(new Content(shortWindowSeconds, longWindowSeconds), Encoders.row(Content.OUT))
        .select(col("component"), col("cluster_id"), col("messages"), col("distinct_texts"),
            timestamp_micros(col("first_us")).as("first_seen"), timestamp_micros(col("last_us")).as("last_seen"),
            col("representative_text"), col("max_accounts_60s"), col("max_accounts_1h"), col("languages"),
            col("top_hashtags"), col("top_domains"));
  }

  /**
   * Over rows (component, cluster_id, doc_id, account hash, created_at in microseconds, message_id, text, lang,
   * hashtags, domains) sorted by component: one row of figures per component, as the aggregates computed them:
   * <ul>
   *   <li>messages; distinct texts (doc ids); first and last time (nulls ignored);
   *   <li>the representative text: that of the least (created_at, message_id), nulls first, cut to
   *       {@link #REPRESENTATIVE_CHARS} code points;
   *   <li>the most distinct accounts in one tumbling window of each size ({@code floor(seconds / size)}; rows without
   *       a time form one window of their own);
   *   <li>the {@link #TOP_N} most frequent languages, hashtags and domains, ties by item in code-point order (the
   *       order of their UTF-8 bytes); null lists for a cluster without any hashtag or domain.
   * </ul>
   * Only the doc ids, account hashes and times of the component being walked are buffered, as primitive arrays.
   */
  static final class Content implements MapPartitionsFunction<Row, Row> {
    static final StructType OUT = new StructType()
        .add("component", DataTypes.LongType, false)
        .add("cluster_id", DataTypes.StringType, true)
        .add("messages", DataTypes.LongType, false)
        .add("distinct_texts", DataTypes.LongType, false)
        .add("first_us", DataTypes.LongType, true)
        .add("last_us", DataTypes.LongType, true)
        .add("representative_text", DataTypes.StringType, true)
        .add("max_accounts_60s", DataTypes.LongType, false)
        .add("max_accounts_1h", DataTypes.LongType, false)
        .add("languages", DataTypes.createArrayType(DataTypes.StringType, true), true)
        .add("top_hashtags", DataTypes.createArrayType(DataTypes.StringType, true), true)
        .add("top_domains", DataTypes.createArrayType(DataTypes.StringType, true), true);

    private final int shortSeconds;
    private final int longSeconds;

    Content(int shortSeconds, int longSeconds) {
      this.shortSeconds = shortSeconds;
      this.longSeconds = longSeconds;
    }

    /** Each component's row as soon as its last row is read: nothing of a finished component is kept. */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Lookahead<>() {
        Walk w;

        @Override
        protected Row advance() {
          while (rows.hasNext()) {
            Row r = rows.next();
            long component = r.getLong(0);
            Row done = null;
            if (w != null && w.component != component) {
              done = w.result(shortSeconds, longSeconds);
              w = null;
            }
            if (w == null) {
              w = new Walk(component, r.getString(1));
            }
            w.add(r);
            if (done != null) {
              return done;
            }
          }
          if (w == null) {
            return null;
          }
          Row last = w.result(shortSeconds, longSeconds);
          w = null;
          return last;
        }
      };
    }
  }

  /** One component's running figures. */
  private static final class Walk {
    final long component;
    final String clusterId;
    int n;
    long[] docs = new long[16];
    long[] accounts = new long[16];
    long[] times = new long[16];
    boolean[] timed = new boolean[16];
    Long first;
    Long last;
    boolean hasBest;
    Long bestTime;
    String bestId;
    String bestText;
    final Map<String, long[]> langs = new HashMap<>();
    final Map<String, long[]> tags = new HashMap<>();
    final Map<String, long[]> domains = new HashMap<>();

    Walk(long component, String clusterId) {
      this.component = component;
      this.clusterId = clusterId;
    }

    void add(Row r) {
      if (n == docs.length) {
        int m = 2 * n;
        docs = Arrays.copyOf(docs, m);
        accounts = Arrays.copyOf(accounts, m);
        times = Arrays.copyOf(times, m);
        timed = Arrays.copyOf(timed, m);
      }
      docs[n] = r.getLong(2);
      accounts[n] = r.getLong(3);
      Long at = r.isNullAt(4) ? null : r.getLong(4);
      timed[n] = at != null;
      times[n] = at == null ? 0 : at;
      n++;
      if (at != null) {
        first = first == null ? at : Math.min(first, at);
        last = last == null ? at : Math.max(last, at);
      }
      String id = r.getString(5);
      if (!hasBest || earlier(at, id, bestTime, bestId)) {
        hasBest = true;
        bestTime = at;
        bestId = id;
        bestText = r.getString(6);
      }
      tally(langs, r.getString(7));
      countAll(tags, r, 8);
      countAll(domains, r, 9);
    }

    Row result(int shortSeconds, int longSeconds) {
      int[] byTime = byTime();
      return RowFactory.create(component, clusterId, (long) n, distinct(docs, 0, n), first, last, cut(bestText),
          maxAccountsInWindow(shortSeconds, byTime), maxAccountsInWindow(longSeconds, byTime), top(langs), top(tags),
          top(domains));
    }

    /**
     * The most distinct accounts in one window: the timed rows in time order, then each window's run of them counted
     * (windows follow the time, so a window's rows are adjacent).
     */
    private long maxAccountsInWindow(int seconds, int[] byTime) {
      long[] buf = untimedAccounts();
      long best = distinct(buf, 0, buf.length);
      buf = new long[n];
      int i = 0;
      while (i < byTime.length) {
        long w = window(byTime[i], seconds);
        int m = 0;
        while (i < byTime.length && window(byTime[i], seconds) == w) {
          buf[m++] = accounts[byTime[i++]];
        }
        best = Math.max(best, distinct(buf, 0, m));
      }
      return best;
    }

    /** floor(unix_seconds(created_at) / seconds), as the aggregate grouped the rows. */
    private long window(int row, int seconds) {
      return Math.floorDiv(Math.floorDiv(times[row], 1_000_000L), (long) seconds);
    }

    /** The rows with a time, in time order. */
    private int[] byTime() {
      Integer[] idx = new Integer[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (timed[i]) {
          idx[k++] = i;
        }
      }
      Integer[] t = Arrays.copyOf(idx, k);
      Arrays.sort(t, (a, b) -> Long.compare(times[a], times[b]));
      int[] order = new int[k];
      for (int i = 0; i < k; i++) {
        order[i] = t[i];
      }
      return order;
    }

    private long[] untimedAccounts() {
      long[] a = new long[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (!timed[i]) {
          a[k++] = accounts[i];
        }
      }
      return Arrays.copyOf(a, k);
    }
  }

  /** Distinct values of {@code a[from, to)} (sorted in place). */
  private static long distinct(long[] a, int from, int to) {
    Arrays.sort(a, from, to);
    long d = 0;
    for (int i = from; i < to; i++) {
      if (i == from || a[i] != a[i - 1]) {
        d++;
      }
    }
    return d;
  }

  /** (at, id) before (bestAt, bestId), nulls first in each, as Spark orders the struct min_by compares. */
  private static boolean earlier(Long at, String id, Long bestAt, String bestId) {
    int c = at == null ? (bestAt == null ? 0 : -1) : (bestAt == null ? 1 : Long.compare(at, bestAt));
    if (c != 0) {
      return c < 0;
    }
    if (id == null || bestId == null) {
      return id == null && bestId != null;
    }
    return CODE_POINTS.compare(id, bestId) < 0;
  }

  /** The first {@link #REPRESENTATIVE_CHARS} code points, as Spark's substring counts characters. */
  private static String cut(String s) {
    if (s == null || s.codePointCount(0, s.length()) <= REPRESENTATIVE_CHARS) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, REPRESENTATIVE_CHARS));
  }

  private static void tally(Map<String, long[]> counts, String item) {
    counts.computeIfAbsent(item, k -> new long[1])[0]++;
  }

  private static void countAll(Map<String, long[]> counts, Row r, int field) {
    if (r.isNullAt(field)) {
      return;
    }
    for (Object item : r.getList(field)) {
      tally(counts, (String) item);
    }
  }

  /** The TOP_N most frequent items, most frequent first (ties by item, null first); null when there is none. */
  private static scala.collection.immutable.Seq<String> top(Map<String, long[]> counts) {
    if (counts.isEmpty()) {
      return null;
    }
    List<Map.Entry<String, long[]>> e = new ArrayList<>(counts.entrySet());
    e.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(x -> -x.getValue()[0])
        .thenComparing(Map.Entry::getKey, Comparator.nullsFirst(CODE_POINTS)));
    List<String> items = new ArrayList<>();
    for (int i = 0; i < Math.min(TOP_N, e.size()); i++) {
      items.add(e.get(i).getKey());
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(items).toList();
  }

  /** Strings by code point, the order of their UTF-8 bytes (Spark's string order). */
  private static final Comparator<String> CODE_POINTS = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  };
}
