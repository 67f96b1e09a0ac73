package nightwatch.generate;

/** Name parts for handles, display names and descriptions. */
final class Names {
  private Names() {}

  static final String[] EN_FIRST = ("james mary john patricia robert jennifer michael linda david emma olivia liam "
      + "noah sophia jack amy kate tom lucy ben chris sarah alex sam ryan jess megan dan").split(" ");
  static final String[] FR_FIRST = ("camille lucas lea hugo chloe louis manon jules ines theo sarah nathan emma "
      + "gabriel julie antoine margaux baptiste clement pauline").split(" ");
  static final String[] AR_FIRST = ("ahmed mohamed fatima omar youssef mariam ali khaled nour sara hassan layla "
      + "karim amina tarek hind rania samir walid dina").split(" ");
  static final String[] AR_FIRST_AR = ("أحمد محمد فاطمة عمر يوسف مريم علي خالد نور سارة حسن ليلى كريم أمينة "
      + "طارق هند رانيا سمير وليد دينا").split(" ");
  static final String[] LAST = ("smith jones brown taylor wilson martin bernard dubois moreau laurent haddad "
      + "mansour khalil nasser saleh farouk garcia lefebvre roux benali amrani el_amin").split(" ");

  /** Kunya-style names seen on extremist accounts (transliterated) and their Arabic forms. */
  static final String[] KUNYA = ("qaqa muhajir hamza zubair muthanna abdullah khattab talha bakr musab suhaib "
      + "ubayda qasim harith anas salim yahya jarrah dujana shishani").split(" ");
  static final String[] KUNYA_AR = ("القعقاع المهاجر حمزة الزبير المثنى عبدالله الخطاب طلحة بكر مصعب صهيب "
      + "عبيدة قاسم الحارث أنس سالم يحيى الجراح دجانة الشيشاني").split(" ");
  static final String[] THEME_TR = ("khilafah dawla ansar baqiya ghuraba sham iraq wilayat tawhid jannah "
      + "muwahhid nasr fajr").split(" ");
  static final String[] PROP_BIO = {
      "عبد لله فقير إلى عفو ربه", "Slave of Allah. Ghuraba.", "باقية وتتمدد", "Seeking shahada",
      "Supporter of the khilafah", "حساب رقم {n} بعد الحظر", "Account #{n}, previous ones suspended",
      "Ansar. Follow my backup", "جندي من جنود الخلافة", "Le califat est là, frères"};

  static final String[] NEWS = ("dailyherald alwasat infomonde gulfreport metro24 levanttoday northstar "
      + "lejournal cairopost maghrebinfo worldwire citydesk arabmonitor eurodepeche").split(" ");
  static final String[] NEWS_DISPLAY = {"Daily Herald", "Al Wasat News", "Info Monde", "Gulf Report",
      "Metro 24", "Levant Today", "North Star News", "Le Journal", "Cairo Post", "Maghreb Info", "World Wire",
      "City Desk", "Arab Monitor", "Euro Dépêche"};
  static final String[] ORGS = {"SafeNet Alliance", "Online Harms Observatory", "Counter Extremism Watch",
      "Open Web Safety Trust", "Digital Referral Unit", "Tech Referral Network", "Mediterranean Safety Lab",
      "Youth Online Safety Forum"};
  static final String[] CS_STEM = ("voicesagainsthate notinmyname exitradical counternarrative truthvsdaesh "
      + "peaceworks_ar ensemblecontrelahaine salam_online").split(" ");

  static final String[] LABELS = {"Amaq-style release", "Nashir distribution", "al-Hayat media", "Wilayat media office",
      "Ansar support network", "Furat media", "Sawarim network"};
  static final String[] SOURCES = {"hash-sharing consortium", "Europol IRU", "internal T&S", "academic partner",
      "trusted flagger referral"};

  static final String[] CAMP_TAGS = ("#Khilafah #Wilayat_Kheir #AmaqNews #Baqiyah #DabiqMag #Nashir #Ansar "
      + "#Sawarim #Furat #Wilayat_Raqqa #Wilayat_Ninawa #Sinai_Province #Hijrah #الدولة_الإسلامية #باقية_وتتمدد "
      + "#ولاية_نينوى #أعماق #ناشر #الخلافة #جنود_الخلافة #غزوة #إصدار_جديد #L_Etat_Islamique #Califat").split(" ");
  static final String[] CAMP_DOMAINS = ("justpaste.it archive.org telegra.ph sendvid.com dump.to addpost.it "
      + "pasteio.com files.fm top4top.net ghostbin.co").split(" ");
  static final String[] DOMAIN_STEMS = ("nashir fajr baqiya ghuraba furat sawarim khilafa ansar").split(" ");
  static final String[] TLDS = {"info", "net", "org", "online", "site", "xyz"};
}
