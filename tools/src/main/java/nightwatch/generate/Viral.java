package nightwatch.generate;

import java.io.Serializable;
import java.util.SplittableRandom;

/** A benign viral group: one text shared by many ordinary and news accounts. */
final class Viral implements Serializable {
  private static final long serialVersionUID = 1L;
  int lang;
  String text;
  int type;
  int size;
  int start;
  int spread;

  /** Viral group v of a day (seedDay: the day's seed); a breaking story, a meme, a greeting or a song line. */
  static Viral build(long seedDay, int v, int size) {
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
        Vocab.words(sb, l, r, 9 + r.nextInt(7));
        if (r.nextBoolean()) {
          sb.append(" https://").append(Vocab.NEWS_DOMAINS[r.nextInt(Vocab.NEWS_DOMAINS.length)]).append('/')
              .append(H.base62(r.nextLong(), 9));
        }
      }
      case 1 -> {
        Vocab.words(sb, l, r, 6 + r.nextInt(7));
        sb.append(' ').append(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]).append(Vocab.EMOJI[r.nextInt(5)]);
        sb.append(" #").append(Vocab.word(l, 20 + r.nextInt(400)));
      }
      case 2 -> {
        String[][] gr = {{"Happy Friday everyone!", "Good morning world", "Eid Mubarak to all"},
            {"جمعة مباركة", "صباح الخير يا أحلى ناس", "عيد مبارك"},
            {"Bon vendredi à tous", "Bonne année", "Bonjour tout le monde"}};
        sb.append(gr[l][r.nextInt(3)]);
        Vocab.words(sb, l, r, 5 + r.nextInt(5));
        sb.append(' ').append(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
      }
      default -> {
        sb.append("🎶");
        Vocab.words(sb, l, r, 10 + r.nextInt(7));
        sb.append(" 🎶");
      }
    }
    g.text = sb.toString().trim();
    return g;
  }
}
