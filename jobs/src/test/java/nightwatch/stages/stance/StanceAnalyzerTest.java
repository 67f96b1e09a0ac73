package nightwatch.stages.stance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StanceAnalyzerTest {
  private final StanceAnalyzer a = new StanceAnalyzer();

  @Test
  void arabicClitics() {
    // "An account promoting terrorism, please report it": the seed terms carry neither the prefix of للإرهاب nor al-.
    assertTrue(a.condemns("حساب يروج للإرهاب، الرجاء الإبلاغ عنه"));
    assertTrue(a.condemns("هؤلاء الإرهابيين يكذبون")); // "these terrorists", with al- and the plural ending
    assertTrue(a.condemns("بلّغوا عن الحساب")); // with a shadda
    assertTrue(a.condemns("وأبلغوا عنهم"));
    assertEquals(List.of("ارهاب"), a.stems("ar", "للإرهاب"));
  }

  @Test
  void frenchElisionAndInflection() {
    assertTrue(a.condemns("Je l'ai signalé, c'est de l'apologie."));
    assertTrue(a.condemns("Signalez-les tous"));
    assertTrue(a.condemns("Des terroristes, encore"));
    assertTrue(a.condemns("Il faut dénoncer ces comptes"));
  }

  @Test
  void englishInflection() {
    assertTrue(a.condemns("Reporting every one of these accounts"));
    assertTrue(a.condemns("Terrorists again. Reported."));
    assertTrue(a.condemns("Stop sharing this garbage"));
    assertTrue(a.condemns("ISIS recruiters at it again"));
  }

  @Test
  void propagandaAndChatterDoNotCondemn() {
    assertFalse(a.condemns("Brothers, rise up and join the caravan, the hour of victory is near"));
    assertFalse(a.condemns("الخلافة باقية وتتمدد بإذن الله"));
    assertFalse(a.condemns("Le califat appelle ses soldats, rejoignez les rangs"));
    assertFalse(a.condemns("nice weather today in the park with friends"));
    assertFalse(a.condemns(""));
    assertFalse(a.condemns(null));
  }
}
