package nightwatch.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded state of one generated day that is small and shared by all generators: account codes, campaign and
 * viral-group definitions, pools of special accounts, the layout of message and report rows, the rotation of
 * campaign accounts and the ids. Built on the driver and shipped to executors inside the generators; every row is
 * then a pure function of (seed, ds, row number), so output does not depend on partitioning.
 * {@link MessageGenerator}, {@link ReportGenerator} and {@link AccountGenerator} turn it into rows.
 */
final class World implements Serializable {
  private static final long serialVersionUID = 1L;

  // Account codes: tag in the top byte, payload below.
  static final long TAG_ORD = 0, TAG_MEMBER = 1, TAG_CS = 2, TAG_NEWS = 3, TAG_RES = 4, TAG_FLAG = 5,
      TAG_ACT = 6, TAG_BRIG = 7, TAG_EVADER = 8;

  static long code(long tag, long payload) {
    return (tag << 56) | payload;
  }

  static long tag(long code) {
    return code >>> 56;
  }

  static long memberCode(int c, int j, long g) {
    return code(TAG_MEMBER, ((long) c << 28) | ((long) j << 20) | (g & 0xFFFFF));
  }

  static long evaderCode(int c, int j, long g) {
    return code(TAG_EVADER, ((long) c << 28) | ((long) j << 20) | (g & 0xFFFFF));
  }

  static long brigaderCode(long d, int t, int k) {
    return code(TAG_BRIG, ((d & 0xFFFFF) << 28) | ((long) t << 12) | k);
  }

  static final String[] KINDS = {"propaganda", "viral", "news", "research", "counter_speech", "activist",
      "reply", "retweet", "background"};
  static final int SEG_PROP = 0, SEG_VIRAL = 1, SEG_NEWS = 2, SEG_RES = 3, SEG_CS = 4, SEG_ACT = 5,
      SEG_REPLY = 6, SEG_RT = 7, SEG_BG = 8;
  static final int RSEG_BRIG = 0, RSEG_FLAG = 1, RSEG_ACTREP = 2, RSEG_NOISE = 3, RSEG_GENUINE = 4;

  final long seed;
  final long day;
  final long dayStart;
  final long n;
  final long seedDay;
  final long population;
  final Campaign[] campaigns;
  final int[] active; // indices of campaigns active today
  final long[] campStart; // offset of each active campaign inside the propaganda segment
  final int[] campCount;
  final int[] campBursts;
  final long[][] evaders; // per active campaign, evader codes active today
  final Viral[] virals;
  final long[] viralStart;
  final int nCs, nNews, nRes, nFlag, nAct;
  final int[] brigadeTargets; // activist indices brigaded today
  final int[] brigadeSize;
  final long[] brigadeStart; // offsets inside the brigade report segment
  final int[] brigadeWindow; // second of day the brigade starts
  final long[] seg = new long[10];
  final long[] rseg = new long[6];
  final long bgRtPopular;
  final long bgRtStride;
  final boolean links; // plant link campaigns and shared links (LinkPlan) on background rows
  final boolean media; // plant media campaigns and memes (MediaPlan) on background rows

  World(long seed, long day, long n) {
    this(seed, day, n, true, true);
  }

  World(long seed, long day, long n, boolean links, boolean media) {
    if (n < 1000) {
      throw new IllegalArgumentException("messages must be at least 1000, got " + n);
    }
    this.seed = seed;
    this.day = day;
    this.dayStart = day * 86400L;
    this.n = n;
    this.links = links;
    this.media = media;
    this.seedDay = H.h(seed, day, 0xDA7);
    this.population = Math.max(2000, n / 4);

    int nCamp = (int) Math.max(8, Math.round(n / 10000.0));
    campaigns = new Campaign[nCamp];
    int totalProp = 0;
    for (int c = 0; c < nCamp; c++) {
      campaigns[c] = Campaign.build(seed, c);
      totalProp += campaigns[c].nProp;
    }
    nCs = Math.max(3, Math.round(totalProp / 20f));
    nNews = Math.max(5, nCamp / 2);
    nRes = Math.max(3, nCamp / 4);
    nFlag = Math.max(3, Math.min(60, nCamp / 5));
    nAct = (int) Math.max(6, n / 30000);

    active = Arrays.stream(campaigns).filter(cp -> cp.activeOn(day)).mapToInt(cp -> cp.c).toArray();
    campStart = new long[active.length];
    campCount = new int[active.length];
    campBursts = new int[active.length];
    evaders = new long[active.length][];
    long propTotal = planPropaganda();

    int nViral = (int) Math.max(10, n / 4000); // one group per 4,000 messages, at least 10
    virals = new Viral[nViral];
    viralStart = new long[nViral];
    long viralTotal = planVirals();

    brigadeTargets = targetsOn(day, brigadeTargetCount());
    brigadeSize = new int[brigadeTargets.length];
    brigadeStart = new long[brigadeTargets.length];
    brigadeWindow = new int[brigadeTargets.length];
    long brig = planBrigades();

    layoutMessages(propTotal, viralTotal);
    bgRtPopular = Math.max(1, (seg[SEG_RT + 1] - seg[SEG_RT]) / 3);
    bgRtStride = Math.max(1, (seg[SEG_BG + 1] - seg[SEG_BG]) / bgRtPopular);
    layoutReports(brig);
  }

  long totalMessages() {
    return seg[9];
  }

  long totalReports() {
    return rseg[5];
  }

  // ---------------------------------------------------------------- today's plan (driver)

  /** Propaganda: about 3% of messages, split over today's campaigns by weight; returns the segment's size. */
  private long planPropaganda() {
    double wsum = 0;
    for (int c : active) {
      wsum += campaigns[c].weight;
    }
    long propTotal = 0;
    for (int a = 0; a < active.length; a++) {
      Campaign cp = campaigns[active[a]];
      campStart[a] = propTotal;
      campCount[a] = (int) Math.max(12, Math.round(0.03 * n * cp.weight / wsum));
      campBursts[a] = 2 + H.below(H.h(seed, cp.c, day, 31), 4);
      evaders[a] = evadersToday(cp);
      propTotal += campCount[a];
    }
    return propTotal;
  }

  /** Viral groups: about 5% of messages, with heavy-tailed sizes; returns the segment's size. */
  private long planVirals() {
    double[] raw = new double[virals.length];
    double rsum = 0;
    for (int v = 0; v < virals.length; v++) {
      raw[v] = Math.pow(1 - H.u(H.h(seed, day, v, 41)), -1 / 1.3);
      rsum += raw[v];
    }
    long viralTotal = 0;
    for (int v = 0; v < virals.length; v++) {
      virals[v] = Viral.build(seedDay, v, (int) Math.min(2000, Math.max(20, Math.round(raw[v] * 0.05 * n / rsum))));
      viralStart[v] = viralTotal;
      viralTotal += virals[v].size;
    }
    return viralTotal;
  }

  /** Brigades against a few activists; returns the number of brigade reports. */
  private long planBrigades() {
    long brig = 0;
    for (int t = 0; t < brigadeTargets.length; t++) {
      brigadeSize[t] = H.between(H.h(seed, day, brigadeTargets[t], 51), 20, 60);
      brigadeWindow[t] = brigadeWindowOn(day, brigadeTargets[t]);
      brigadeStart[t] = brig;
      brig += brigadeSize[t];
    }
    return brig;
  }

  /** How many activists are brigaded a day. */
  int brigadeTargetCount() {
    return (int) Math.max(2, n / 200000);
  }

  /** Second of day d at which the brigade against activist a starts. */
  int brigadeWindowOn(long d, int a) {
    long hb = H.h(seed, d, a, 51);
    return 3600 + H.below(H.mix(hb), 86400 - 3600 - 1800);
  }

  private void layoutMessages(long propTotal, long viralTotal) {
    long[] counts = new long[9];
    counts[SEG_PROP] = propTotal;
    counts[SEG_VIRAL] = viralTotal;
    counts[SEG_NEWS] = Math.max(20, Math.round(n * 0.004));
    counts[SEG_RES] = Math.max(6, Math.round(n * 0.0006));
    counts[SEG_CS] = Math.max(10, Math.round(n * 0.002));
    counts[SEG_ACT] = nAct * 4L;
    counts[SEG_REPLY] = Math.round(n * 0.04);
    counts[SEG_RT] = Math.round(n * 0.04);
    long used = 0;
    for (int i = 0; i < 8; i++) {
      used += counts[i];
    }
    counts[SEG_BG] = Math.max(n / 2, n - used);
    for (int i = 0; i < 9; i++) {
      seg[i + 1] = seg[i] + counts[i];
    }
  }

  private void layoutReports(long brig) {
    long reports = Math.max(60, n / 200);
    long[] rc = new long[5];
    rc[RSEG_BRIG] = brig;
    rc[RSEG_FLAG] = Math.round(reports * 0.12);
    rc[RSEG_ACTREP] = Math.round(reports * 0.10);
    rc[RSEG_NOISE] = Math.round(reports * 0.15);
    rc[RSEG_GENUINE] = reports - rc[RSEG_FLAG] - rc[RSEG_ACTREP] - rc[RSEG_NOISE]; // brigades come on top
    for (int i = 0; i < 5; i++) {
      rseg[i + 1] = rseg[i] + rc[i];
    }
  }

  // ---------------------------------------------------------------- campaign accounts over time

  /** Group q of a campaign's slots rotates to new accounts every {@code life} days (old ones get suspended). */
  long groupLife(Campaign cp, int q) {
    if (cp.c == 0 && q == 0) {
      return 7; // one weekly-rotating group, so every day has a recent suspension and a ban evader
    }
    return 15 + H.below(H.h(seed, cp.c, q, 61), 100);
  }

  long groupPhase(Campaign cp, int q) {
    return H.below(H.h(seed, cp.c, q, 62), (int) groupLife(cp, q));
  }

  long generation(Campaign cp, int j, long d) {
    int q = j / cp.groupSize;
    return Math.floorDiv(d + groupPhase(cp, q), groupLife(cp, q));
  }

  long generationStart(Campaign cp, int q, long g) {
    return g * groupLife(cp, q) - groupPhase(cp, q);
  }

  long member(Campaign cp, int j, long d) {
    return memberCode(cp.c, j, generation(cp, j, d));
  }

  /** When the occupant of slot j in generation g was suspended: the day before its group rotated. */
  long suspensionSec(Campaign cp, int j, long g) {
    int q = j / cp.groupSize;
    long end = generationStart(cp, q, g + 1);
    long h = H.h(seed, cp.c, q, g, 151);
    return (end - 1) * 86400 + H.below(h, 10) * 3600L + (j % cp.groupSize) * 97L;
  }

  /** Evaders active today: a new account for two thirds of the groups suspended 0-6 days ago. */
  private long[] evadersToday(Campaign cp) {
    List<Long> out = new ArrayList<>();
    int groups = (cp.slots + cp.groupSize - 1) / cp.groupSize;
    for (int q = 0; q < groups; q++) {
      int j0 = q * cp.groupSize;
      long g = generation(cp, j0, day);
      long start = generationStart(cp, q, g);
      if (day - start <= 6 && (cp.c == 0 && q == 0 || H.below(H.h(seed, cp.c, q, g, 63), 3) != 0)) {
        out.add(evaderCode(cp.c, j0, g));
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** Activists brigaded on day d (role brigade_target: activist index not divisible by 3). */
  int[] targetsOn(long d, int k) {
    List<Integer> pool = new ArrayList<>();
    for (int a = 0; a < nAct; a++) {
      if (a % 3 != 0) {
        pool.add(a);
      }
    }
    pool.sort(Comparator.comparingLong(a -> H.h(seed, d, a, 71)));
    return pool.subList(0, Math.min(k, pool.size())).stream().mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------- ids, rows and accounts shared by generators

  String messageId(long r) {
    return Long.toUnsignedString(H.mix((day << 36) + r + H.mix(seed)));
  }

  String accountId(long code) {
    return Long.toUnsignedString(H.mix(code + H.mix(seed ^ 0x5EED)));
  }

  String reportId(long r) {
    return "r" + Long.toUnsignedString(H.mix((day << 36) + r + H.mix(seed ^ 0x4E9)), 36);
  }

  /** The segment (of k, laid out by {@code starts}) that holds row r. */
  static int segmentOf(long[] starts, int k, long r) {
    for (int i = 0; i < k; i++) {
      if (r < starts[i + 1]) {
        return i;
      }
    }
    throw new IllegalArgumentException("row out of range: " + r);
  }

  /** The bucket (campaign, viral group, brigade) whose start offset is the last at or before {@code local}. */
  static int bucket(long[] starts, long local) {
    int i = Arrays.binarySearch(starts, local);
    return i >= 0 ? i : -i - 2;
  }

  /** Whether background row {@code local} is one that background retweets point at. */
  boolean retweetedBackground(long local) {
    return local % bgRtStride == 0 && local / bgRtStride < bgRtPopular;
  }

  /** Keeps a derived time (a reaction some time after its source) inside the day. */
  long clampSec(long sec) {
    return Math.min(Math.max(sec, dayStart), dayStart + 86399);
  }

  /** A propaganda row of today picked by {@code salt}: what reactions and reports point at. */
  long randomPropRow(long salt) {
    return seg[SEG_PROP] + Long.remainderUnsigned(H.h(seedDay, salt, 0x9A), seg[SEG_PROP + 1] - seg[SEG_PROP]);
  }

  int ordinaryLang(long code) {
    double u = H.u(H.h(seed, code, 0x1A));
    return u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
  }

  /** An ordinary account, the low codes far more often: a few accounts post, mention and report a lot. */
  long zipfOrdinary(SplittableRandom r) {
    double u = r.nextDouble();
    return code(TAG_ORD, (long) (population * u * u * u));
  }
}
