package nightwatch.generate;

import static nightwatch.generate.World.SEG_BG;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * The day's shared images: media campaigns (propagandists posting one image within minutes, each copy re-encoded so
 * that its PDQ hash differs in a few bits and its md5 in all of them, save exact re-posts) and memes that a hundred
 * or more ordinary accounts re-post over the day. Like {@link LinkPlan}, all ride on background rows: a campaign post
 * takes the place of a background row that carries no planted link, and a meme is attached to a background text
 * after its own draws, so the text campaigns, link campaigns, accounts and reports stay as they are. Half of the
 * campaigns' images are in {@code known_media} (their PDQ or a close variant; for the first one its md5 too).
 */
final class MediaPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An image file: its 256-bit PDQ hash (four longs) and its md5 (two longs). */
  record Image(long[] pdq, long[] md5) implements Serializable {
    String pdqHex() {
      return hex(pdq);
    }

    String md5Hex() {
      return hex(md5);
    }
  }

  /** One entry of a message's media column: kind, md5 and pdq as lower-case hex. */
  record Media(String kind, String md5, String pdq) implements Serializable {}

  /** A media campaign: truth id, image, language, posters and burst. */
  record Campaign(String id, Image image, int lang, long[] accounts, long start, int span) implements Serializable {}

  /** A meme re-posted over the day: truth id and image. */
  record Meme(String id, Image image) implements Serializable {}

  static final int MIN_CAMPAIGN_ACCOUNTS = 6;
  static final int MAX_CAMPAIGN_ACCOUNTS = 25;
  static final int MAX_BURST_SECONDS = 300;
  /** Bits that re-encoding flips in a posted copy's PDQ. */
  static final int MAX_FLIPS = 12;
  /** Bits in which a known_media PDQ may differ from the campaign's original. */
  static final int MAX_KNOWN_FLIPS = 10;

  // Captions long enough to be near-duplicates of each other (the job's text clusters take them): the truth groups
  // the posts of one caption as it groups any identical texts, whatever image they carry.
  private static final String[][] CAPTIONS = {
      {"look at this", "the truth they hide", "remember this day", "they will not silence this", "our answer to them",
          "see for yourselves", "they cannot stop it"},
      {"انظروا إلى هذا", "الحقيقة التي يخفونها", "تذكروا هذا اليوم", "لن يسكتوا هذا", "هذا ردنا عليهم",
          "شاهدوا بأنفسكم", "لن يوقفوها"},
      {"regardez ceci", "la vérité qu'ils cachent", "souvenez-vous de ce jour", "ils ne feront pas taire ceci",
          "notre réponse à eux", "voyez par vous-mêmes", "ils ne l'arrêteront pas"}};

  final Campaign[] campaigns;
  final long[] rows; // background rows (local index) that carry campaign posts, ascending
  final long[] firstPost; // index in rows of each campaign's first post
  final Meme[] memes;
  final double[] memeShare; // cumulative share of background rows that carry each meme
  private final long seedDay;
  private final boolean enabled;

  private MediaPlan(long seedDay, boolean enabled, Campaign[] campaigns, long[] rows, long[] firstPost, Meme[] memes,
                    double[] memeShare) {
    this.seedDay = seedDay;
    this.enabled = enabled;
    this.campaigns = campaigns;
    this.rows = rows;
    this.firstPost = firstPost;
    this.memes = memes;
    this.memeShare = memeShare;
  }

  /** No planted media: every background row stays as the link plan leaves it. */
  static MediaPlan none(World w) {
    return new MediaPlan(w.seedDay, false, new Campaign[0], new long[0], new long[0], new Meme[0], new double[0]);
  }

  /** The number of media campaigns on a day: one per 40,000 messages, at least 2. */
  static int campaignCount(World w) {
    return (int) Math.max(2, Math.round(w.n / 40000.0));
  }

  /** The original image of media campaign k (a pure function of the day, so the reference can name it). */
  static Image campaignImage(World w, int k) {
    return image(H.h(w.seedDay, k, 0x1C0));
  }

  /** Whether media campaign k's image is in known_media: every other one, the first included. */
  static boolean known(int k) {
    return k % 2 == 0;
  }

  /**
   * Today's plan; {@code propagandaPoster} gives the account of a propaganda row, whose members the campaigns use, and
   * {@code links} the rows the link plan has taken.
   */
  static MediaPlan build(World w, LinkPlan links, LongUnaryOperator propagandaPoster) {
    if (!w.media) {
      return none(w);
    }
    String day = LocalDate.ofEpochDay(w.day).toString();
    List<long[]> members = LinkPlan.membersByCampaign(w, propagandaPoster);
    Campaign[] campaigns = new Campaign[campaignCount(w)];
    long[] firstPost = new long[campaigns.length];
    int posts = 0;
    for (int k = 0; k < campaigns.length; k++) {
      campaigns[k] = campaign(w, day, k, members);
      firstPost[k] = posts;
      posts += campaigns[k].accounts().length;
    }
    long bg = w.seg[SEG_BG + 1] - w.seg[SEG_BG];
    Meme[] memes = new Meme[(int) Math.max(2, Math.round(w.n / 100000.0))];
    double[] share = new double[memes.length];
    double cum = 0;
    for (int k = 0; k < memes.length; k++) {
      long h = H.h(w.seedDay, k, 0x1C4);
      memes[k] = new Meme("meme-" + day + "-" + k, image(H.mix(h)));
      cum += Math.min(H.between(h, 150, 300), bg / (8.0 * memes.length)) / bg;
      share[k] = cum;
    }
    return new MediaPlan(w.seedDay, true, campaigns, campaignRows(w, links, posts), firstPost, memes, share);
  }

  /** Media campaign k: members of one host campaign first, then of the others, so the posters already post today. */
  private static Campaign campaign(World w, String day, int k, List<long[]> members) {
    long h = H.h(w.seedDay, k, 0x1C1);
    int host = H.below(h, members.size());
    int size = H.between(H.mix(h), MIN_CAMPAIGN_ACCOUNTS, MAX_CAMPAIGN_ACCOUNTS);
    long[] accounts = LinkPlan.burstAccounts(members, host, size, c -> H.h(w.seedDay, k, c, 0x1C2));
    long start = w.dayStart + H.below(H.h(w.seedDay, k, 0x1C3), 86400 - 2 * MAX_BURST_SECONDS);
    int span = H.between(H.h(w.seedDay, k, 0x1C5), 60, MAX_BURST_SECONDS);
    int lang = w.campaigns[w.active[host]].lang;
    return new Campaign("media-" + day + "-" + k, campaignImage(w, k), lang, accounts, start, span);
  }

  /**
   * Background rows spread evenly over the segment, half a step from the link campaigns' spacing, none of them one
   * that background retweets point at or one that carries a planted link.
   */
  private static long[] campaignRows(World w, LinkPlan links, int posts) {
    long bg = w.seg[SEG_BG + 1] - w.seg[SEG_BG];
    long step = bg / (posts + 1);
    long[] out = new long[posts];
    long next = 0;
    for (int p = 0; p < posts; p++) {
      long local = Math.max(next, (p + 1) * step + step / 2);
      while (w.retweetedBackground(local) || links.post(local) >= 0 || links.sharedLink(local) != null
          || links.newsOf(w.seg[SEG_BG] + local) != null) {
        local++;
      }
      out[p] = local;
      next = local + 1;
    }
    return out;
  }

  /** A random image: 256 PDQ bits and an md5. */
  static Image image(long h) {
    SplittableRandom r = new SplittableRandom(h);
    return new Image(new long[] {r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()},
        new long[] {r.nextLong(), r.nextLong()});
  }

  /**
   * A copy of {@code image} as one post carries it: a quarter are exact re-posts (same file), the others re-encoded,
   * with 1 to {@link #MAX_FLIPS} PDQ bits flipped and a new md5.
   */
  static Image posted(Image image, SplittableRandom r) {
    int flips = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(MAX_FLIPS);
    return flips == 0 ? image : new Image(flipped(image.pdq(), flips, r), new long[] {r.nextLong(), r.nextLong()});
  }

  /** The PDQ with {@code flips} distinct bits flipped. */
  static long[] flipped(long[] pdq, int flips, SplittableRandom r) {
    long[] out = pdq.clone();
    BitSet done = new BitSet(256);
    while (done.cardinality() < flips) {
      int bit = r.nextInt(256);
      if (!done.get(bit)) {
        done.set(bit);
        out[bit / 64] ^= 1L << (bit % 64);
      }
    }
    return out;
  }

  /** Bits in which two PDQ hashes differ. */
  static int distance(long[] a, long[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Long.bitCount(a[i] ^ b[i]);
    }
    return d;
  }

  static String hex(long[] words) {
    StringBuilder sb = new StringBuilder(words.length * 16);
    for (long x : words) {
      sb.append(String.format("%016x", x));
    }
    return sb.toString();
  }

  static Media entry(Image image) {
    return new Media("image", image.md5Hex(), image.pdqHex());
  }

  /** The index of the caption a campaign post carries with its image. */
  static int caption(int lang, SplittableRandom r) {
    return r.nextInt(CAPTIONS[lang].length);
  }

  static String captionText(int lang, int caption) {
    return CAPTIONS[lang][caption];
  }

  // ---------------------------------------------------------------- rows (executors)

  /** Index of the campaign post on background row {@code local}, or -1. */
  int post(long local) {
    int i = java.util.Arrays.binarySearch(rows, local);
    return i >= 0 ? i : -1;
  }

  Campaign campaignOf(int post) {
    return campaigns[World.bucket(firstPost, post)];
  }

  /** The poster of campaign post p: each account of a campaign posts its image once. */
  long poster(int post) {
    int k = World.bucket(firstPost, post);
    return campaigns[k].accounts()[(int) (post - firstPost[k])];
  }

  /** The meme that background row r re-posts, or null. */
  Meme memeOf(long r) {
    if (!enabled) {
      return null;
    }
    double u = H.u(H.h(seedDay, r, 0x1C6));
    if (u >= memeShare[memeShare.length - 1]) {
      return null;
    }
    int k = 0;
    while (u >= memeShare[k]) {
      k++;
    }
    return memes[k];
  }
}
