package nightwatch.generate;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** The reference tables of a generated day; all small, built on the driver. */
final class Reference {
  private Reference() {}

  private static final long SUSPENSION_WINDOW_DAYS = 30;

  /** Builds the six tables; adds the codes of suspended accounts to {@code suspendedCodes}. */
  static Map<String, Dataset<Row>> build(SparkSession spark, World w, List<Row> suspendedCodes) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    out.put(Tables.KNOWN_PROPAGANDA, df(spark, Tables.KNOWN_PROPAGANDA, knownPropaganda(w)));
    out.put(Tables.TRUSTED_FLAGGERS, df(spark, Tables.TRUSTED_FLAGGERS, trustedFlaggers(w)));
    out.put(Tables.PROTECTED_ACCOUNTS, df(spark, Tables.PROTECTED_ACCOUNTS, protectedAccounts(w)));
    List<Row> suspensions = new ArrayList<>();
    Map<String, Row> decisions = new LinkedHashMap<>();
    suspensionsAndDecisions(w, suspensions, decisions, suspendedCodes);
    out.put(Tables.SUSPENSIONS, df(spark, Tables.SUSPENSIONS, suspensions));
    out.put(Tables.REVIEW_DECISIONS, df(spark, Tables.REVIEW_DECISIONS, new ArrayList<>(decisions.values())));
    out.put(Tables.KNOWN_MEDIA, df(spark, Tables.KNOWN_MEDIA, knownMedia(w)));
    out.put(Tables.KNOWN_LINKS, df(spark, Tables.KNOWN_LINKS, knownLinks(w)));
    return out;
  }

  private static Dataset<Row> df(SparkSession spark, String table, List<Row> rows) {
    return spark.createDataFrame(rows, Tables.schema(table).struct());
  }

  private static Timestamp ts(long sec) {
    return new Timestamp(sec * 1000L);
  }

  /** About half the campaigns are known: a variant of some of their seed texts, plus a few unrelated old items. */
  static List<Row> knownPropaganda(World w) {
    List<Row> rows = new ArrayList<>();
    long base = LocalDate.of(2025, 1, 1).toEpochDay() * 86400;
    for (Campaign cp : w.campaigns) {
      if (!cp.known) {
        continue;
      }
      for (int s = 0; s < cp.seedTokens.length; s++) {
        long h = H.h(w.seed, cp.c, s, 161);
        if (s > 0 && H.below(h, 10) >= 6) {
          continue;
        }
        SplittableRandom r = new SplittableRandom(h);
        String text = Edits.propagandaCopy(cp.seedTokens[s], cp.seedLang[s], cp.hashtags, cp.domains, r);
        rows.add(RowFactory.create("kp-" + H.base62(h, 10), text, cp.label,
            Names.SOURCES[r.nextInt(Names.SOURCES.length)], ts(base + r.nextInt(300) * 86400L + r.nextInt(86400))));
        if (cp.transTokens[s] != null && r.nextBoolean()) {
          String t2 = Edits.propagandaCopy(cp.transTokens[s], cp.transLang[s], cp.hashtags, cp.domains, r);
          rows.add(RowFactory.create("kp-" + H.base62(H.mix(h), 10), t2, cp.label,
              Names.SOURCES[r.nextInt(Names.SOURCES.length)], ts(base + r.nextInt(300) * 86400L)));
        }
      }
    }
    int decoys = Math.max(3, w.campaigns.length / 3);
    for (int i = 0; i < decoys; i++) {
      long h = H.h(w.seed, i, 162);
      SplittableRandom r = new SplittableRandom(h);
      int lang = r.nextInt(3);
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 14 + r.nextInt(10); k++) {
        sb.append(k == 0 ? "" : " ").append(r.nextInt(10) < 4 ? Vocab.theme(lang, r) : Vocab.zipf(lang, r));
      }
      sb.append(' ').append(Names.CAMP_TAGS[r.nextInt(Names.CAMP_TAGS.length)]);
      rows.add(RowFactory.create("kp-" + H.base62(h, 10), sb.toString(), Names.LABELS[r.nextInt(Names.LABELS.length)],
          Names.SOURCES[r.nextInt(Names.SOURCES.length)], ts(base - r.nextInt(700) * 86400L)));
    }
    return rows;
  }

  /**
   * Half of today's media campaigns are known: their image's PDQ or a variant within {@link MediaPlan#MAX_KNOWN_FLIPS}
   * bits of it, and for the first one its md5 too (added in the weeks before the day); plus a few unrelated old items.
   */
  /**
   * Every other link campaign's link is known (a URL list shared before the day), written as a listing would: with
   * its scheme; plus a few unrelated old items.
   */
  static List<Row> knownLinks(World w) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; w.links && k < LinkPlan.campaignCount(w); k += 2) {
      SplittableRandom r = new SplittableRandom(H.h(w.seedDay, k, 165));
      long added = w.dayStart - (1 + r.nextInt(30)) * 86400L + r.nextInt(86400);
      rows.add(RowFactory.create("https://" + LinkPlan.campaignLink(w, k), Names.LABELS[r.nextInt(Names.LABELS.length)],
          Names.SOURCES[r.nextInt(Names.SOURCES.length)], ts(added)));
    }
    for (int i = 0; i < 3; i++) {
      long h = H.h(w.seed, i, 166);
      rows.add(RowFactory.create("https://" + LinkPlan.fileLink(h), "old listing", "url-sharing",
          ts(LocalDate.of(2025, 1, 1).toEpochDay() * 86400 - H.below(h, 700) * 86400L)));
    }
    return rows;
  }

  static List<Row> knownMedia(World w) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; w.media && k < MediaPlan.campaignCount(w); k++) {
      if (!MediaPlan.known(k)) {
        continue;
      }
      MediaPlan.Image image = MediaPlan.campaignImage(w, k);
      SplittableRandom r = new SplittableRandom(H.h(w.seedDay, k, 163));
      long[] pdq = MediaPlan.flipped(image.pdq(), r.nextInt(MediaPlan.MAX_KNOWN_FLIPS + 1), r);
      String label = Names.LABELS[r.nextInt(Names.LABELS.length)];
      String source = Names.SOURCES[r.nextInt(Names.SOURCES.length)];
      long added = w.dayStart - (1 + r.nextInt(60)) * 86400L + r.nextInt(86400);
      rows.add(RowFactory.create(MediaPlan.hex(pdq), "pdq", source, label, ts(added)));
      if (k == 0) {
        rows.add(RowFactory.create(image.md5Hex(), "md5", source, label, ts(added)));
      }
    }
    long base = LocalDate.of(2025, 1, 1).toEpochDay() * 86400;
    for (int i = 0; i < 4; i++) {
      long h = H.h(w.seed, i, 164);
      SplittableRandom r = new SplittableRandom(h);
      MediaPlan.Image image = MediaPlan.image(H.mix(h));
      boolean md5 = r.nextInt(3) == 0;
      rows.add(RowFactory.create(md5 ? image.md5Hex() : image.pdqHex(), md5 ? "md5" : "pdq",
          Names.SOURCES[r.nextInt(Names.SOURCES.length)], Names.LABELS[r.nextInt(Names.LABELS.length)],
          ts(base - r.nextInt(700) * 86400L + r.nextInt(86400))));
    }
    return rows;
  }

  static List<Row> trustedFlaggers(World w) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < w.nFlag; i++) {
      long code = World.code(World.TAG_FLAG, i);
      rows.add(RowFactory.create(w.accountId(code), Names.ORGS[i % Names.ORGS.length],
          3.0 + H.below(H.h(w.seed, i, 171), 3)));
    }
    return rows;
  }

  static List<Row> protectedAccounts(World w) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < w.nCs; i++) {
      rows.add(RowFactory.create(w.accountId(World.code(World.TAG_CS, i)), "counter_speech"));
    }
    for (int i = 0; i < w.nNews; i++) {
      rows.add(RowFactory.create(w.accountId(World.code(World.TAG_NEWS, i)), "news"));
    }
    for (int i = 0; i < w.nRes; i++) {
      rows.add(RowFactory.create(w.accountId(World.code(World.TAG_RES, i)), "researcher"));
    }
    for (int i = 0; i < w.nFlag; i += 2) {
      rows.add(RowFactory.create(w.accountId(World.code(World.TAG_FLAG, i)), "ngo"));
    }
    return rows;
  }

  private static String reviewer(long h) {
    return String.format("rev-%02d", 1 + H.below(h, 12));
  }

  static void suspensionsAndDecisions(World w, List<Row> suspensions, Map<String, Row> decisions,
                                      List<Row> suspendedCodes) {
    long from = w.dayStart - SUSPENSION_WINDOW_DAYS * 86400;
    for (Campaign cp : w.campaigns) {
      int groups = (cp.slots + cp.groupSize - 1) / cp.groupSize;
      for (int q = 0; q < groups; q++) {
        int j0 = q * cp.groupSize;
        for (long g = w.generation(cp, j0, w.day) - 1; ; g--) {
          long first = w.suspensionSec(cp, j0, g);
          if (first < from || g < 1) {
            break;
          }
          for (int j = j0; j < Math.min(cp.slots, j0 + cp.groupSize); j++) {
            long code = World.memberCode(cp.c, j, g);
            long sec = w.suspensionSec(cp, j, g);
            String id = w.accountId(code);
            suspensions.add(RowFactory.create(id, ts(sec), "terrorism: coordinated propaganda", null));
            suspendedCodes.add(RowFactory.create(code));
            long candDay = Math.floorDiv(sec, 86400) - 1;
            long h = H.h(w.seed, code, 181);
            if (candDay >= w.day - 7 && H.below(h, 10) < 7) {
              decide(decisions, candDay, id, "suspend", reviewer(h), sec);
            }
          }
        }
      }
    }
    // Activists wrongly suspended after mass reports, reinstated on appeal.
    for (int a = 1; a < w.nAct; a++) {
      long h = H.h(w.seed, a, 191);
      if (a % 3 == 0 || H.below(h, 4) != 0) {
        continue;
      }
      long code = World.code(World.TAG_ACT, a);
      long sec = w.dayStart - (10 + H.below(H.mix(h), 30)) * 86400L + H.below(h, 86400);
      suspensions.add(RowFactory.create(w.accountId(code), ts(sec), "harassment (mass reports)",
          ts(sec + (2 + H.below(h >>> 7, 5)) * 86400L)));
      suspendedCodes.add(RowFactory.create(code));
    }
    int nTargets = w.brigadeTargetCount();
    for (long k = 1; k <= 7; k++) {
      long d = w.day - k;
      long decidedBase = (d + 1) * 86400;
      reviewedReports(new World(w.seed, d, w.n), decisions, decidedBase);
      for (int a : w.targetsOn(d, nTargets)) {
        long h = H.h(w.seed, d, a, 201);
        decide(decisions, d, w.accountId(World.code(World.TAG_ACT, a)), "dismiss", reviewer(h),
            decidedBase + H.below(h, 20 * 3600));
      }
      for (int i = 0; i < 2 + w.n / 50000; i++) {
        long h = H.h(w.seed, d, i, 202);
        long ord = World.code(World.TAG_ORD, (long) (w.population * H.u(h)));
        decide(decisions, d, w.accountId(ord), "dismiss", reviewer(H.mix(h)), decidedBase + H.below(h, 20 * 3600));
        long cs = World.code(World.TAG_CS, H.below(H.mix(h + 1), w.nCs));
        decide(decisions, d, w.accountId(cs), "counter_speech", reviewer(h >>> 3),
            decidedBase + H.below(h >>> 5, 20 * 3600));
      }
    }
  }

  /**
   * Reviewers also look at what was reported on day d: most noise reports (ordinary accounts reported for
   * ordinary posts; the same prolific reporters file many) are dismissed, and activists' false claims against
   * counter-speech are answered 'counter_speech'. This is what gives reporters a record to weigh them by.
   */
  private static void reviewedReports(World wd, Map<String, Row> decisions, long decidedBase) {
    ReportGenerator reports = new ReportGenerator(wd);
    for (long r = wd.rseg[World.RSEG_ACTREP]; r < wd.rseg[World.RSEG_NOISE + 1]; r++) {
      ReportGenerator.Report rep = reports.report(r);
      long h = H.h(wd.seed, wd.day, r, 203);
      long tag = World.tag(rep.reported);
      if (r >= wd.rseg[World.RSEG_NOISE] && H.below(h, 10) < 6 && tag == World.TAG_ORD) {
        decide(decisions, wd.day, wd.accountId(rep.reported), "dismiss", reviewer(h),
            decidedBase + H.below(h, 20 * 3600));
      } else if (tag == World.TAG_CS && H.below(h, 10) < 6) {
        decide(decisions, wd.day, wd.accountId(rep.reported), "counter_speech", reviewer(h),
            decidedBase + H.below(h, 20 * 3600));
      }
    }
  }

  private static void decide(Map<String, Row> decisions, long day, String account, String decision,
                             String reviewer, long decidedSec) {
    decisions.putIfAbsent(day + "/" + account, RowFactory.create(Date.valueOf(LocalDate.ofEpochDay(day)), account,
        decision, reviewer, ts(decidedSec)));
  }
}
