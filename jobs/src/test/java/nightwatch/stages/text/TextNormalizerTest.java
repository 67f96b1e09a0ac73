package nightwatch.stages.text;

import static nightwatch.stages.text.TextNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  private static void check(String expected, String input) {
    assertEquals(expected, normalize(input), "normalize(\"" + input + "\") should be \"" + expected + "\"");
  }

  @Test
  void nfkcAndLowerCase() {
    check("hello world", "ＨＥＬＬＯ World");
    check("fi office", "ﬁ Oﬃce");
  }

  @Test
  void latinAccentsFold() {
    check("cafe eclair naive", "Café Éclair naïve");
  }

  @Test
  void arabicHarakatTatweelAndLetterVariants() {
    check("العربيه", "الْعَرَبِيَّة");
    check("كتاب", "كـــتاب");
    check("احمد اسلام امن", "أحمد إسلام آمن");
    check("مستشفي", "مستشفى");
    check("مدرسه", "مدرسة");
  }

  @Test
  void cyrillicYoFoldsToYe() {
    check("елка еще", "Ёлка ещё");
  }

  @Test
  void urlBecomesDomainToken() {
    check("see url_example_com now", "see https://www.Example.com/path?x=1&y=2 now");
    check("url_t_co", "http://t.co/AbC123");
    check("url_news_example_org", "www.news.example.org/a/b");
  }

  @Test
  void mentionsBecomeOneToken() {
    check("hi @user and @user", "hi @John_Doe and @Марія");
  }

  @Test
  void retweetPrefixDropped() {
    check("big news today", "RT @someone_1: Big news today");
    check("rt is fine mid text", "rt is fine mid text");
  }

  @Test
  void digitsBecomeZero() {
    check("in 0000 at 00 0", "in 2024 at 17 ٣");
  }

  @Test
  void emojiAndPunctuationRemovedAndWhitespaceCollapsed() {
    check("wow great tag", "  Wow!!! 🔥🔥 great...\n\t#tag  ");
    check("", "!!! 😀 ...");
  }

  @Test
  void asciiTextsTakeTheSameRulesAsOtherTexts() {
    // The ASCII fast path must agree with the Unicode path: the same text plus one accented word (which sends
    // it through NFKC, NFD and NFC) normalises to the same words plus that word.
    String ascii = "RT @Some_One: Read THIS 2024 -- https://www.Example.com/a?b=1 & www.x.org, @you #tag!";
    assertEquals("read this 0000 url_example_com url_x_org @user tag", normalize(ascii));
    assertEquals(normalize(ascii) + " cafe", normalize(ascii + " café"));
    check("no link no mention", "No link, no mention.");
  }

  @Test
  void nullStaysNull() {
    assertNull(normalize(null), "null text must normalise to null");
  }
}
