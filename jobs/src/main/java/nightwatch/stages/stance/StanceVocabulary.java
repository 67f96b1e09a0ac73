package nightwatch.stages.stance;

import java.util.List;
import java.util.Map;

/**
 * Seed terms that condemn or expose propaganda, by language. They are matched after the same analysis as the
 * message (StanceAnalyzer: stemming, Arabic clitics and normalisation, French elisions), so one entry stands for
 * its inflected and prefixed forms: "report" for "reported" and "reporting", "إرهاب" for "للإرهاب".
 */
public final class StanceVocabulary {
  private StanceVocabulary() {}

  static final Map<String, List<String>> TERMS = Map.of(
      "en", List.of("propaganda", "terrorist", "terrorism", "terror", "condemn", "disgusting", "report",
          "do not share", "don't share", "dont share", "stop sharing", "shame on", "expose", "debunk",
          "archived for research", "researcher", "warning", "fake", "lies", "liar", "recruiter", "extremist",
          "hate"),
      "ar", List.of("دعاية", "إرهاب", "إرهابي", "أدين", "ندين", "إدانة", "بلغوا", "أبلغوا", "إبلاغ", "بلاغ",
          "لا تنشروا", "لا تعيدوا", "كذب", "أكاذيب", "تحذير", "تطرف", "متطرف", "يروج"),
      "fr", List.of("propagande", "terroriste", "terrorisme", "condamne", "honte", "signalez", "signaler",
          "signalé", "ne partagez pas", "mensonge", "dénonce", "apologie", "extrémiste", "haine"));
}
