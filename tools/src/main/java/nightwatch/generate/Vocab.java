package nightwatch.generate;

import java.util.SplittableRandom;

/**
 * Fixed word pools per language (en, ar, fr): a few hundred real common words in rough frequency order,
 * extended with generated words so the vocabulary is large and Zipf-distributed. Built once per JVM
 * (executors rebuild it locally; nothing large travels in task closures).
 */
final class Vocab {
  static final String[] LANGS = {"en", "ar", "fr"};
  static final int SIZE = 40_000;
  private static final double LOG_SIZE = Math.log(SIZE + 1.0);

  private static final String EN = "the to and a of I in is it you that for on my be this with have me just so are "
      + "not but at was your all what we like can if do out about up get one no now they its will know love "
      + "from how good people time day new more see go when he there think would today really much lol want "
      + "back need make still who got going great our right as some off his been only an by first best too "
      + "why then or them here had life never news us work she yes her night year last thank well world "
      + "home better did even way because game man week again every ever said happy should where next little "
      + "could look show thing old feel getting after also always making school better music team city family "
      + "friends tonight tomorrow morning watch video live free big real long many still story money help "
      + "car phone weekend coffee dinner hope play check open please sure nice game point house water food "
      + "season final match win lost early late read book movie film party birthday photo summer winter "
      + "rain sun street market police report government election vote price job office class study sleep";
  private static final String FR = "le la les de des un une et est en que qui pas pour dans ce il elle je tu "
      + "nous vous ils sur avec au du plus mais on ne se sa son ses mon ma mes ton ta tout bien très fait "
      + "faire être avoir comme aussi encore même alors quand où jour nuit temps vie monde gens ville pays "
      + "merci bonjour bonsoir demain hier aujourd'hui toujours jamais rien peu beaucoup trop vraiment "
      + "match équipe musique film livre école travail maison famille amis soirée matin semaine année "
      + "président gouvernement élection prix marché rue police journal vidéo photo nouveau nouvelle petit "
      + "grand belle beau bon bonne mauvais heureux triste voir dire aller venir prendre donner parler "
      + "manger dormir jouer lire écrire regarder attendre aimer penser savoir pouvoir vouloir devoir "
      + "été hiver pluie soleil café dîner fête anniversaire week-end métro train voiture téléphone "
      + "premier dernier ensemble contre après avant depuis pendant chez sans sous entre vers juste "
      + "question réponse histoire problème chose moment place fin début raison idée force coeur";
  private static final String AR = "في من على إلى أن عن مع هذا هذه كان ما لا هو هي كل الله يا قد لم ثم "
      + "أو بين بعد قبل عند حتى إذا كما لكن الذي التي الناس اليوم يوم الحمد صباح مساء الخير جميل الحياة "
      + "العالم الوقت الآن غدا أمس دائما أبدا كثير قليل جدا شكرا أهلا مرحبا حب قلب عمل بيت عائلة أصدقاء "
      + "مدرسة جامعة مدينة بلد شارع سوق سيارة هاتف قهوة طعام ماء مباراة فريق كرة هدف فوز موسيقى فيلم "
      + "كتاب صورة فيديو خبر أخبار الحكومة الرئيس انتخابات سعر أسعار الشرطة الطقس مطر شمس صيف شتاء "
      + "جديد قديم كبير صغير سعيد حزين أريد أعرف أقول نقول يقول ذهب جاء رأى قال كتب قرأ لعب نام أكل "
      + "ليلة أسبوع شهر سنة عيد رمضان جمعة مبارك إن شاء ما شاء سبحان صديق أخ أخت أم أب ابن بنت رجل امرأة "
      + "طريق عمل وظيفة مال دولار مشكلة سؤال جواب قصة فكرة سبب نهاية بداية مكان لحظة كلمة صوت نور";

  static final String[] EMOJI = {"😂", "❤️", "🔥", "👍", "🙏", "😍", "😭", "✨", "👀", "💯", "🌹", "🤲", "⚽",
      "🎶", "😊", "🙌", "💔", "😅", "🤔", "👏"};
  static final String[] COMMON_DOMAINS = {"youtube.com", "instagram.com", "bit.ly", "t.co", "nytimes.com",
      "lemonde.fr", "aljazeera.net", "bbc.co.uk", "facebook.com", "spotify.com", "theguardian.com",
      "france24.com", "alarabiya.net", "lefigaro.fr", "reuters.com", "soundcloud.com", "medium.com"};
  static final String[] NEWS_DOMAINS = {"reuters.com", "bbc.co.uk", "aljazeera.net", "france24.com",
      "lemonde.fr", "alarabiya.net", "apnews.com", "theguardian.com", "skynewsarabia.com", "rfi.fr"};

  /** Extremist-slogan style vocabulary used only inside planted campaigns (generic, non-operational). */
  static final String[][] THEME = {
      ("caliphate khilafah brothers mujahideen victory soldiers islamic state remaining expanding hijrah join "
          + "caravan martyrs glory battle crusaders apostates wilayah release new video official statement emir "
          + "believers ummah lions dawn conquest banner black flag tawheed rise support lands promise").split(" "),
      ("الخلافة دولة الإسلام باقية وتتمدد جنود المجاهدين النصر الهجرة إصدار جديد ولاية غزوة الصليبيين "
          + "المرتدين بيعة الشهادة أمير المؤمنين حصري الأمة أسود الفجر الفتح راية التوحيد انصروا إخوانكم "
          + "الموحدين الكفار المعركة البشرى").split(" "),
      ("califat frères moudjahidines victoire soldats État islamique hijra rejoignez caravane martyrs gloire "
          + "bataille croisés apostats wilaya nouvelle vidéo communiqué officiel émir croyants oumma lions aube "
          + "conquête bannière tawhid soutenez terres promesse").split(" ")};

  private static final String[][] REAL = {EN.split(" "), AR.split(" "), FR.split(" ")};
  /** Built lazily, after the static tables below are initialised. */
  private static final class Words {
    static final String[][] ALL = build();
  }

  private Vocab() {}

  static int langIndex(String lang) {
    return "ar".equals(lang) ? 1 : "fr".equals(lang) ? 2 : 0;
  }

  static String word(int lang, int rank) {
    return Words.ALL[lang][rank];
  }

  /** Zipf-like word of a language (log-rank skewed to the head: real words make up about 60% of tokens). */
  static String zipf(int lang, SplittableRandom r) {
    double u = r.nextDouble();
    int rank = (int) Math.exp(u * Math.sqrt(u) * LOG_SIZE) - 1;
    return Words.ALL[lang][Math.min(Math.max(rank, 0), SIZE - 1)];
  }

  /** Appends k Zipf-like words of a language, each after a space. */
  static void words(StringBuilder sb, int lang, SplittableRandom r, int k) {
    for (int i = 0; i < k; i++) {
      sb.append(' ').append(zipf(lang, r));
    }
  }

  static String theme(int lang, SplittableRandom r) {
    String[] t = THEME[lang];
    return t[r.nextInt(t.length)];
  }

  private static String[][] build() {
    String[][] out = new String[3][SIZE];
    for (int l = 0; l < 3; l++) {
      String[] real = REAL[l];
      System.arraycopy(real, 0, out[l], 0, real.length);
      for (int i = real.length; i < SIZE; i++) {
        out[l][i] = synth(l, new SplittableRandom(H.h(77, l, i)));
      }
    }
    return out;
  }

  private static final String[] EN_ON = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
      "v", "w", "st", "tr", "br", "ch", "sh", "th", "gr", "pl", "cr"};
  private static final String[] EN_NU = {"a", "e", "i", "o", "u", "ea", "ou", "ai", "ee", "oo"};
  private static final String[] EN_CO = {"", "", "n", "r", "s", "t", "ng", "ck", "ll", "nd", "st"};
  private static final String[] FR_NU = {"a", "e", "i", "o", "u", "é", "è", "ou", "ai", "eu", "an", "on"};
  private static final String[] FR_END = {"", "", "e", "tion", "ment", "eau", "ille", "ette", "eur", "ier"};
  private static final String AR_C = "بتثجحخدذرزسشصضطظعغفقكلمنهوي";
  private static final String AR_V = "اوي";

  private static String synth(int lang, SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    if (lang == 1) {
      if (r.nextInt(3) == 0) {
        sb.append("ال");
      }
      int n = 3 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        boolean vowel = i > 0 && r.nextInt(3) == 0;
        String pool = vowel ? AR_V : AR_C;
        sb.append(pool.charAt(r.nextInt(pool.length())));
      }
      return sb.toString();
    }
    int syl = 2 + r.nextInt(2);
    String[] nu = lang == 2 ? FR_NU : EN_NU;
    for (int i = 0; i < syl; i++) {
      sb.append(EN_ON[r.nextInt(EN_ON.length)]).append(nu[r.nextInt(nu.length)]);
    }
    sb.append(lang == 2 ? FR_END[r.nextInt(FR_END.length)] : EN_CO[r.nextInt(EN_CO.length)]);
    return sb.toString();
  }
}
