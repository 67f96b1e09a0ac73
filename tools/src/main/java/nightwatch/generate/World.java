package nightwatch.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything about one generated day that is small: campaign and viral-group definitions, pools of special
 * accounts and the layout of message and report rows. Built on the driver and shipped to executors in the
 * task closure; every row is then a pure function of (seed, ds, row number), so output does not depend on
 * partitioning. Account profiles are a pure function of (seed, account code), so ids, handles and creation
 * times stay stable across days.
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

  static final String[] KINDS = {"propaganda", "viral", "news", "research", "counter_speech", "activist",
      "reply", "retweet", "background"};
  static final int SEG_PROP = 0, SEG_VIRAL = 1, SEG_NEWS = 2, SEG_RES = 3, SEG_CS = 4, SEG_ACT = 5,
      SEG_REPLY = 6, SEG_RT = 7, SEG_BG = 8;
  static final int RSEG_BRIG = 0, RSEG_FLAG = 1, RSEG_ACTREP = 2, RSEG_NOISE = 3, RSEG_GENUINE = 4;

  /** A planted propaganda campaign (fixed for a seed and pool size). */
  static final class Campaign implements Serializable {
    private static final long serialVersionUID = 1L;
    int c;
    String id;
    int lang;
    String[][] seedTokens; // per seed, in seedLang
    int[] seedLang;
    String[][] transTokens; // per seed, null if no translation-like variant
    int[] transLang;
    int[] linkPos; // index of the link token in seedTokens[s]; transTokens keep the link last
    String[] hashtags;
    String[] domains;
    int slots;
    int nProp;
    int groupSize;
    double weight;
    int period;
    int activeLen;
    int phase;
    boolean known;
    String label;

    boolean activeOn(long day) {
      if (c < 2) {
        return true; // two campaigns run every day, so every day has propaganda
      }
      return Math.floorMod(day + phase, period) < activeLen;
    }
  }

  /** A benign viral group: one text shared by many ordinary and news accounts. */
  static final class Viral implements Serializable {
    private static final long serialVersionUID = 1L;
    int lang;
    String text;
    int type;
    int size;
    int start;
    int spread;
  }

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

  World(long seed, long day, long n) {
    if (n < 1000) {
      throw new IllegalArgumentException("messages must be at least 1000, got " + n);
    }
    this.seed = seed;
    this.day = day;
    this.dayStart = day * 86400L;
    this.n = n;
    this.seedDay = H.h(seed, day, 0xDA7);
    this.population = Math.max(2000, n / 4);

    int nCamp = (int) Math.max(8, Math.round(n / 10000.0));
    campaigns = new Campaign[nCamp];
    int totalProp = 0;
    for (int c = 0; c < nCamp; c++) {
      campaigns[c] = buildCampaign(c);
      totalProp += campaigns[c].nProp;
    }
    nCs = Math.max(3, Math.round(totalProp / 20f));
    nNews = Math.max(5, nCamp / 2);
    nRes = Math.max(3, nCamp / 4);
    nFlag = Math.max(3, Math.min(60, nCamp / 5));
    nAct = (int) Math.max(6, n / 30000);

    // Propaganda: about 3% of messages, split over today's campaigns by weight.
    List<Integer> act = new ArrayList<>();
    double wsum = 0;
    for (Campaign cp : campaigns) {
      if (cp.activeOn(day)) {
        act.add(cp.c);
        wsum += cp.weight;
      }
    }
    active = act.stream().mapToInt(Integer::intValue).toArray();
    campStart = new long[active.length];
    campCount = new int[active.length];
    campBursts = new int[active.length];
    evaders = new long[active.length][];
    long propTotal = 0;
    for (int a = 0; a < active.length; a++) {
      Campaign cp = campaigns[active[a]];
      campStart[a] = propTotal;
      campCount[a] = (int) Math.max(12, Math.round(0.03 * n * cp.weight / wsum));
      campBursts[a] = 2 + H.below(H.h(seed, cp.c, day, 31), 4);
      evaders[a] = evadersToday(cp);
      propTotal += campCount[a];
    }

    // Viral groups: about 5% of messages, one group per 4,000 messages (at least 10).
    int nViral = (int) Math.max(10, n / 4000);
    virals = new Viral[nViral];
    double[] raw = new double[nViral];
    double rsum = 0;
    for (int v = 0; v < nViral; v++) {
      raw[v] = Math.pow(1 - H.u(H.h(seed, day, v, 41)), -1 / 1.3);
      rsum += raw[v];
    }
    viralStart = new long[nViral];
    long viralTotal = 0;
    for (int v = 0; v < nViral; v++) {
      virals[v] = buildViral(v, (int) Math.min(2000, Math.max(20, Math.round(raw[v] * 0.05 * n / rsum))));
      viralStart[v] = viralTotal;
      viralTotal += virals[v].size;
    }

    // Brigades against a few activists.
    int nTargets = (int) Math.max(2, n / 200000);
    brigadeTargets = targetsOn(day, nTargets);
    brigadeSize = new int[brigadeTargets.length];
    brigadeStart = new long[brigadeTargets.length];
    brigadeWindow = new int[brigadeTargets.length];
    long brig = 0;
    for (int t = 0; t < brigadeTargets.length; t++) {
      long hb = H.h(seed, day, brigadeTargets[t], 51);
      brigadeSize[t] = H.between(hb, 20, 60);
      brigadeWindow[t] = 3600 + H.below(H.mix(hb), 86400 - 3600 - 1800);
      brigadeStart[t] = brig;
      brig += brigadeSize[t];
    }

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
    bgRtPopular = Math.max(1, counts[SEG_RT] / 3);
    bgRtStride = Math.max(1, counts[SEG_BG] / bgRtPopular);

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

  long totalMessages() {
    return seg[9];
  }

  long totalReports() {
    return rseg[5];
  }

  // ---------------------------------------------------------------- pools (driver)

  private Campaign buildCampaign(int c) {
    SplittableRandom r = H.rng(seed, c, 0xCA3);
    Campaign cp = new Campaign();
    cp.c = c;
    cp.id = String.format("camp%02d", c);
    double lu = r.nextDouble();
    cp.lang = lu < 0.5 ? 1 : lu < 0.8 ? 0 : 2;
    int nTags = 2 + r.nextInt(3);
    cp.hashtags = new String[nTags];
    for (int i = 0; i < nTags; i++) {
      String t = Names.CAMP_TAGS[(c * 7 + i * 5 + r.nextInt(5)) % Names.CAMP_TAGS.length];
      cp.hashtags[i] = r.nextInt(3) == 0 || i > 0 && t.equals(cp.hashtags[i - 1]) ? t + (1 + r.nextInt(30)) : t;
    }
    int nDom = 2 + r.nextInt(2);
    cp.domains = new String[nDom];
    for (int i = 0; i < nDom; i++) {
      cp.domains[i] = r.nextBoolean() ? Names.CAMP_DOMAINS[r.nextInt(Names.CAMP_DOMAINS.length)]
          : Names.DOMAIN_STEMS[r.nextInt(Names.DOMAIN_STEMS.length)] + "-" + Vocab.word(0, 300 + r.nextInt(2000))
              + "." + Names.TLDS[r.nextInt(Names.TLDS.length)];
    }
    int nSeeds = 1 + r.nextInt(3);
    cp.seedTokens = new String[nSeeds][];
    cp.seedLang = new int[nSeeds];
    cp.transTokens = new String[nSeeds][];
    cp.transLang = new int[nSeeds];
    cp.linkPos = new int[nSeeds];
    for (int s = 0; s < nSeeds; s++) {
      int lang = r.nextInt(4) == 0 ? r.nextInt(3) : cp.lang;
      cp.seedLang[s] = lang;
      cp.seedTokens[s] = seedText(lang, cp, r, 12 + r.nextInt(19));
      cp.linkPos[s] = cp.seedTokens[s].length - 1;
      cp.transLang[s] = -1;
      if (r.nextInt(10) < 4) {
        int l2 = (lang + 1 + r.nextInt(2)) % 3;
        cp.transLang[s] = l2;
        cp.transTokens[s] = seedText(l2, cp, r, Math.max(12, cp.seedTokens[s].length - 2 + r.nextInt(5)));
      }
    }
    cp.slots = 10 + r.nextInt(71);
    cp.nProp = Math.max(2, (int) Math.round(cp.slots * (0.15 + 0.1 * r.nextDouble())));
    cp.groupSize = 4 + r.nextInt(5);
    cp.weight = Math.pow(1 - r.nextDouble(), -0.7);
    cp.period = 20 + r.nextInt(41);
    cp.activeLen = (int) (cp.period * (0.7 + 0.25 * r.nextDouble()));
    cp.phase = r.nextInt(cp.period);
    cp.known = c == 0 || (c != 1 && r.nextBoolean());
    cp.label = Names.LABELS[r.nextInt(Names.LABELS.length)];
    return cp;
  }

  /** Seed text: slogan words, ordinary words, the campaign's hashtags, and a link token last. */
  private static String[] seedText(int lang, Campaign cp, SplittableRandom r, int words) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      t.add(r.nextInt(10) < 4 ? Vocab.theme(lang, r) : Vocab.zipf(lang, r));
    }
    if (r.nextInt(3) == 0) {
      t.add(0, Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
    }
    int tags = 1 + r.nextInt(Math.min(3, cp.hashtags.length));
    for (int i = 0; i < tags; i++) {
      t.add(cp.hashtags[i]);
    }
    t.add("https://" + cp.domains[0] + "/" + H.base62(r.nextLong(), 7));
    return t.toArray(new String[0]);
  }

  private Viral buildViral(int v, int size) {
    SplittableRandom r = H.rng(seedDay, v, 0x7A1);
    Viral g = new Viral();
    double lu = r.nextDouble();
    g.lang = lu < 0.6 ? 0 : lu < 0.8 ? 1 : 2;
    g.type = r.nextInt(4);
    g.size = size;
    g.start = r.nextInt(86400 - 4 * 3600);
    g.spread = 3 * 3600 + r.nextInt(86400 - g.start - 3 * 3600);
    StringBuilder sb = new StringBuilder();
    int l = g.lang;
    switch (g.type) {
      case 0 -> {
        String[][] pre = {{"BREAKING:", "JUST IN:", "Update:"}, {"عاجل:", "خبر عاجل |", "الآن:"},
            {"URGENT :", "Dernière minute :", "Info :"}};
        sb.append(pre[l][r.nextInt(3)]);
        words(sb, l, r, 9 + r.nextInt(7));
        if (r.nextBoolean()) {
          sb.append(" https://").append(Vocab.NEWS_DOMAINS[r.nextInt(Vocab.NEWS_DOMAINS.length)]).append('/')
              .append(H.base62(r.nextLong(), 9));
        }
      }
      case 1 -> {
        words(sb, l, r, 6 + r.nextInt(7));
        sb.append(' ').append(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]).append(Vocab.EMOJI[r.nextInt(5)]);
        sb.append(" #").append(Vocab.word(l, 20 + r.nextInt(400)));
      }
      case 2 -> {
        String[][] gr = {{"Happy Friday everyone!", "Good morning world", "Eid Mubarak to all"},
            {"جمعة مباركة", "صباح الخير يا أحلى ناس", "عيد مبارك"},
            {"Bon vendredi à tous", "Bonne année", "Bonjour tout le monde"}};
        sb.append(gr[l][r.nextInt(3)]);
        words(sb, l, r, 5 + r.nextInt(5));
        sb.append(' ').append(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
      }
      default -> {
        sb.append("🎶");
        words(sb, l, r, 10 + r.nextInt(7));
        sb.append(" 🎶");
      }
    }
    g.text = sb.toString().trim();
    return g;
  }

  private static void words(StringBuilder sb, int lang, SplittableRandom r, int k) {
    for (int i = 0; i < k; i++) {
      sb.append(' ').append(Vocab.zipf(lang, r));
    }
  }

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

  // ---------------------------------------------------------------- messages (executors)

  /** One generated message with its truth. */
  static final class Msg {
    String id;
    long acct;
    long sec;
    String text;
    String lang;
    String replyTo;
    String retweetOf;
    String quoteOf;
    String cluster;
    String kind;
    String campaign;
  }

  String messageId(long r) {
    return Long.toUnsignedString(H.mix((day << 36) + r + H.mix(seed)));
  }

  String accountId(long code) {
    return Long.toUnsignedString(H.mix(code + H.mix(seed ^ 0x5EED)));
  }

  String reportId(long r) {
    return "r" + Long.toUnsignedString(H.mix((day << 36) + r + H.mix(seed ^ 0x4E9)), 36);
  }

  private static int segmentOf(long[] starts, int k, long r) {
    for (int i = 0; i < k; i++) {
      if (r < starts[i + 1]) {
        return i;
      }
    }
    throw new IllegalArgumentException("row out of range: " + r);
  }

  private static int bucket(long[] starts, long local) {
    int i = Arrays.binarySearch(starts, local);
    return i >= 0 ? i : -i - 2;
  }

  private long clampSec(long sec) {
    return Math.min(Math.max(sec, dayStart), dayStart + 86399);
  }

  private static final double[] HOURS = {3, 2, 1.5, 1.2, 1.2, 1.5, 2.5, 4, 5, 5.5, 5.5, 6, 6.5, 6, 6, 6, 6, 6.5, 7,
      7.5, 7.5, 7, 5.5, 4};
  private static final double HOUR_SUM = Arrays.stream(HOURS).sum();

  private long diurnal(SplittableRandom r) {
    double x = r.nextDouble() * HOUR_SUM;
    int h = 0;
    while (h < 23 && x >= HOURS[h]) {
      x -= HOURS[h];
      h++;
    }
    return dayStart + h * 3600L + r.nextInt(3600);
  }

  private String langField(int lang, SplittableRandom r) {
    if (r.nextInt(100) < 3) {
      return Vocab.LANGS[(lang + 1 + r.nextInt(2)) % 3];
    }
    return Vocab.LANGS[lang];
  }

  int ordinaryLang(long code) {
    double u = H.u(H.h(seed, code, 0x1A));
    return u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
  }

  long zipfOrdinary(SplittableRandom r) {
    double u = r.nextDouble();
    return code(TAG_ORD, (long) (population * u * u * u));
  }

  long randomPropRow(long salt) {
    return seg[SEG_PROP] + Long.remainderUnsigned(H.h(seedDay, salt, 0x9A), seg[SEG_PROP + 1] - seg[SEG_PROP]);
  }

  Msg describe(long r) {
    int s = segmentOf(seg, 9, r);
    long local = r - seg[s];
    SplittableRandom rng = H.rng(seedDay, r, 0x3E5);
    Msg m = new Msg();
    m.id = messageId(r);
    m.acct = acctOf(r);
    switch (s) {
      case SEG_PROP -> propaganda(m, r, local, rng);
      case SEG_VIRAL -> viral(m, r, local, rng);
      case SEG_NEWS -> news(m, r, local, rng);
      case SEG_RES -> research(m, r, local, rng);
      case SEG_CS -> counterSpeech(m, r, local, rng);
      case SEG_ACT -> activist(m, r, local, rng);
      case SEG_REPLY -> reply(m, r, rng);
      case SEG_RT -> bgRetweet(m, local, rng);
      default -> background(m, local, rng);
    }
    return m;
  }

  /**
   * The posting account of row r. Kept apart from the text so the accounts snapshot can be built without
   * generating texts; {@link #describe} uses the same function.
   */
  long acctOf(long r) {
    int s = segmentOf(seg, 9, r);
    long local = r - seg[s];
    switch (s) {
      case SEG_PROP -> {
        int a = bucket(campStart, local);
        Campaign cp = campaigns[active[a]];
        long k = local - campStart[a];
        int p = campCount[a];
        int b = (int) (k * campBursts[a] / p);
        long st = (b * (long) p + campBursts[a] - 1) / campBursts[a];
        long en = ((b + 1) * (long) p + campBursts[a] - 1) / campBursts[a];
        int i = (int) (k - st);
        int nOrig = Math.max(1, Math.min(cp.nProp, (int) (en - st) / 6));
        if (i < nOrig) {
          return member(cp, (i + b) % cp.nProp, day);
        }
        long h = H.h(seedDay, r, 0xE1);
        if (evaders[a].length > 0 && H.below(h, 10) == 0) {
          return evaders[a][H.below(H.mix(h), evaders[a].length)];
        }
        int nAmp = cp.slots - cp.nProp;
        return nAmp > 0 ? member(cp, cp.nProp + (int) ((i - nOrig + b * 7L) % nAmp), day)
            : member(cp, (i + b) % cp.nProp, day);
      }
      case SEG_VIRAL -> {
        int v = bucket(viralStart, local);
        long k = local - viralStart[v];
        long h = H.h(seedDay, r, 0xE3);
        if (virals[v].type == 0 && (k == 0 || H.below(h, 5) == 0)) {
          return code(TAG_NEWS, H.below(H.h(seedDay, v, k, 101), nNews));
        }
        return code(TAG_ORD, (long) (population * Math.pow(H.u(H.mix(h)), 3)));
      }
      case SEG_NEWS -> {
        return code(TAG_NEWS, H.below(H.h(seed, local, 111), nNews));
      }
      case SEG_RES -> {
        return code(TAG_RES, H.below(H.h(seed, local, 121), nRes));
      }
      case SEG_CS -> {
        return code(TAG_CS, H.below(H.h(seed, local, day, 131), nCs));
      }
      case SEG_ACT -> {
        return code(TAG_ACT, local / 4);
      }
      default -> {
        return code(TAG_ORD, (long) (population * Math.pow(H.u(H.h(seedDay, r, 0xE4)), 3)));
      }
    }
  }

  String[] dayTokens(Campaign cp, int s, boolean trans) {
    String[] base = trans ? cp.transTokens[s] : cp.seedTokens[s];
    int lang = trans ? cp.transLang[s] : cp.seedLang[s];
    String[] t = base.clone();
    // Small drift: every few days one word of the seed differs, and the link changes every day.
    long v = Math.floorDiv(day + cp.c, 3);
    long hv = H.h(seed, cp.c, s, v, 81);
    int p = H.below(hv, Math.max(1, t.length - 1));
    if (!t[p].startsWith("#") && !t[p].startsWith("https://")) {
      t[p] = new SplittableRandom(hv).nextBoolean() ? Vocab.theme(lang, new SplittableRandom(hv + 1))
          : Vocab.zipf(lang, new SplittableRandom(hv + 2));
    }
    long hl = H.h(seed, cp.c, s, day, 82);
    t[t.length - 1] = "https://" + cp.domains[H.below(hl, cp.domains.length)] + "/" + H.base62(hl, 7);
    return t;
  }

  private void propaganda(Msg m, long r, long local, SplittableRandom rng) {
    int a = bucket(campStart, local);
    Campaign cp = campaigns[active[a]];
    long k = local - campStart[a];
    int p = campCount[a];
    int b = (int) (k * campBursts[a] / p);
    long st = (b * (long) p + campBursts[a] - 1) / campBursts[a];
    long en = ((b + 1) * (long) p + campBursts[a] - 1) / campBursts[a];
    int i = (int) (k - st);
    int size = (int) (en - st);
    int nOrig = Math.max(1, Math.min(cp.nProp, size / 6));
    long hb = H.h(seed, cp.c, day, b, 91);
    long burstStart = dayStart + H.below(hb, 86400 - 900);
    int duration = 60 + H.below(H.mix(hb), 541);
    int nAmp = cp.slots - cp.nProp;
    m.campaign = cp.id;
    m.kind = "propaganda";
    if (i < nOrig) {
      int s = (b + i) % cp.seedTokens.length;
      boolean trans = cp.transTokens[s] != null && i % 3 == 2;
      int lang = trans ? cp.transLang[s] : cp.seedLang[s];
      String[] t = dayTokens(cp, s, trans);
      m.text = rng.nextInt(4) == 0 ? Edits.propagandaCopy(t, lang, cp.hashtags, cp.domains, rng) : String.join(" ", t);
      m.lang = langField(lang, rng);
      m.cluster = cp.id + "/s" + s + "/" + Vocab.LANGS[lang];
      m.sec = clampSec(burstStart + i * (3L + rng.nextInt(15)));
      return;
    }
    int io = rng.nextInt(nOrig);
    boolean evader = tag(m.acct) == TAG_EVADER;
    if (evader) {
      m.kind = "evader";
    }
    long t0 = burstStart + 20 + (long) (rng.nextDouble() * duration);
    if (!evader && rng.nextInt(100) < 40) {
      Msg orig = describe(seg[SEG_PROP] + campStart[a] + st + io);
      m.text = "RT @" + handle(orig.acct) + ": " + orig.text;
      m.retweetOf = orig.id;
      m.lang = orig.lang;
      m.cluster = orig.cluster;
      m.sec = clampSec(Math.max(orig.sec + 5, t0));
      return;
    }
    int s = (b + io) % cp.seedTokens.length;
    boolean trans = cp.transTokens[s] != null && io % 3 == 2;
    int lang = trans ? cp.transLang[s] : cp.seedLang[s];
    m.text = Edits.propagandaCopy(dayTokens(cp, s, trans), lang, cp.hashtags, cp.domains, rng);
    m.lang = langField(lang, rng);
    m.cluster = cp.id + "/s" + s + "/" + Vocab.LANGS[lang];
    m.sec = clampSec(t0);
  }

  private void viral(Msg m, long r, long local, SplittableRandom rng) {
    int v = bucket(viralStart, local);
    Viral g = virals[v];
    long k = local - viralStart[v];
    m.kind = "viral";
    m.cluster = String.format("viral%03d", v);
    long start = dayStart + g.start;
    if (k == 0) {
      m.text = g.text;
      m.lang = langField(g.lang, rng);
      m.sec = start;
      return;
    }
    m.sec = clampSec(start + 1 + (long) (g.spread * Math.pow(rng.nextDouble(), 1.5)));
    int mode = rng.nextInt(100);
    if (mode < 35) {
      Msg orig = describe(seg[SEG_VIRAL] + viralStart[v]);
      m.text = "RT @" + handle(orig.acct) + ": " + orig.text;
      m.retweetOf = orig.id;
      m.lang = orig.lang;
    } else {
      m.text = mode < 80 ? g.text : Edits.viralCopy(g.text, rng);
      m.lang = langField(g.lang, rng);
    }
  }

  private static final String[][] CONDEMN = {
      {"This is ISIS propaganda, report it.", "Do not share this. Report the account for terrorist content.",
          "Daesh recruiters at it again. Report and block, don't engage.",
          "Reported. This is recruitment propaganda, not religion.",
          "Please report this account, it spreads terrorist propaganda."},
      {"هذه دعاية إرهابية، بلغوا عن الحساب", "لا تنشروا هذا، داعش لا تمثل الإسلام",
          "حساب يروج للإرهاب، الرجاء الإبلاغ عنه", "هذه دعاية داعش، لا تعيدوا نشرها"},
      {"C'est de la propagande terroriste, signalez-la.",
          "Ne partagez pas ça. Compte signalé pour apologie du terrorisme.",
          "Propagande de Daech, signalez et bloquez.", "Encore un compte de recrutement. Signalez-le."}};
  private static final String[] EXPOSE = {"Accounts linked to Islamic State are spreading this message today:",
      "حسابات مرتبطة بتنظيم الدولة تنشر هذه الرسالة اليوم:", "Des comptes liés à l'État islamique diffusent ce message :"};
  private static final String[] ARCHIVE = {"Archived for research:", "أرشيف لأغراض البحث:",
      "Archivé pour la recherche :"};

  /** A message by {@code acct} reacting to a propaganda message: condemnation, optionally with the full text. */
  private void condemn(Msg m, long r, int lang, SplittableRandom rng, int withTextPct) {
    Msg p = describe(randomPropRow(r));
    m.quoteOf = p.id;
    StringBuilder sb = new StringBuilder(CONDEMN[lang][rng.nextInt(CONDEMN[lang].length)]);
    words(sb, lang, rng, 3 + rng.nextInt(6));
    if (rng.nextInt(100) < withTextPct) {
      sb.append(" \"").append(p.text).append('"');
      m.cluster = p.cluster;
    }
    m.text = sb.toString();
    m.lang = langField(lang, rng);
    m.sec = clampSec(p.sec + 300 + rng.nextInt(4 * 3600));
  }

  private void news(Msg m, long r, long local, SplittableRandom rng) {
    int i = (int) (m.acct & 0xFFFFFF);
    m.kind = "news";
    int lang = i % 3;
    if (rng.nextInt(100) < 8) {
      Msg p = describe(randomPropRow(r));
      m.quoteOf = p.id;
      StringBuilder sb = new StringBuilder(EXPOSE[lang]);
      if (rng.nextBoolean()) {
        sb.append(' ').append(p.text);
        m.cluster = p.cluster;
      } else {
        words(sb, lang, rng, 8 + rng.nextInt(8));
      }
      m.text = sb.toString();
      m.lang = langField(lang, rng);
      m.sec = clampSec(p.sec + 1800 + rng.nextInt(6 * 3600));
      return;
    }
    StringBuilder sb = new StringBuilder();
    words(sb, lang, rng, 10 + rng.nextInt(8));
    sb.append(" https://").append(Vocab.NEWS_DOMAINS[rng.nextInt(Vocab.NEWS_DOMAINS.length)]).append('/')
        .append(H.base62(rng.nextLong(), 9));
    m.text = sb.toString().trim();
    m.lang = langField(lang, rng);
    m.sec = diurnal(rng);
  }

  private void research(Msg m, long r, long local, SplittableRandom rng) {
    int i = (int) (m.acct & 0xFFFFFF);
    m.kind = "research";
    int lang = i % 2 == 0 ? 0 : (i % 4 == 1 ? 1 : 2);
    if (rng.nextInt(100) < 60) {
      Msg p = describe(randomPropRow(r));
      m.text = ARCHIVE[lang] + " " + p.text;
      m.cluster = p.cluster;
      if (rng.nextBoolean()) {
        m.quoteOf = p.id;
      }
      m.lang = langField(lang, rng);
      m.sec = clampSec(p.sec + 600 + rng.nextInt(8 * 3600));
      return;
    }
    StringBuilder sb = new StringBuilder();
    words(sb, lang, rng, 12 + rng.nextInt(10));
    m.text = sb.toString().trim();
    m.lang = langField(lang, rng);
    m.sec = diurnal(rng);
  }

  private void counterSpeech(Msg m, long r, long local, SplittableRandom rng) {
    int i = (int) (m.acct & 0xFFFFFF);
    m.kind = "counter_speech";
    condemn(m, r, i % 3, rng, 30);
  }

  private void activist(Msg m, long r, long local, SplittableRandom rng) {
    int lang = ordinaryLang(m.acct);
    if (rng.nextBoolean()) {
      m.kind = "counter_speech";
      condemn(m, r, lang, rng, 20);
    } else {
      m.kind = "background";
      m.text = backgroundText(lang, rng);
      m.lang = langField(lang, rng);
      m.sec = diurnal(rng);
    }
  }

  private void reply(Msg m, long r, SplittableRandom rng) {
    Msg parent = describe(seg[SEG_BG] + rng.nextLong(seg[SEG_BG + 1] - seg[SEG_BG]));
    int lang = rng.nextInt(5) == 0 ? ordinaryLang(m.acct) : Vocab.langIndex(parent.lang);
    m.kind = "background";
    m.replyTo = parent.id;
    m.text = "@" + handle(parent.acct) + " " + backgroundText(lang, rng);
    m.lang = langField(lang, rng);
    m.sec = clampSec(parent.sec + 30 + rng.nextInt(3 * 3600));
  }

  private void bgRetweet(Msg m, long local, SplittableRandom rng) {
    long target = local < bgRtPopular ? local : (long) (bgRtPopular * Math.pow(rng.nextDouble(), 2));
    Msg orig = describe(seg[SEG_BG] + target * bgRtStride);
    m.kind = "background";
    m.retweetOf = orig.id;
    m.text = "RT @" + handle(orig.acct) + ": " + orig.text;
    m.lang = orig.lang;
    m.cluster = orig.cluster;
    m.sec = clampSec(orig.sec + 10 + rng.nextInt(6 * 3600));
  }

  private void background(Msg m, long local, SplittableRandom rng) {
    int lang = rng.nextInt(10) == 0 ? rng.nextInt(3) : ordinaryLang(m.acct);
    m.kind = "background";
    m.text = backgroundText(lang, rng);
    m.lang = langField(lang, rng);
    m.sec = diurnal(rng);
    if (local % bgRtStride == 0 && local / bgRtStride < bgRtPopular) {
      m.cluster = "bgrt/" + m.id;
    }
  }

  String backgroundText(int lang, SplittableRandom r) {
    int k = 8 + r.nextInt(18);
    List<String> t = new ArrayList<>(k + 4);
    for (int i = 0; i < k; i++) {
      t.add(Vocab.zipf(lang, r));
    }
    if (r.nextInt(100) < 15) {
      t.set(r.nextInt(t.size()), String.valueOf(r.nextInt(10) < 5 ? r.nextInt(100) : 1990 + r.nextInt(40)));
    }
    if (r.nextInt(100) < 25) {
      int rank = (int) Math.exp(r.nextDouble() * Math.log(3000));
      String w = Vocab.word(lang, rank);
      t.add(r.nextInt(t.size() + 1), "#" + (lang == 1 ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1)));
    }
    if (r.nextInt(100) < 20) {
      t.add(r.nextInt(t.size() + 1), "@" + handle(zipfOrdinary(r)));
    }
    if (r.nextInt(100) < 10) {
      t.add("https://" + Vocab.COMMON_DOMAINS[r.nextInt(Vocab.COMMON_DOMAINS.length)] + "/"
          + H.base62(r.nextLong(), 6 + r.nextInt(5)));
    }
    if (r.nextInt(100) < 20) {
      t.add(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
    }
    if (lang != 1 && r.nextInt(100) < 30) {
      String w = t.get(0);
      t.set(0, Character.toUpperCase(w.charAt(0)) + w.substring(1));
    }
    return String.join(" ", t);
  }

  // ---------------------------------------------------------------- reports (executors)

  /** One report: ids, reason, time, and the internal codes of reporter and reported account. */
  static final class Report {
    String id;
    long reporter;
    long reported;
    String messageId;
    String reason;
    long sec;
  }

  private static final String[] GENUINE_REASONS = {"terrorism", "terrorism", "violent_extremism",
      "hateful_conduct", "terrorism"};
  private static final String[] NOISE_REASONS = {"spam", "harassment", "other", "spam", "impersonation",
      "terrorism"};

  Report report(long r) {
    int s = segmentOf(rseg, 5, r);
    long local = r - rseg[s];
    SplittableRandom rng = H.rng(seedDay, r, 0x4E7);
    Report rep = new Report();
    rep.id = reportId(r);
    switch (s) {
      case RSEG_BRIG -> {
        int t = bucket(brigadeStart, local);
        int k = (int) (local - brigadeStart[t]);
        int a = brigadeTargets[t];
        rep.reporter = brigaderCode(day, t, k);
        rep.reported = code(TAG_ACT, a);
        rep.messageId = rng.nextInt(3) == 0 ? null : messageId(seg[SEG_ACT] + a * 4L + rng.nextInt(4));
        rep.reason = rng.nextInt(3) == 0 ? "harassment" : "terrorism";
        rep.sec = dayStart + brigadeWindow[t] + rng.nextInt(1800);
      }
      case RSEG_FLAG -> {
        rep.reporter = code(TAG_FLAG, rng.nextInt(nFlag));
        propagandaTarget(rep, r, rng, "terrorist_content");
      }
      case RSEG_ACTREP -> {
        int nRep = (nAct + 2) / 3;
        rep.reporter = code(TAG_ACT, 3L * rng.nextInt(nRep));
        if (rng.nextInt(100) < 15) { // a false claim against counter-speech
          Msg m = describe(seg[SEG_CS] + rng.nextLong(seg[SEG_CS + 1] - seg[SEG_CS]));
          rep.reported = m.acct;
          rep.messageId = m.id;
          rep.reason = "terrorism";
          rep.sec = clampSec(m.sec + 120 + rng.nextInt(3600));
        } else {
          propagandaTarget(rep, r, rng, "terrorism");
        }
      }
      case RSEG_NOISE -> {
        rep.reporter = zipfOrdinary(rng);
        Msg m = describe(seg[SEG_BG] + rng.nextLong(seg[SEG_BG + 1] - seg[SEG_BG]));
        rep.reported = m.acct;
        rep.messageId = rng.nextInt(4) == 0 ? null : m.id;
        rep.reason = NOISE_REASONS[rng.nextInt(NOISE_REASONS.length)];
        rep.sec = clampSec(m.sec + 60 + rng.nextInt(6 * 3600));
      }
      default -> {
        rep.reporter = code(TAG_ORD, (long) (population * rng.nextDouble()));
        propagandaTarget(rep, r, rng, GENUINE_REASONS[rng.nextInt(GENUINE_REASONS.length)]);
      }
    }
    return rep;
  }

  private void propagandaTarget(Report rep, long r, SplittableRandom rng, String reason) {
    Msg m = describe(randomPropRow(r * 31 + 7));
    rep.reported = m.acct;
    rep.messageId = rng.nextInt(5) == 0 ? null : m.id;
    rep.reason = reason;
    rep.sec = clampSec(m.sec + 60 + rng.nextInt(8 * 3600));
  }

  static long brigaderCode(long d, int t, int k) {
    return code(TAG_BRIG, ((d & 0xFFFFF) << 28) | ((long) t << 12) | k);
  }

  // ---------------------------------------------------------------- accounts (executors and driver)

  /** An account's profile and truth, a pure function of (seed, code). */
  static final class Profile {
    String id;
    String handle;
    String displayName;
    String description;
    long createdSec;
    long followers;
    long following;
    boolean verified;
    String role;
    String campaign;
    String evades;
  }

  String handle(long code) {
    long tag = tag(code);
    if (tag == TAG_ORD || tag == TAG_ACT) { // the common case (mentions, replies, retweets), kept cheap
      Profile p = new Profile();
      ordinaryNames(p, code);
      return p.handle;
    }
    return profile(code).handle;
  }

  private static String pick(String[] a, SplittableRandom r) {
    return a[r.nextInt(a.length)];
  }

  private static long pareto(SplittableRandom r, double scale, double alpha, long cap) {
    return Math.min(cap, (long) (scale * Math.pow(1 - r.nextDouble(), -1 / alpha)) - (long) scale);
  }

  private static final long EPOCH_2009 = 14245L * 86400; // 2009-01-01

  Profile profile(long code) {
    Profile p = new Profile();
    p.id = accountId(code);
    long tag = tag(code);
    long payload = code & 0x00FFFFFFFFFFFFFFL;
    SplittableRandom r = H.rng(seed, code, 0xAC7);
    p.role = "ordinary";
    if (tag == TAG_MEMBER || tag == TAG_EVADER) {
      int c = (int) (payload >>> 28);
      int j = (int) ((payload >>> 20) & 0xFF);
      long g = payload & 0xFFFFF;
      Campaign cp = campaigns[c];
      p.campaign = cp.id;
      if (tag == TAG_EVADER) {
        Profile old = profile(memberCode(c, j, g - 1));
        SplittableRandom er = H.rng(seed, code, 0xE7A);
        p.handle = evadeHandle(old.handle, er);
        p.displayName = er.nextBoolean() ? old.displayName : old.displayName + " " + (2 + er.nextInt(8));
        p.description = er.nextBoolean() ? old.description + " (back)" : old.description.replace("#", "");
        p.createdSec = suspensionSec(cp, j, g - 1) + 3600 + er.nextInt(10 * 3600);
        p.followers = er.nextInt(40);
        p.following = 20 + er.nextInt(300);
        p.role = "ban_evader";
        p.evades = old.id;
        return p;
      }
      p.role = j < cp.nProp ? "propagandist" : "amplifier";
      int q = j / cp.groupSize;
      long hq = H.h(seed, c, q, g, 141);
      SplittableRandom gr = new SplittableRandom(hq);
      int k = H.below(hq, 12);
      int hour = gr.nextInt(24);
      p.createdSec = (generationStart(cp, q, g) - 1 - k) * 86400 + hour * 3600L + r.nextInt(3600);
      int name = r.nextInt(Names.KUNYA.length);
      String num = String.valueOf(1 + r.nextInt(99));
      p.handle = switch (r.nextInt(4)) {
        case 0 -> "abu_" + Names.KUNYA[name] + "_" + num;
        case 1 -> Names.THEME_TR[r.nextInt(Names.THEME_TR.length)] + "_" + Names.KUNYA[name] + num;
        case 2 -> "umm_" + Names.KUNYA[name] + num;
        default -> Names.KUNYA[name] + (1430 + r.nextInt(10));
      };
      boolean umm = p.handle.startsWith("umm_");
      p.displayName = r.nextBoolean() ? (umm ? "أم " : "أبو ") + Names.KUNYA_AR[name]
          : (umm ? "Umm " : "Abu ") + Character.toUpperCase(Names.KUNYA[name].charAt(0)) + Names.KUNYA[name].substring(1);
      p.description = pick(Names.PROP_BIO, r).replace("{n}", String.valueOf(2 + r.nextInt(9)))
          + (r.nextBoolean() ? " " + cp.hashtags[0] : "");
      p.followers = pareto(r, 30, 1.3, 20000);
      p.following = 30 + r.nextInt(1500);
      return p;
    }
    if (tag == TAG_BRIG) {
      long d = payload >>> 28;
      int t = (int) ((payload >>> 12) & 0xFFFF);
      long dStart = d * 86400;
      // Windows are recomputed for day d exactly as the world of day d computes them.
      int a = targetsOn(d, (int) Math.max(2, n / 200000))[t];
      long hb = H.h(seed, d, a, 51);
      int window = 3600 + H.below(H.mix(hb), 86400 - 3600 - 1800);
      p.createdSec = dStart + window - 600 - r.nextInt(3 * 86400);
      p.handle = (r.nextBoolean() ? pick(Names.EN_FIRST, r) : "user") + (10_000_000 + r.nextInt(89_999_999));
      p.displayName = r.nextInt(3) == 0 ? p.handle : pick(Names.EN_FIRST, r);
      p.description = "";
      p.followers = r.nextInt(4);
      p.following = r.nextInt(41);
      p.role = "brigader";
      return p;
    }
    p.createdSec = EPOCH_2009 + r.nextInt(4000) * 86400L + r.nextInt(86400);
    int i = (int) payload;
    switch ((int) tag) {
      case (int) TAG_CS -> {
        p.handle = Names.CS_STEM[i % Names.CS_STEM.length] + (i >= Names.CS_STEM.length ? "_" + i : "");
        p.displayName = p.handle.replace('_', ' ');
        p.description = "Countering extremist narratives online. Report, don't share.";
        p.followers = pareto(r, 500, 1.2, 200_000);
        p.following = 100 + r.nextInt(2000);
        p.verified = r.nextInt(4) == 0;
        p.role = "counter_speech";
      }
      case (int) TAG_NEWS -> {
        int s = i % Names.NEWS.length;
        p.handle = Names.NEWS[s] + (i >= Names.NEWS.length ? "_" + Vocab.LANGS[i % 3] + i : "");
        p.displayName = Names.NEWS_DISPLAY[s];
        p.description = "Breaking news and analysis. " + new String[] {"English", "عربي", "Français"}[i % 3];
        p.followers = 50_000 + pareto(r, 20_000, 1.1, 5_000_000);
        p.following = 50 + r.nextInt(1000);
        p.verified = r.nextInt(10) != 0;
        p.role = "news";
      }
      case (int) TAG_RES -> {
        String last = pick(Names.LAST, r);
        p.handle = "dr_" + last + "_" + (i + 1);
        p.displayName = "Dr. " + Character.toUpperCase(last.charAt(0)) + last.substring(1);
        p.description = "Researcher, political violence & online extremism. Archiving to study, not to endorse.";
        p.followers = pareto(r, 800, 1.3, 100_000);
        p.following = 200 + r.nextInt(2000);
        p.verified = r.nextInt(10) < 3;
        p.role = "researcher";
      }
      case (int) TAG_FLAG -> {
        String org = Names.ORGS[i % Names.ORGS.length];
        p.handle = org.toLowerCase().replace(" ", "") + (i >= Names.ORGS.length ? i : "");
        p.displayName = org;
        p.description = "Trusted flagger programme member.";
        p.followers = pareto(r, 300, 1.3, 50_000);
        p.following = 10 + r.nextInt(200);
        p.verified = r.nextBoolean();
        p.role = "trusted_flagger";
      }
      case (int) TAG_ACT -> {
        ordinaryNames(p, code);
        p.description = i % 3 == 0 ? "Volunteer. I report terrorist accounts every day. #NoToDaesh"
            : "Human rights activist | journalist | documenting Daesh crimes";
        p.followers = pareto(r, 200, 1.1, 300_000);
        p.following = 100 + r.nextInt(3000);
        p.role = i % 3 == 0 ? "activist_reporter" : "brigade_target";
      }
      default -> {
        ordinaryNames(p, code);
        p.createdSec = Math.min(p.createdSec, dayStart - 30 * 86400L - r.nextInt(1000) * 86400L);
        StringBuilder bio = new StringBuilder();
        if (r.nextInt(3) != 0) {
          words(bio, ordinaryLang(code), r, 3 + r.nextInt(8));
          if (r.nextInt(4) == 0) {
            bio.append(' ').append(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
          }
        }
        p.description = bio.toString().trim();
        p.followers = pareto(r, 40, 1.1, 10_000_000);
        p.following = pareto(r, 80, 1.6, 50_000) + r.nextInt(50);
        p.verified = p.followers > 200_000 && r.nextBoolean();
      }
    }
    return p;
  }

  private void ordinaryNames(Profile p, long code) {
    SplittableRandom r = H.rng(seed, code, 0x4A1);
    int lang = ordinaryLang(code);
    String first = lang == 0 ? pick(Names.EN_FIRST, r) : lang == 2 ? pick(Names.FR_FIRST, r) : pick(Names.AR_FIRST, r);
    String last = pick(Names.LAST, r);
    p.handle = switch (r.nextInt(4)) {
      case 0 -> first + "_" + last;
      case 1 -> first + r.nextInt(10000);
      case 2 -> first + "." + last + r.nextInt(100);
      default -> last + "_" + first + "_" + r.nextInt(1000);
    };
    String cap = Character.toUpperCase(first.charAt(0)) + first.substring(1);
    p.displayName = lang == 1 && r.nextBoolean()
        ? Names.AR_FIRST_AR[Arrays.asList(Names.AR_FIRST).indexOf(first)] : cap + " "
        + Character.toUpperCase(last.charAt(0)) + last.substring(1);
  }

  private static String evadeHandle(String h, SplittableRandom r) {
    int end = h.length();
    while (end > 0 && Character.isDigit(h.charAt(end - 1))) {
      end--;
    }
    if (end < h.length() && r.nextInt(3) != 0) {
      long num = Long.parseLong(h.substring(end, Math.min(h.length(), end + 9)));
      return h.substring(0, end) + (num + 1 + r.nextInt(2));
    }
    return switch (r.nextInt(3)) {
      case 0 -> h + "_" + (2 + r.nextInt(8));
      case 1 -> h.replaceFirst("a", "aa");
      default -> h.replace('o', '0').replace('i', '1') + (h.contains("o") || h.contains("i") ? "" : "_");
    };
  }

  /** When the occupant of slot j in generation g was suspended: the day before its group rotated. */
  long suspensionSec(Campaign cp, int j, long g) {
    int q = j / cp.groupSize;
    long end = generationStart(cp, q, g + 1);
    long h = H.h(seed, cp.c, q, g, 151);
    return (end - 1) * 86400 + H.below(h, 10) * 3600L + (j % cp.groupSize) * 97L;
  }
}
