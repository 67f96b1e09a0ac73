package nightwatch.generate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CounterSpeechTest {
  @Test
  void theGrammarRarelyRepeatsASentence() {
    for (int lang = 0; lang < 3; lang++) {
      SplittableRandom r = new SplittableRandom(lang);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        seen.add(CounterSpeech.condemnation(lang, r));
      }
      assertTrue(seen.size() >= 700, "language " + lang + ": " + seen.size() + " distinct of 1000");
    }
  }
}
