package nightwatch.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A planted propaganda campaign (fixed for a seed and pool size): its seed texts, hashtags, domains and rhythm. */
final class Campaign implements Serializable {
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

  /** Campaign c of a seed; the same on every day, so campaigns and their accounts recur across days. */
  static Campaign build(long seed, int c) {
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
}
