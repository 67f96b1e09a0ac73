package nightwatch.generate;

import java.util.SplittableRandom;

/**
 * The words that counter-speech adds to what it quotes, from a small grammar per language (English, Arabic,
 * French): an optional opening, a subject with an inflected verb, an object, and a call to action, with Arabic
 * conjunction clitics and French elisions, so that the same sentence rarely comes twice and no list of sentences
 * can be learnt by heart. Some calls carry no condemning word at all ("Do not amplify it").
 */
final class CounterSpeech {
  private CounterSpeech() {}

  private static final String[][] OPENINGS = {
      {"", "", "Warning:", "Again.", "Folks,", "Heads up:", "Seriously,", "Unbelievable.", "PSA:"},
      {"", "", "تنبيه:", "يا جماعة،", "للأسف،", "مرة أخرى،", "انتبهوا:"},
      {"", "", "Attention :", "Encore une fois,", "Sérieusement,", "Alerte :", "Incroyable."}};
  private static final String[][] SUBJECTS = {
      {"This account is pushing", "These accounts keep posting", "Another account spreading", "They are sharing",
          "Someone just posted", "Yet another profile pushing", "This page promotes", "These people spread",
          "Look who is reposting"},
      {"حساب يروج", "حسابات تروج", "هذا الحساب ينشر", "هؤلاء ينشرون", "صفحة تنشر", "حساب جديد يبث",
          "هذه الحسابات تروج", "شخص ينشر"},
      {"Ce compte diffuse", "Ces comptes relaient", "Encore un profil qui partage", "Ils publient",
          "Cette page fait", "Quelqu'un vient de poster", "Ces gens répandent"}};
  private static final String[][] OBJECTS = {
      {"ISIS propaganda", "terrorist propaganda", "Daesh recruitment material", "terror content", "extremist lies",
          "recruiting posts for Daesh", "jihadist videos", "hateful garbage", "the terrorists' message"},
      {"للإرهاب", "لدعاية داعش", "الدعاية الإرهابية", "أكاذيب داعش", "للتطرف", "محتوى إرهابيا", "لفكر التنظيم",
          "للمتطرفين"},
      {"de la propagande terroriste", "l'apologie du terrorisme", "les mensonges de Daech", "du contenu terroriste",
          "de la propagande jihadiste", "des appels à la haine", "l'idéologie des extrémistes"}};
  private static final String[][] CALLS = {
      {"Report it.", "Please report them.", "Reported.", "Don't share, report.", "Block and report.",
          "We condemn this.", "Reporting every one of these.", "Do not amplify it.", "Flag it to the platform.",
          "Stop sharing this.", "Shame on them.", "This is not religion."},
      {"الرجاء الإبلاغ عنه", "بلغوا عنه", "بلّغوا عن الحساب", "لا تنشروا هذا", "ندين هذا", "أبلغوا عنهم",
          "لا تعيدوا النشر", "احظروه", "داعش لا تمثل الإسلام", "هذا ليس من الدين"},
      {"Signalez-le.", "Signalez-les.", "Je l'ai signalé.", "Ne partagez pas.", "Nous dénonçons ça.", "Honte à eux.",
          "À signaler d'urgence.", "Bloquez et signalez.", "Ce n'est pas l'islam.", "Ne relayez pas."}};
  private static final String[] AR_CLITICS = {"و", "ف"};

  /** A condemnation in language {@code lang} (0 English, 1 Arabic, 2 French). */
  static String condemnation(int lang, SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    String opening = pick(OPENINGS[lang], r);
    if (!opening.isEmpty()) {
      sb.append(opening).append(' ');
    }
    sb.append(pick(SUBJECTS[lang], r)).append(' ').append(pick(OBJECTS[lang], r));
    sb.append(lang == 1 ? "، " : r.nextBoolean() ? ". " : " - ");
    String call = pick(CALLS[lang], r);
    if (lang == 1 && r.nextInt(3) == 0) {
      call = pick(AR_CLITICS, r) + call; // "and/so report him": a clitic on the call's first word
    }
    return sb.append(call).toString();
  }

  private static String pick(String[] a, SplittableRandom r) {
    return a[r.nextInt(a.length)];
  }
}
