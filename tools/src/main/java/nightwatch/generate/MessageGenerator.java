package nightwatch.generate;

import static nightwatch.generate.World.SEG_ACT;
import static nightwatch.generate.World.SEG_BG;
import static nightwatch.generate.World.SEG_CS;
import static nightwatch.generate.World.SEG_NEWS;
import static nightwatch.generate.World.SEG_PROP;
import static nightwatch.generate.World.SEG_REPLY;
import static nightwatch.generate.World.SEG_RES;
import static nightwatch.generate.World.SEG_RT;
import static nightwatch.generate.World.SEG_VIRAL;
import static nightwatch.generate.World.TAG_ACT;
import static nightwatch.generate.World.TAG_CS;
import static nightwatch.generate.World.TAG_EVADER;
import static nightwatch.generate.World.TAG_NEWS;
import static nightwatch.generate.World.TAG_ORD;
import static nightwatch.generate.World.TAG_RES;
import static nightwatch.generate.World.bucket;
import static nightwatch.generate.World.code;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The messages of a day: row r's poster, text, time, language, reply/retweet/quote links and truth, a pure
 * function of (seed, ds, r). One method a kind of message (propaganda, viral, news, research, counter-speech,
 * activist, reply, retweet, background, link campaign, media campaign); reactions regenerate the row they react to.
 */
final class MessageGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One generated message with its truth. */
  static final class Msg {
    String id;
    long acct;
    long sec;
    String text;
    String lang;
    String replyTo;
    String retweetOf;
    String quoteOf;
    String cluster;
    String kind;
    String campaign;
    String linkCampaign;
    String organicLink;
    MediaPlan.Media media;
    String mediaCampaign;
    String organicMedia;
  }

  final World w;
  private final AccountGenerator accounts; // handles, for mentions, replies and retweets
  final LinkPlan links;
  final MediaPlan media;

  MessageGenerator(World w) {
    this.w = w;
    this.accounts = new AccountGenerator(w);
    this.links = LinkPlan.build(w, r -> propagandaPoster(r, r - w.seg[SEG_PROP]));
    this.media = MediaPlan.build(w, links, r -> propagandaPoster(r, r - w.seg[SEG_PROP]));
  }

  /** Message row r of the day; the segment it falls in decides its kind. */
  Msg describe(long r) {
    int s = World.segmentOf(w.seg, 9, r);
    long local = r - w.seg[s];
    SplittableRandom rng = H.rng(w.seedDay, r, 0x3E5);
    Msg m = new Msg();
    m.id = w.messageId(r);
    m.acct = acctOf(r);
    switch (s) {
      case SEG_PROP -> propaganda(m, local, rng);
      case SEG_VIRAL -> viral(m, local, rng);
      case SEG_NEWS -> news(m, r, rng);
      case SEG_RES -> research(m, r, rng);
      case SEG_CS -> counterSpeech(m, r, rng);
      case SEG_ACT -> activist(m, r, rng);
      case SEG_REPLY -> reply(m, rng);
      case SEG_RT -> bgRetweet(m, local, rng);
      default -> background(m, r, local, rng);
    }
    return m;
  }

  /**
   * The posting account of row r. Kept apart from the text so the accounts snapshot can be built without
   * generating texts; {@link #describe} uses the same function.
   */
  long acctOf(long r) {
    int s = World.segmentOf(w.seg, 9, r);
    long local = r - w.seg[s];
    switch (s) {
      case SEG_PROP -> {
        return propagandaPoster(r, local);
      }
      case SEG_VIRAL -> {
        int v = bucket(w.viralStart, local);
        long k = local - w.viralStart[v];
        long h = H.h(w.seedDay, r, 0xE3);
        if (w.virals[v].type == 0 && (k == 0 || H.below(h, 5) == 0)) {
          return code(TAG_NEWS, H.below(H.h(w.seedDay, v, k, 101), w.nNews));
        }
        return code(TAG_ORD, (long) (w.population * Math.pow(H.u(H.mix(h)), 3)));
      }
      case SEG_NEWS -> {
        return code(TAG_NEWS, H.below(H.h(w.seed, local, 111), w.nNews));
      }
      case SEG_RES -> {
        return code(TAG_RES, H.below(H.h(w.seed, local, 121), w.nRes));
      }
      case SEG_CS -> {
        return code(TAG_CS, H.below(H.h(w.seed, local, w.day, 131), w.nCs));
      }
      case SEG_ACT -> {
        return code(TAG_ACT, local / 4);
      }
      case SEG_BG -> {
        int p = links.post(local);
        if (p >= 0) {
          return links.poster(p);
        }
        int q = media.post(local);
        return q >= 0 ? media.poster(q) : ordinaryPoster(r);
      }
      default -> {
        return ordinaryPoster(r);
      }
    }
  }

  /** The ordinary account posting row r (background, reply or retweet), the low codes far more often. */
  private long ordinaryPoster(long r) {
    return code(TAG_ORD, (long) (w.population * Math.pow(H.u(H.h(w.seedDay, r, 0xE4)), 3)));
  }

  // ---------------------------------------------------------------- propaganda

  /**
   * Where a propaganda row falls: active campaign a, burst b (starting at row st of the campaign's share),
   * index i inside the burst; the first nOrig rows of a burst are originals by propagandists.
   */
  private record Burst(int a, Campaign cp, int b, long st, int i, int nOrig) {}

  private Burst burst(long local) {
    int a = bucket(w.campStart, local);
    Campaign cp = w.campaigns[w.active[a]];
    long k = local - w.campStart[a];
    int p = w.campCount[a];
    int b = (int) (k * w.campBursts[a] / p);
    long st = (b * (long) p + w.campBursts[a] - 1) / w.campBursts[a];
    long en = ((b + 1) * (long) p + w.campBursts[a] - 1) / w.campBursts[a];
    int size = (int) (en - st);
    return new Burst(a, cp, b, st, (int) (k - st), Math.max(1, Math.min(cp.nProp, size / 6)));
  }

  /** Originals come from propagandists, copies from amplifiers or, one time in ten, from an evader. */
  private long propagandaPoster(long r, long local) {
    Burst u = burst(local);
    Campaign cp = u.cp();
    if (u.i() < u.nOrig()) {
      return w.member(cp, (u.i() + u.b()) % cp.nProp, w.day);
    }
    long h = H.h(w.seedDay, r, 0xE1);
    long[] evaders = w.evaders[u.a()];
    if (evaders.length > 0 && H.below(h, 10) == 0) {
      return evaders[H.below(H.mix(h), evaders.length)];
    }
    int nAmp = cp.slots - cp.nProp;
    return nAmp > 0 ? w.member(cp, cp.nProp + (int) ((u.i() - u.nOrig() + u.b() * 7L) % nAmp), w.day)
        : w.member(cp, (u.i() + u.b()) % cp.nProp, w.day);
  }

  String[] dayTokens(Campaign cp, int s, boolean trans) {
    String[] base = trans ? cp.transTokens[s] : cp.seedTokens[s];
    int lang = trans ? cp.transLang[s] : cp.seedLang[s];
    String[] t = base.clone();
    // Small drift: every few days one word of the seed differs, and the link changes every day.
    long v = Math.floorDiv(w.day + cp.c, 3);
    long hv = H.h(w.seed, cp.c, s, v, 81);
    int p = H.below(hv, Math.max(1, t.length - 1));
    if (!t[p].startsWith("#") && !t[p].startsWith("https://")) {
      t[p] = new SplittableRandom(hv).nextBoolean() ? Vocab.theme(lang, new SplittableRandom(hv + 1))
          : Vocab.zipf(lang, new SplittableRandom(hv + 2));
    }
    long hl = H.h(w.seed, cp.c, s, w.day, 82);
    t[t.length - 1] = "https://" + cp.domains[H.below(hl, cp.domains.length)] + "/" + H.base62(hl, 7);
    return t;
  }

  private void propaganda(Msg m, long local, SplittableRandom rng) {
    Burst u = burst(local);
    Campaign cp = u.cp();
    int b = u.b();
    int i = u.i();
    long hb = H.h(w.seed, cp.c, w.day, b, 91);
    long burstStart = w.dayStart + H.below(hb, 86400 - 900);
    int duration = 60 + H.below(H.mix(hb), 541);
    m.campaign = cp.id;
    m.kind = "propaganda";
    if (i < u.nOrig()) {
      int s = (b + i) % cp.seedTokens.length;
      boolean trans = cp.transTokens[s] != null && i % 3 == 2;
      int lang = trans ? cp.transLang[s] : cp.seedLang[s];
      String[] t = dayTokens(cp, s, trans);
      m.text = rng.nextInt(4) == 0 ? Edits.propagandaCopy(t, lang, cp.hashtags, cp.domains, rng) : String.join(" ", t);
      m.lang = langField(lang, rng);
      m.cluster = cp.id + "/s" + s + "/" + Vocab.LANGS[lang];
      m.sec = w.clampSec(burstStart + i * (3L + rng.nextInt(15)));
      return;
    }
    int io = rng.nextInt(u.nOrig());
    boolean evader = World.tag(m.acct) == TAG_EVADER;
    if (evader) {
      m.kind = "evader";
    }
    long t0 = burstStart + 20 + (long) (rng.nextDouble() * duration);
    if (!evader && rng.nextInt(100) < 40) {
      Msg orig = describe(w.seg[SEG_PROP] + w.campStart[u.a()] + u.st() + io);
      retweet(m, orig);
      m.cluster = orig.cluster;
      m.sec = w.clampSec(Math.max(orig.sec + 5, t0));
      return;
    }
    int s = (b + io) % cp.seedTokens.length;
    boolean trans = cp.transTokens[s] != null && io % 3 == 2;
    int lang = trans ? cp.transLang[s] : cp.seedLang[s];
    m.text = Edits.propagandaCopy(dayTokens(cp, s, trans), lang, cp.hashtags, cp.domains, rng);
    m.lang = langField(lang, rng);
    m.cluster = cp.id + "/s" + s + "/" + Vocab.LANGS[lang];
    m.sec = w.clampSec(t0);
  }

  /** Makes m a retweet of orig: "RT @handle: text", in orig's language. */
  private void retweet(Msg m, Msg orig) {
    m.text = "RT @" + accounts.handle(orig.acct) + ": " + orig.text;
    m.retweetOf = orig.id;
    m.lang = orig.lang;
  }

  // ---------------------------------------------------------------- viral groups

  private void viral(Msg m, long local, SplittableRandom rng) {
    int v = bucket(w.viralStart, local);
    Viral g = w.virals[v];
    long k = local - w.viralStart[v];
    m.kind = "viral";
    m.cluster = String.format("viral%03d", v);
    long start = w.dayStart + g.start;
    if (k == 0) {
      m.text = g.text;
      m.lang = langField(g.lang, rng);
      m.sec = start;
      return;
    }
    m.sec = w.clampSec(start + 1 + (long) (g.spread * Math.pow(rng.nextDouble(), 1.5)));
    int mode = rng.nextInt(100);
    if (mode < 35) {
      retweet(m, describe(w.seg[SEG_VIRAL] + w.viralStart[v]));
    } else {
      m.text = mode < 80 ? g.text : Edits.viralCopy(g.text, rng);
      m.lang = langField(g.lang, rng);
    }
  }

  // ---------------------------------------------------------------- reactions: news, research, counter-speech

  private static final String[] EXPOSE = {"Accounts linked to Islamic State are spreading this message today:",
      "حسابات مرتبطة بتنظيم الدولة تنشر هذه الرسالة اليوم:",
      "Des comptes liés à l'État islamique diffusent ce message :"};
  private static final String[] ARCHIVE = {"Archived for research:", "أرشيف لأغراض البحث:",
      "Archivé pour la recherche :"};

  /** A message by {@code acct} reacting to a propaganda message: condemnation, optionally with the full text. */
  private void condemn(Msg m, long r, int lang, SplittableRandom rng, int withTextPct) {
    Msg p = describe(w.randomPropRow(r));
    m.quoteOf = p.id;
    StringBuilder sb = new StringBuilder(CounterSpeech.condemnation(lang, rng));
    Vocab.words(sb, lang, rng, 3 + rng.nextInt(6));
    if (rng.nextInt(100) < withTextPct) {
      sb.append(" \"").append(p.text).append('"');
      m.cluster = p.cluster;
    }
    m.text = sb.toString();
    m.lang = langField(lang, rng);
    m.sec = w.clampSec(p.sec + 300 + rng.nextInt(4 * 3600));
  }

  private void news(Msg m, long r, SplittableRandom rng) {
    int i = (int) (m.acct & 0xFFFFFF);
    m.kind = "news";
    int lang = i % 3;
    if (rng.nextInt(100) < 8) {
      Msg p = describe(w.randomPropRow(r));
      m.quoteOf = p.id;
      StringBuilder sb = new StringBuilder(EXPOSE[lang]);
      if (rng.nextBoolean()) {
        sb.append(' ').append(p.text);
        m.cluster = p.cluster;
      } else {
        Vocab.words(sb, lang, rng, 8 + rng.nextInt(8));
      }
      m.text = sb.toString();
      m.lang = langField(lang, rng);
      m.sec = w.clampSec(p.sec + 1800 + rng.nextInt(6 * 3600));
      return;
    }
    StringBuilder sb = new StringBuilder();
    Vocab.words(sb, lang, rng, 10 + rng.nextInt(8));
    sb.append(" https://").append(Vocab.NEWS_DOMAINS[rng.nextInt(Vocab.NEWS_DOMAINS.length)]).append('/')
        .append(H.base62(rng.nextLong(), 9));
    post(m, sb.toString().trim(), lang, rng);
  }

  private void research(Msg m, long r, SplittableRandom rng) {
    int i = (int) (m.acct & 0xFFFFFF);
    m.kind = "research";
    int lang = i % 2 == 0 ? 0 : (i % 4 == 1 ? 1 : 2);
    if (rng.nextInt(100) < 60) {
      Msg p = describe(w.randomPropRow(r));
      m.text = ARCHIVE[lang] + " " + p.text;
      m.cluster = p.cluster;
      if (rng.nextBoolean()) {
        m.quoteOf = p.id;
      }
      m.lang = langField(lang, rng);
      m.sec = w.clampSec(p.sec + 600 + rng.nextInt(8 * 3600));
      return;
    }
    StringBuilder sb = new StringBuilder();
    Vocab.words(sb, lang, rng, 12 + rng.nextInt(10));
    post(m, sb.toString().trim(), lang, rng);
  }

  private void counterSpeech(Msg m, long r, SplittableRandom rng) {
    int i = (int) (m.acct & 0xFFFFFF);
    m.kind = "counter_speech";
    condemn(m, r, i % 3, rng, 30);
  }

  private void activist(Msg m, long r, SplittableRandom rng) {
    int lang = w.ordinaryLang(m.acct);
    if (rng.nextBoolean()) {
      m.kind = "counter_speech";
      condemn(m, r, lang, rng, 20);
    } else {
      m.kind = "background";
      post(m, backgroundText(lang, rng), lang, rng);
    }
  }

  // ---------------------------------------------------------------- background chatter, replies and retweets

  private void reply(Msg m, SplittableRandom rng) {
    Msg parent = describe(w.seg[SEG_BG] + rng.nextLong(w.seg[SEG_BG + 1] - w.seg[SEG_BG]));
    int lang = rng.nextInt(5) == 0 ? w.ordinaryLang(m.acct) : Vocab.langIndex(parent.lang);
    m.kind = "background";
    m.replyTo = parent.id;
    m.text = "@" + accounts.handle(parent.acct) + " " + backgroundText(lang, rng);
    m.lang = langField(lang, rng);
    m.sec = w.clampSec(parent.sec + 30 + rng.nextInt(3 * 3600));
  }

  private void bgRetweet(Msg m, long local, SplittableRandom rng) {
    long target = local < w.bgRtPopular ? local : (long) (w.bgRtPopular * Math.pow(rng.nextDouble(), 2));
    Msg orig = describe(w.seg[SEG_BG] + target * w.bgRtStride);
    m.kind = "background";
    retweet(m, orig);
    m.cluster = orig.cluster;
    m.sec = w.clampSec(orig.sec + 10 + rng.nextInt(6 * 3600));
  }

  private void background(Msg m, long r, long local, SplittableRandom rng) {
    int p = links.post(local);
    if (p >= 0) {
      linkCampaignPost(m, p, rng);
      return;
    }
    int q = media.post(local);
    if (q >= 0) {
      mediaCampaignPost(m, q, rng);
      return;
    }
    int lang = rng.nextInt(10) == 0 ? rng.nextInt(3) : w.ordinaryLang(m.acct);
    m.kind = "background";
    post(m, backgroundText(lang, rng), lang, rng);
    if (w.retweetedBackground(local)) {
      m.cluster = "bgrt/" + m.id;
      return;
    }
    // Links, then a meme, are added after the text's own draws, so the text and time stay those of the row
    // without them.
    LinkPlan.News news = links.newsOf(r);
    String shared = links.sharedLink(local);
    if (news != null) {
      m.organicLink = news.id();
      m.text += " " + LinkPlan.posted(news.link(), rng, LinkPlan.NEWS_VARIETY);
    } else if (shared != null) {
      m.text += " " + shared;
    }
    MediaPlan.Meme meme = media.memeOf(r);
    if (meme != null) {
      m.organicMedia = meme.id();
      m.media = MediaPlan.entry(MediaPlan.posted(meme.image(), rng));
    }
  }

  /** A link campaign's post: its link as this copy spells it, alone or with a few words, within the burst. */
  private void linkCampaignPost(Msg m, int p, SplittableRandom rng) {
    LinkPlan.Campaign c = links.campaignOf(p);
    String url = LinkPlan.posted(c.link(), rng, LinkPlan.CAMPAIGN_VARIETY);
    String phrase = LinkPlan.phrase(c.lang(), rng);
    m.kind = "link_campaign";
    m.linkCampaign = c.id();
    m.text = phrase.isEmpty() ? url : rng.nextInt(4) == 0 ? url + " " + phrase : phrase + " " + url;
    m.lang = phrase.isEmpty() ? null : langField(c.lang(), rng);
    m.sec = c.start() + rng.nextInt(c.span());
  }

  /**
   * A media campaign's post: its image as this copy was encoded, with a short caption, within the burst. The posts of
   * one caption (in any media campaign) are one near-duplicate text group.
   */
  private void mediaCampaignPost(Msg m, int q, SplittableRandom rng) {
    MediaPlan.Campaign c = media.campaignOf(q);
    m.kind = "media_campaign";
    m.mediaCampaign = c.id();
    m.media = MediaPlan.entry(MediaPlan.posted(c.image(), rng));
    int caption = MediaPlan.caption(c.lang(), rng);
    m.text = MediaPlan.captionText(c.lang(), caption);
    m.cluster = "mcap/" + Vocab.LANGS[c.lang()] + "/" + caption;
    m.lang = langField(c.lang(), rng);
    m.sec = c.start() + rng.nextInt(c.span());
  }

  String backgroundText(int lang, SplittableRandom r) {
    int k = 8 + r.nextInt(18);
    List<String> t = new ArrayList<>(k + 4);
    for (int i = 0; i < k; i++) {
      t.add(Vocab.zipf(lang, r));
    }
    if (r.nextInt(100) < 15) {
      t.set(r.nextInt(t.size()), String.valueOf(r.nextInt(10) < 5 ? r.nextInt(100) : 1990 + r.nextInt(40)));
    }
    if (r.nextInt(100) < 25) {
      int rank = (int) Math.exp(r.nextDouble() * Math.log(3000));
      String word = Vocab.word(lang, rank);
      t.add(r.nextInt(t.size() + 1),
          "#" + (lang == 1 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1)));
    }
    if (r.nextInt(100) < 20) {
      t.add(r.nextInt(t.size() + 1), "@" + accounts.handle(w.zipfOrdinary(r)));
    }
    if (r.nextInt(100) < 10) {
      t.add("https://" + Vocab.COMMON_DOMAINS[r.nextInt(Vocab.COMMON_DOMAINS.length)] + "/"
          + H.base62(r.nextLong(), 6 + r.nextInt(5)));
    }
    if (r.nextInt(100) < 20) {
      t.add(Vocab.EMOJI[r.nextInt(Vocab.EMOJI.length)]);
    }
    if (lang != 1 && r.nextInt(100) < 30) {
      String first = t.get(0);
      t.set(0, Character.toUpperCase(first.charAt(0)) + first.substring(1));
    }
    return String.join(" ", t);
  }

  // ---------------------------------------------------------------- times and language fields

  /** An account's own post (not a reaction): the text, then its lang field and a time in the daily rhythm. */
  private void post(Msg m, String text, int lang, SplittableRandom rng) {
    m.text = text;
    m.lang = langField(lang, rng);
    m.sec = diurnal(rng);
  }

  private static final double[] HOURS = {3, 2, 1.5, 1.2, 1.2, 1.5, 2.5, 4, 5, 5.5, 5.5, 6, 6.5, 6, 6, 6, 6, 6.5, 7,
      7.5, 7.5, 7, 5.5, 4};
  private static final double HOUR_SUM = Arrays.stream(HOURS).sum();

  /** A time of day drawn from the daily rhythm: quiet at night, busiest in the evening. */
  private long diurnal(SplittableRandom r) {
    double x = r.nextDouble() * HOUR_SUM;
    int h = 0;
    while (h < 23 && x >= HOURS[h]) {
      x -= HOURS[h];
      h++;
    }
    return w.dayStart + h * 3600L + r.nextInt(3600);
  }

  /** The lang field as a feed gives it: now and then another language than the text's. */
  private String langField(int lang, SplittableRandom r) {
    if (r.nextInt(100) < 3) {
      return Vocab.LANGS[(lang + 1 + r.nextInt(2)) % 3];
    }
    return Vocab.LANGS[lang];
  }
}
