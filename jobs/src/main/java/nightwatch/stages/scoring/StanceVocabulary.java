package nightwatch.stages.scoring;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import nightwatch.stages.text.TextNormalizer;

/**
 * Words and phrases that condemn or expose propaganda (English, Arabic, French). Matched on normalised
 * text, so each entry is normalised the same way as messages.
 */
public final class StanceVocabulary {
  private StanceVocabulary() {}

  static final List<String> PHRASES = List.of(
      // English
      "propaganda", "terrorist", "terrorism", "condemn", "disgusting", "report this", "report it",
      "do not share", "don't share", "dont share", "shame on", "expose", "exposing", "debunk", "archived for research",
      "researchers", "warning", "fake", "lies",
      // Arabic
      "دعاية", "إرهاب", "إرهابية", "ارهابي", "أدين", "ندين", "بلغوا", "لا تنشروا", "كذب", "تحذير",
      // French
      "propagande", "terroriste", "terrorisme", "condamne", "honte", "signalez", "ne partagez pas", "mensonges",
      "dénonce");

  /** A Java regex (for Spark's rlike) matching any phrase as whole words in normalised text. */
  public static String regex() {
    return PHRASES.stream().map(TextNormalizer::normalize).distinct().map(Pattern::quote)
        .collect(Collectors.joining("|", "(^|\\s)(", ")(\\s|$)"));
  }
}
