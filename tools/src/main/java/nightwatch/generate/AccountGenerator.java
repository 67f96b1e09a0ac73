package nightwatch.generate;

import static nightwatch.generate.World.TAG_ACT;
import static nightwatch.generate.World.TAG_BRIG;
import static nightwatch.generate.World.TAG_CS;
import static nightwatch.generate.World.TAG_EVADER;
import static nightwatch.generate.World.TAG_FLAG;
import static nightwatch.generate.World.TAG_MEMBER;
import static nightwatch.generate.World.TAG_NEWS;
import static nightwatch.generate.World.TAG_ORD;
import static nightwatch.generate.World.TAG_RES;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Account profiles and handles: id, handle, display name, description, creation time, follower counts and
 * truth (role, campaign, evaded account). A pure function of (seed, account code), so ids, handles and creation
 * times stay stable across days.
 */
final class AccountGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

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

  private static final long EPOCH_2009 = 14245L * 86400; // 2009-01-01

  final World w;

  AccountGenerator(World w) {
    this.w = w;
  }

  String handle(long code) {
    long tag = World.tag(code);
    if (tag == TAG_ORD || tag == TAG_ACT) { // the common case (mentions, replies, retweets), kept cheap
      Profile p = new Profile();
      ordinaryNames(p, code);
      return p.handle;
    }
    return profile(code).handle;
  }

  Profile profile(long code) {
    Profile p = new Profile();
    p.id = w.accountId(code);
    long tag = World.tag(code);
    long payload = code & 0x00FFFFFFFFFFFFFFL;
    SplittableRandom r = H.rng(w.seed, code, 0xAC7);
    p.role = "ordinary";
    if (tag == TAG_MEMBER || tag == TAG_EVADER) {
      int c = (int) (payload >>> 28);
      int j = (int) ((payload >>> 20) & 0xFF);
      long g = payload & 0xFFFFF;
      Campaign cp = w.campaigns[c];
      p.campaign = cp.id;
      if (tag == TAG_EVADER) {
        evader(p, code, cp, j, g);
      } else {
        member(p, cp, j, g, r);
      }
      return p;
    }
    if (tag == TAG_BRIG) {
      brigader(p, payload, r);
      return p;
    }
    p.createdSec = EPOCH_2009 + r.nextInt(4000) * 86400L + r.nextInt(86400);
    established(p, code, tag, (int) payload, r);
    return p;
  }

  /** Occupant of slot j of a campaign in generation g: its group's accounts were created within a few days. */
  private void member(Profile p, Campaign cp, int j, long g, SplittableRandom r) {
    p.role = j < cp.nProp ? "propagandist" : "amplifier";
    int q = j / cp.groupSize;
    long hq = H.h(w.seed, cp.c, q, g, 141);
    SplittableRandom gr = new SplittableRandom(hq);
    int k = H.below(hq, 12);
    int hour = gr.nextInt(24);
    p.createdSec = (w.generationStart(cp, q, g) - 1 - k) * 86400 + hour * 3600L + r.nextInt(3600);
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
  }

  /** A ban evader: a new account made soon after the suspension of slot j's generation g - 1, looking like it. */
  private void evader(Profile p, long code, Campaign cp, int j, long g) {
    Profile old = profile(World.memberCode(cp.c, j, g - 1));
    SplittableRandom er = H.rng(w.seed, code, 0xE7A);
    p.handle = evadeHandle(old.handle, er);
    p.displayName = er.nextBoolean() ? old.displayName : old.displayName + " " + (2 + er.nextInt(8));
    p.description = er.nextBoolean() ? old.description + " (back)" : old.description.replace("#", "");
    p.createdSec = w.suspensionSec(cp, j, g - 1) + 3600 + er.nextInt(10 * 3600);
    p.followers = er.nextInt(40);
    p.following = 20 + er.nextInt(300);
    p.role = "ban_evader";
    p.evades = old.id;
  }

  /** A brigader: an empty account created in the days before its brigade. */
  private void brigader(Profile p, long payload, SplittableRandom r) {
    long d = payload >>> 28;
    int t = (int) ((payload >>> 12) & 0xFFFF);
    long dStart = d * 86400;
    // Windows are recomputed for day d exactly as the world of day d computes them.
    int window = w.brigadeWindowOn(d, w.targetsOn(d, w.brigadeTargetCount())[t]);
    p.createdSec = dStart + window - 600 - r.nextInt(3 * 86400);
    p.handle = (r.nextBoolean() ? pick(Names.EN_FIRST, r) : "user") + (10_000_000 + r.nextInt(89_999_999));
    p.displayName = r.nextInt(3) == 0 ? p.handle : pick(Names.EN_FIRST, r);
    p.description = "";
    p.followers = r.nextInt(4);
    p.following = r.nextInt(41);
    p.role = "brigader";
  }

  /** Accounts that predate the campaigns: counter-speech, news, researchers, flaggers, activists, ordinary. */
  private void established(Profile p, long code, long tag, int i, SplittableRandom r) {
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
      default -> ordinary(p, code, r);
    }
  }

  /** An ordinary account: a month old at least, a short bio in its language or none, heavy-tailed followers. */
  private void ordinary(Profile p, long code, SplittableRandom r) {
    ordinaryNames(p, code);
    p.createdSec = Math.min(p.createdSec, w.dayStart - 30 * 86400L - r.nextInt(1000) * 86400L);
    StringBuilder bio = new StringBuilder();
    if (r.nextInt(3) != 0) {
      Vocab.words(bio, w.ordinaryLang(code), r, 3 + r.nextInt(8));
      if (r.nextInt(4) == 0) {
        bio.append(' ').append(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
      }
    }
    p.description = bio.toString().trim();
    p.followers = pareto(r, 40, 1.1, 10_000_000);
    p.following = pareto(r, 80, 1.6, 50_000) + r.nextInt(50);
    p.verified = p.followers > 200_000 && r.nextBoolean();
  }

  private void ordinaryNames(Profile p, long code) {
    SplittableRandom r = H.rng(w.seed, code, 0x4A1);
    int lang = w.ordinaryLang(code);
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

  private static String pick(String[] a, SplittableRandom r) {
    return a[r.nextInt(a.length)];
  }

  private static long pareto(SplittableRandom r, double scale, double alpha, long cap) {
    return Math.min(cap, (long) (scale * Math.pow(1 - r.nextDouble(), -1 / alpha)) - (long) scale);
  }
}
