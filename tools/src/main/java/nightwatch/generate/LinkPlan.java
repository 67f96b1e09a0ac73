package nightwatch.generate;

import static nightwatch.generate.World.SEG_BG;
import static nightwatch.generate.World.SEG_PROP;
import static nightwatch.generate.World.TAG_MEMBER;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day's shared links besides those texts already carry: link campaigns (propagandists posting one file-host or
 * paste-site link within minutes, with little or no text), news links that a few hundred ordinary accounts share over
 * the day, and links that two or three ordinary accounts share. All ride on background rows, so the planted text
 * campaigns, accounts and reports stay as they are: a campaign post takes a background row's place, and news and
 * shared links are added to a background text.
 */
final class LinkPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A link campaign: truth id, canonical link (no scheme, no www.), language, posters and burst. */
  record Campaign(String id, String link, int lang, long[] accounts, long start, int span) implements Serializable {}

  /** A news link shared over the day: truth id and canonical link. */
  record News(String id, String link) implements Serializable {}

  /** How often a posted link differs from its canonical form: scheme, www., host case, slash, tracking, fragment. */
  record Variety(double http, double www, double upperHost, double slash, double tracking, double fragment)
      implements Serializable {}

  // Copy-pasted from many apps and channels, so campaign posts differ in every way a canonical form removes.
  static final Variety CAMPAIGN_VARIETY = new Variety(0.3, 0.3, 0.15, 0.25, 0.3, 0.05);
  // News links are mostly posted from the site's own share button: https, www. and now and then a tracking tag.
  static final Variety NEWS_VARIETY = new Variety(0.05, 0.85, 0.0, 0.05, 0.15, 0.0);

  static final int MIN_CAMPAIGN_ACCOUNTS = 6;
  static final int MAX_CAMPAIGN_ACCOUNTS = 30;
  static final int MAX_BURST_SECONDS = 300;
  /** Background rows are grouped in blocks; the first one to three rows of a block share one link. */
  static final int SHARED_BLOCK = 50;

  private static final String[][] PHRASES = {
      {"", "", "watch before it is deleted", "new release", "full version", "download", "share widely", "mirror",
          "link"},
      {"", "", "شاهد قبل الحذف", "إصدار جديد", "النسخة الكاملة", "للتحميل", "انشروا", "رابط بديل", "الرابط"},
      {"", "", "à voir avant suppression", "nouvelle publication", "version complète", "à télécharger",
          "partagez", "lien miroir", "lien"}};

  final Campaign[] campaigns;
  final long[] rows; // background rows (local index) that carry campaign posts, ascending
  final long[] firstPost; // index in rows of each campaign's first post
  final News[] news;
  final double[] newsShare; // cumulative share of background rows that carry each news link
  private final long seedDay;
  private final boolean enabled;

  private LinkPlan(long seedDay, boolean enabled, Campaign[] campaigns, long[] rows, long[] firstPost, News[] news,
                   double[] newsShare) {
    this.seedDay = seedDay;
    this.enabled = enabled;
    this.campaigns = campaigns;
    this.rows = rows;
    this.firstPost = firstPost;
    this.news = news;
    this.newsShare = newsShare;
  }

  /** No planted links: every background row stays plain background (to compare a day with and without them). */
  static LinkPlan none(World w) {
    return new LinkPlan(w.seedDay, false, new Campaign[0], new long[0], new long[0], new News[0], new double[0]);
  }

  /** Today's plan; {@code propagandaPoster} gives the account of a propaganda row, whose members the campaigns use. */
  static LinkPlan build(World w, LongUnaryOperator propagandaPoster) {
    if (!w.links) {
      return none(w);
    }
    String day = LocalDate.ofEpochDay(w.day).toString();
    List<long[]> members = membersByCampaign(w, propagandaPoster);
    Campaign[] campaigns = new Campaign[campaignCount(w)];
    long[] firstPost = new long[campaigns.length];
    int posts = 0;
    for (int k = 0; k < campaigns.length; k++) {
      campaigns[k] = campaign(w, day, k, members);
      firstPost[k] = posts;
      posts += campaigns[k].accounts().length;
    }
    long bg = w.seg[SEG_BG + 1] - w.seg[SEG_BG];
    News[] news = new News[(int) Math.max(2, Math.round(w.n / 50000.0))];
    double[] share = new double[news.length];
    double cum = 0;
    for (int k = 0; k < news.length; k++) {
      long h = H.h(w.seedDay, k, 0x1B4);
      news[k] = new News("news-" + day + "-" + k, newsLink(w.day, h));
      // A few hundred shares each, fewer on a small day so background keeps most of its rows.
      cum += Math.min(H.between(h, 150, 400), bg / (8.0 * news.length)) / bg;
      share[k] = cum;
    }
    return new LinkPlan(w.seedDay, true, campaigns, campaignRows(w, posts), firstPost, news, share);
  }

  /** Link campaigns of a day: one per 25,000 messages, at least 2. */
  static int campaignCount(World w) {
    return (int) Math.max(2, Math.round(w.n / 25000.0));
  }

  /** Link campaign k's link, as the host spells it. */
  static String campaignLink(World w, int k) {
    return fileLink(H.h(w.seedDay, k, 0x1B5));
  }

  /** Distinct member accounts posting today for each active text campaign (evaders left out). */
  static List<long[]> membersByCampaign(World w, LongUnaryOperator propagandaPoster) {
    List<long[]> out = new ArrayList<>();
    for (int a = 0; a < w.active.length; a++) {
      Set<Long> seen = new LinkedHashSet<>();
      for (long k = 0; k < w.campCount[a]; k++) {
        long code = propagandaPoster.applyAsLong(w.seg[SEG_PROP] + w.campStart[a] + k);
        if (World.tag(code) == TAG_MEMBER) {
          seen.add(code);
        }
      }
      out.add(seen.stream().mapToLong(Long::longValue).toArray());
    }
    return out;
  }

  /** Link campaign k: members of one host campaign first, then of the others, so the posters already post today. */
  private static Campaign campaign(World w, String day, int k, List<long[]> members) {
    long h = H.h(w.seedDay, k, 0x1B0);
    int host = H.below(h, members.size());
    int size = H.between(H.mix(h), MIN_CAMPAIGN_ACCOUNTS, MAX_CAMPAIGN_ACCOUNTS);
    long[] accounts = burstAccounts(members, host, size, c -> H.h(w.seedDay, k, c, 0x1B1));
    long start = w.dayStart + H.below(H.h(w.seedDay, k, 0x1B2), 86400 - 2 * MAX_BURST_SECONDS);
    int span = H.between(H.h(w.seedDay, k, 0x1B3), 60, MAX_BURST_SECONDS);
    int lang = w.campaigns[w.active[host]].lang;
    return new Campaign("link-" + day + "-" + k, campaignLink(w, k), lang, accounts, start, span);
  }

  /**
   * The posters of a burst: up to {@code size} of today's members, those of the host campaign first, then those of
   * the others, each group in the order {@code key} gives.
   */
  static long[] burstAccounts(List<long[]> members, int host, int size, LongUnaryOperator key) {
    Comparator<Long> shuffled = Comparator.comparingLong(key::applyAsLong);
    List<Long> order = new ArrayList<>(Arrays.stream(members.get(host)).boxed().sorted(shuffled).toList());
    List<Long> others = new ArrayList<>();
    for (int a = 0; a < members.size(); a++) {
      if (a != host) {
        Arrays.stream(members.get(a)).forEach(others::add);
      }
    }
    others.sort(shuffled);
    order.addAll(others);
    return order.subList(0, Math.min(order.size(), size)).stream().mapToLong(Long::longValue).toArray();
  }

  /** Background rows spread evenly over the segment, none of them one that background retweets point at. */
  private static long[] campaignRows(World w, int posts) {
    long bg = w.seg[SEG_BG + 1] - w.seg[SEG_BG];
    long step = bg / (posts + 1);
    long[] out = new long[posts];
    for (int p = 0; p < posts; p++) {
      long local = (p + 1) * step;
      out[p] = w.retweetedBackground(local) ? local + 1 : local;
    }
    return out;
  }

  /** A file host's or paste site's link, as the host spells it (ids keep their case). */
  static String fileLink(long h) {
    SplittableRandom r = new SplittableRandom(h);
    return switch (r.nextInt(5)) {
      case 0 -> "archive.org/details/" + H.base62(r.nextLong(), 6) + "_" + H.base62(r.nextLong(), 5);
      case 1 -> "justpaste.it/" + H.base62(r.nextLong(), 5).toLowerCase(Locale.ROOT);
      case 2 -> "drive.google.com/file/d/1" + H.base62(r.nextLong(), 32) + "/view";
      case 3 -> "pastebin.com/" + H.base62(r.nextLong(), 8);
      default -> "files.catbox.moe/" + H.base62(r.nextLong(), 6).toLowerCase(Locale.ROOT) + ".mp4";
    };
  }

  /** A news article's link on day d. */
  static String newsLink(long d, long h) {
    SplittableRandom r = new SplittableRandom(h);
    LocalDate ds = LocalDate.ofEpochDay(d);
    String slug = Vocab.word(0, 200 + r.nextInt(1500)) + "-" + Vocab.word(0, 200 + r.nextInt(1500)) + "-"
        + Vocab.word(0, 200 + r.nextInt(1500));
    return switch (r.nextInt(4)) {
      case 0 -> "bbc.com/news/world-middle-east-" + (60_000_000 + r.nextInt(9_000_000));
      case 1 -> "reuters.com/world/middle-east/" + slug + "-" + ds;
      case 2 -> "aljazeera.com/news/" + ds.toString().replace('-', '/') + "/" + slug;
      default -> "france24.com/fr/moyen-orient/" + ds.toString().replace("-", "") + "-" + slug;
    };
  }

  /** The link as one post gives it: scheme, www., host case, trailing slash, tracking parameters and fragment vary. */
  static String posted(String link, SplittableRandom r, Variety v) {
    int slash = link.indexOf('/');
    String host = slash < 0 ? link : link.substring(0, slash);
    String path = slash < 0 ? "" : link.substring(slash);
    StringBuilder sb = new StringBuilder(r.nextDouble() < v.http() ? "http://" : "https://");
    if (r.nextDouble() < v.www()) {
      sb.append("www.");
    }
    sb.append(r.nextDouble() < v.upperHost() ? host.toUpperCase(Locale.ROOT) : host).append(path);
    if (r.nextDouble() < v.slash()) {
      sb.append('/');
    }
    if (r.nextDouble() < v.tracking()) {
      sb.append(tracking(r));
    }
    if (r.nextDouble() < v.fragment()) {
      sb.append("#main");
    }
    return sb.toString();
  }

  private static String tracking(SplittableRandom r) {
    String[] sources = {"telegram", "twitter", "whatsapp", "facebook"};
    return switch (r.nextInt(4)) {
      case 0 -> "?utm_source=" + sources[r.nextInt(sources.length)];
      case 1 -> "?utm_source=" + sources[r.nextInt(sources.length)] + "&utm_medium=social&utm_campaign=share";
      case 2 -> "?fbclid=IwAR" + H.base62(r.nextLong(), 20);
      default -> "?gclid=" + H.base62(r.nextLong(), 16);
    };
  }

  /** The few words a campaign post carries besides its link, often none. */
  static String phrase(int lang, SplittableRandom r) {
    return PHRASES[lang][r.nextInt(PHRASES[lang].length)];
  }

  // ---------------------------------------------------------------- rows (executors)

  /** Index of the campaign post on background row {@code local}, or -1. */
  int post(long local) {
    int i = Arrays.binarySearch(rows, local);
    return i >= 0 ? i : -1;
  }

  Campaign campaignOf(int post) {
    return campaigns[World.bucket(firstPost, post)];
  }

  /** The poster of campaign post p: each account of a campaign posts its link once. */
  long poster(int post) {
    int k = World.bucket(firstPost, post);
    return campaigns[k].accounts()[(int) (post - firstPost[k])];
  }

  /** The news link that background row r shares, or null. */
  News newsOf(long r) {
    if (!enabled) {
      return null;
    }
    double u = H.u(H.h(seedDay, r, 0x1B6));
    if (u >= newsShare[newsShare.length - 1]) {
      return null;
    }
    int k = 0;
    while (u >= newsShare[k]) {
      k++;
    }
    return news[k];
  }

  /** The link that background row {@code local} shares with one or two rows of its block, or null. */
  String sharedLink(long local) {
    if (!enabled) {
      return null;
    }
    long block = local / SHARED_BLOCK;
    long h = H.h(seedDay, block, 0x1B7);
    if (local % SHARED_BLOCK >= 1 + H.below(h, 3)) {
      return null;
    }
    SplittableRandom r = new SplittableRandom(H.mix(h));
    return "https://" + Vocab.COMMON_DOMAINS[r.nextInt(Vocab.COMMON_DOMAINS.length)] + "/"
        + H.base62(r.nextLong(), 8);
  }

  // ---------------------------------------------------------------- links in a text

  private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s\"«»“”<>…]+");

  /** The links a text carries, as the network's url entities give them; null when it has none. */
  static List<String> urlsIn(String text) {
    if (text == null || !text.contains("://")) {
      return null;
    }
    List<String> out = new ArrayList<>();
    Matcher m = URL.matcher(text);
    while (m.find()) {
      out.add(m.group().replaceAll("[.,;:!?)']+$", ""));
    }
    return out.isEmpty() ? null : out;
  }
}
