package nightwatch.stages.text;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-script text normalisation shared by clustering, known-propaganda matching and (later) the classifier.
 * One pass in plain Java because Spark has no built-in for Unicode NFKC or mark stripping; everything else
 * (tokenising, hashing) uses Spark and MLlib built-ins.
 *
 * <p>Rules: NFKC; lower case; retweet prefix "RT @user:" dropped; URLs to their domain; @mentions to one
 * token; '#' dropped from hashtags; digits to 0; combining marks removed after NFD (Latin accents, Arabic
 * harakat, Cyrillic breve/diaeresis); Arabic tatweel removed and alef/ya/ta-marbuta variants unified;
 * emoji, symbols and punctuation to spaces; whitespace collapsed.
 */
public final class TextNormalizer implements Serializable {
  private TextNormalizer() {}

  private static final Pattern RT_PREFIX = Pattern.compile("^\\s*rt\\s+@[\\p{L}\\p{N}_]+:?\\s*");
  private static final Pattern URL = Pattern.compile("(?:https?://|www\\.)([^\\s/?#:]+)[^\\s]*");
  private static final Pattern MENTION = Pattern.compile("@[\\p{L}\\p{N}_]+");

  public static String normalize(String text) {
    if (text == null) {
      return null;
    }
    // Fast paths, each exact: an ASCII text is already in NFKC, NFD and NFC form, and a pattern cannot match
    // a text without its literal part ("http"/"www.", "@", "rt"); most texts take one.
    boolean ascii = isAscii(text);
    String s = (ascii ? text : Normalizer.normalize(text, Normalizer.Form.NFKC)).toLowerCase(java.util.Locale.ROOT);
    if (s.contains("rt")) {
      s = RT_PREFIX.matcher(s).replaceFirst("");
    }
    if (s.contains("http") || s.contains("www.")) {
      Matcher m = URL.matcher(s);
      StringBuilder sb = new StringBuilder(s.length());
      while (m.find()) {
        String domain = m.group(1);
        if (domain.startsWith("www.")) {
          domain = domain.substring(4);
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(" url_" + domain.replace('.', '_') + " "));
      }
      m.appendTail(sb);
      s = sb.toString();
    }
    if (s.indexOf('@') >= 0) {
      s = MENTION.matcher(s).replaceAll(" @user ");
    }
    String decomposed = ascii ? s : Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(decomposed.length());
    boolean space = true;
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        // ASCII: no marks, no Arabic; the same rules as below, without the Unicode tables.
        if (cp >= '0' && cp <= '9') {
          cp = '0';
        }
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '0' || cp == '_' || cp == '@') {
          out.append((char) cp);
          space = false;
        } else if (!space) {
          out.append(' ');
          space = true;
        }
        continue;
      }
      int type = Character.getType(cp);
      if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
          || type == Character.COMBINING_SPACING_MARK || cp == 0x0640 /* tatweel */
          || cp == 0x200C || cp == 0x200D || cp == 0xFE0F) {
        continue;
      }
      cp = foldArabic(cp);
      if (Character.isDigit(cp)) {
        cp = '0';
      }
      if (Character.isLetterOrDigit(cp) || cp == '_' || cp == '@') {
        out.appendCodePoint(cp);
        space = false;
      } else if (!space) {
        out.append(' ');
        space = true;
      }
    }
    int len = out.length();
    if (len > 0 && out.charAt(len - 1) == ' ') {
      out.setLength(len - 1);
    }
    // NFD split some letters; recompose so that e.g. Hangul stays in one code point per syllable.
    return ascii ? out.toString() : Normalizer.normalize(out, Normalizer.Form.NFC);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int foldArabic(int cp) {
    switch (cp) {
      case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
        return 0x0627; // alef variants -> bare alef
      case 0x0649: case 0x06CC: case 0x064A:
        return 0x064A; // alef maqsura, Farsi ya -> ya
      case 0x0629:
        return 0x0647; // ta marbuta -> ha
      case 0x0624:
        return 0x0648; // waw with hamza -> waw
      case 0x0626:
        return 0x064A; // ya with hamza -> ya
      case 0x06A9:
        return 0x0643; // keheh -> kaf
      default:
        return cp;
    }
  }
}
