package nightwatch.generate;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The edits copy-pasters make to a text: each keeps the copy a near-duplicate of its source. */
final class Edits {
  private Edits() {}

  private static final char[] DIACRITICS = {'\u064E', '\u064F', '\u0650', '\u0651', '\u0652', '\u064B'};
  private static final char TATWEEL = '\u0640';

  /**
   * Copy of a campaign text with realistic edits. {@code heavy} edits (a minority) change several words
   * and truncate; light ones keep word-bigram Jaccard with the source mostly above 0.6.
   */
  static String propagandaCopy(String[] tokens, int lang, String[] hashtags, String[] domains,
                               SplittableRandom r) {
    List<String> t = new ArrayList<>(List.of(tokens));
    boolean heavy = r.nextInt(12) == 0;
    int swaps = heavy ? 3 + r.nextInt(2) : (r.nextInt(10) < 3 ? 1 : 0);
    for (int i = 0; i < swaps; i++) {
      int p = wordPos(t, r);
      if (p >= 0) {
        t.set(p, r.nextBoolean() ? Vocab.theme(lang, r) : Vocab.zipf(lang, r));
      }
    }
    if (r.nextInt(100) < 15 && t.size() > 6) { // move a short phrase
      int len = 2 + r.nextInt(2);
      int from = r.nextInt(t.size() - len);
      List<String> phrase = new ArrayList<>(t.subList(from, from + len));
      t.subList(from, from + len).clear();
      int to = r.nextInt(t.size() + 1);
      t.addAll(to, phrase);
    }
    if (r.nextInt(100) < 25) { // add or remove a hashtag
      int hp = -1;
      for (int i = 0; i < t.size(); i++) {
        if (t.get(i).startsWith("#")) {
          hp = i;
        }
      }
      if (hp >= 0 && r.nextBoolean()) {
        t.remove(hp);
      } else {
        t.add(hashtags[r.nextInt(hashtags.length)]);
      }
    }
    if (r.nextInt(100) < 30) { // changed link
      for (int i = 0; i < t.size(); i++) {
        if (t.get(i).startsWith("https://")) {
          t.set(i, "https://" + domains[r.nextInt(domains.length)] + "/" + H.base62(r.nextLong(), 7));
        }
      }
    }
    if (r.nextInt(100) < 25) {
      t.add(r.nextInt(t.size() + 1), Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
    }
    if (heavy || r.nextInt(100) < 8) { // truncation
      int keep = Math.max(6, (int) (t.size() * (0.7 + 0.2 * r.nextDouble())));
      if (keep < t.size()) {
        t.subList(keep, t.size()).clear();
        t.add("…");
      }
    }
    if (lang == 1) {
      if (r.nextInt(100) < 30) {
        arabicDiacritics(t, r);
      }
      if (r.nextInt(100) < 25) {
        arabicLetterVariants(t, r);
      }
    } else if (lang == 2 && r.nextInt(100) < 25) {
      for (int i = 0; i < t.size(); i++) {
        t.set(i, stripAccents(t.get(i)));
      }
    }
    if (r.nextInt(100) < 15) {
      caseChange(t, r);
    }
    return String.join(" ", t);
  }

  /** Light edits of a benign viral text. */
  static String viralCopy(String text, SplittableRandom r) {
    switch (r.nextInt(5)) {
      case 0:
        return text + " " + Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)];
      case 1:
        return text.toLowerCase();
      case 2: {
        String[] tail = {"so true", "this!!", "wow", "exactly", "😂😂", "يا سلام", "trop vrai", "omg"};
        return text + " " + tail[r.nextInt(tail.length)];
      }
      case 3: {
        int cut = text.lastIndexOf(' ');
        return cut > 20 ? text.substring(0, cut) : text + " !";
      }
      default:
        return Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)] + " " + text;
    }
  }

  private static int wordPos(List<String> t, SplittableRandom r) {
    for (int tries = 0; tries < 6; tries++) {
      int p = r.nextInt(t.size());
      String w = t.get(p);
      if (!w.startsWith("#") && !w.startsWith("https://") && !w.startsWith("@")) {
        return p;
      }
    }
    return -1;
  }

  private static void arabicDiacritics(List<String> t, SplittableRandom r) {
    int n = 1 + r.nextInt(4);
    for (int k = 0; k < n; k++) {
      int p = r.nextInt(t.size());
      String w = t.get(p);
      if (w.isEmpty() || w.charAt(0) < '\u0600' || w.charAt(0) > '\u06FF' || w.length() < 2) {
        continue;
      }
      int at = 1 + r.nextInt(w.length() - 1);
      char add = r.nextInt(3) == 0 ? TATWEEL : DIACRITICS[r.nextInt(DIACRITICS.length)];
      String rep = add == TATWEEL ? String.valueOf(TATWEEL).repeat(1 + r.nextInt(3)) : String.valueOf(add);
      t.set(p, w.substring(0, at) + rep + w.substring(at));
    }
  }

  private static void arabicLetterVariants(List<String> t, SplittableRandom r) {
    for (int i = 0; i < t.size(); i++) {
      String w = t.get(i);
      if (r.nextBoolean()) {
        w = w.replace('أ', 'ا').replace('إ', 'ا').replace('آ', 'ا');
      } else if (w.startsWith("ا")) {
        w = "أ" + w.substring(1);
      }
      if (w.endsWith("ي") && r.nextBoolean()) {
        w = w.substring(0, w.length() - 1) + "ى";
      }
      t.set(i, w);
    }
  }

  static String stripAccents(String s) {
    String d = Normalizer.normalize(s, Normalizer.Form.NFD);
    return d.replaceAll("\\p{M}+", "");
  }

  private static void caseChange(List<String> t, SplittableRandom r) {
    int mode = r.nextInt(3);
    for (int i = 0; i < t.size(); i++) {
      String w = t.get(i);
      if (w.startsWith("https://")) {
        continue;
      }
      if (mode == 0) {
        t.set(i, w.toUpperCase());
      } else if (mode == 1 && i == 0) {
        t.set(i, w.isEmpty() ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
      } else if (mode == 2 && r.nextInt(4) == 0) {
        t.set(i, w.toUpperCase());
      }
    }
  }
}
