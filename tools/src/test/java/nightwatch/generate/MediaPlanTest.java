package nightwatch.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The planted media, checked on the generator's rows directly (no Spark): every row is a pure function. */
class MediaPlanTest {
  static final long SEED = 7;
  static final long DAY = LocalDate.of(2026, 11, 20).toEpochDay();
  static final long N = 50_000;

  private static List<MessageGenerator.Msg> rows(MessageGenerator g) {
    List<MessageGenerator.Msg> out = new ArrayList<>();
    for (long r = 0; r < g.w.totalMessages(); r++) {
      out.add(g.describe(r));
    }
    return out;
  }

  private static final MessageGenerator WITH = new MessageGenerator(new World(SEED, DAY, N));
  private static final List<MessageGenerator.Msg> DAY_ROWS = rows(WITH);

  /** The 256 bits of a 64-character hex PDQ. */
  private static long[] bits(String hex) {
    assertTrue(hex.matches("[0-9a-f]{64}"), "pdq: " + hex);
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      out[i] = Long.parseUnsignedLong(hex.substring(16 * i, 16 * i + 16), 16);
    }
    return out;
  }

  private static int distance(String a, String b) {
    return MediaPlan.distance(bits(a), bits(b));
  }

  @Test
  void mediaCampaignsAreBurstsOfTodaysCampaignAccountsPostingOneImageReEncoded() {
    Map<String, List<MessageGenerator.Msg>> byCampaign = DAY_ROWS.stream().filter(m -> m.mediaCampaign != null)
        .collect(Collectors.groupingBy(m -> m.mediaCampaign));
    assertEquals(2, byCampaign.size(), "one media campaign per 40,000 messages, at least 2");
    Set<Long> propagandaPosters = DAY_ROWS.stream().filter(m -> "propaganda".equals(m.kind)).map(m -> m.acct)
        .collect(Collectors.toSet());
    for (MediaPlan.Campaign c : WITH.media.campaigns) {
      List<MessageGenerator.Msg> posts = byCampaign.get(c.id());
      Set<Long> accounts = posts.stream().map(m -> m.acct).collect(Collectors.toSet());
      assertEquals(posts.size(), accounts.size(), c.id() + ": each account posts the image once");
      assertTrue(accounts.size() >= 6 && accounts.size() <= 25, c.id() + ": " + accounts.size() + " accounts");
      assertTrue(propagandaPosters.containsAll(accounts), c.id() + ": posters are today's campaign members");
      long first = posts.stream().mapToLong(m -> m.sec).min().orElseThrow();
      long last = posts.stream().mapToLong(m -> m.sec).max().orElseThrow();
      assertTrue(last - first <= 300, c.id() + ": posted over " + (last - first) + " s");
      Set<String> md5s = new HashSet<>();
      for (MessageGenerator.Msg m : posts) {
        assertEquals("media_campaign", m.kind);
        assertTrue(m.cluster.startsWith("mcap/"), "grouped by its caption, not its image: " + m.cluster);
        assertNull(m.campaign);
        assertNull(m.linkCampaign);
        assertNull(LinkPlan.urlsIn(m.text), "no link: " + m.text);
        assertTrue(!m.text.isBlank() && m.text.length() <= 40, "a short text: " + m.text);
        assertEquals("image", m.media.kind());
        assertTrue(m.media.md5().matches("[0-9a-f]{32}"), "md5: " + m.media.md5());
        int d = distance(m.media.pdq(), c.image().pdqHex());
        assertTrue(d <= MediaPlan.MAX_FLIPS, c.id() + ": " + d + " bits flipped");
        assertEquals(d == 0, m.media.md5().equals(c.image().md5Hex()), "the same file exactly when re-posted as is");
        md5s.add(m.media.md5());
      }
      assertTrue(md5s.size() >= 2, c.id() + ": no re-encoded copy");
    }
    Map<String, Set<String>> captions = DAY_ROWS.stream().filter(m -> m.mediaCampaign != null).collect(
        Collectors.groupingBy(m -> m.cluster, Collectors.mapping(m -> m.text, Collectors.toSet())));
    assertTrue(captions.values().stream().allMatch(t -> t.size() == 1), "one text a caption group: " + captions);
    assertTrue(DAY_ROWS.stream().filter(m -> m.mediaCampaign == null && m.cluster != null)
        .noneMatch(m -> m.cluster.startsWith("mcap/")), "caption groups hold media campaign posts only");
    assertTrue(distance(WITH.media.campaigns[0].image().pdqHex(), WITH.media.campaigns[1].image().pdqHex()) > 64,
        "each campaign posts its own image");
  }

  @Test
  void memesAreRepostedByAHundredOrMoreOrdinaryAccountsOverTheDayWithoutABurst() {
    Map<String, List<MessageGenerator.Msg>> byMeme = DAY_ROWS.stream().filter(m -> m.organicMedia != null)
        .collect(Collectors.groupingBy(m -> m.organicMedia));
    assertEquals(2, byMeme.size(), "a couple of memes");
    for (MediaPlan.Meme meme : WITH.media.memes) {
      List<MessageGenerator.Msg> posts = byMeme.get(meme.id());
      assertTrue(posts.stream().allMatch(m -> World.tag(m.acct) == World.TAG_ORD && "background".equals(m.kind)
          && m.mediaCampaign == null), meme.id() + ": re-posted by ordinary accounts");
      long accounts = posts.stream().map(m -> m.acct).distinct().count();
      assertTrue(accounts >= 100, meme.id() + ": " + accounts + " accounts");
      assertTrue(posts.stream().allMatch(m -> distance(m.media.pdq(), meme.image().pdqHex()) <= MediaPlan.MAX_FLIPS),
          meme.id() + ": a copy beyond " + MediaPlan.MAX_FLIPS + " bits");
      List<Long> times = posts.stream().map(m -> m.sec).sorted().toList();
      assertTrue(times.get(times.size() - 1) - times.get(0) >= 12 * 3600, meme.id() + ": not spread over the day");
      int most = 0;
      for (int i = 0, j = 0; i < times.size(); i++) {
        while (times.get(i) - times.get(j) >= 300) {
          j++;
        }
        most = Math.max(most, i - j + 1);
      }
      assertTrue(most <= posts.size() / 10, meme.id() + ": " + most + " of " + posts.size() + " within five minutes");
    }
    assertEquals(0, DAY_ROWS.stream().filter(m -> m.media != null)
        .filter(m -> m.mediaCampaign == null && m.organicMedia == null).count(), "media outside the planted ones");
  }

  @Test
  void knownMediaNamesHalfTheCampaignsImagesAndTheFirstOnesFile() {
    List<Row> known = Reference.knownMedia(WITH.w);
    for (Row k : known) {
      String kind = k.getString(1);
      assertTrue("md5".equals(kind) && k.getString(0).matches("[0-9a-f]{32}")
          || "pdq".equals(kind) && k.getString(0).matches("[0-9a-f]{64}"), "hash and kind: " + k);
      assertTrue(k.getTimestamp(4).getTime() / 1000 < WITH.w.dayStart, "added before the day: " + k);
    }
    assertEquals(known.size(), known.stream().map(k -> k.getString(0)).distinct().count(), "hash is the key");
    Map<String, List<MessageGenerator.Msg>> byCampaign = DAY_ROWS.stream().filter(m -> m.mediaCampaign != null)
        .collect(Collectors.groupingBy(m -> m.mediaCampaign));
    for (int c = 0; c < WITH.media.campaigns.length; c++) {
      MediaPlan.Campaign campaign = WITH.media.campaigns[c];
      List<String> pdqs = known.stream().filter(k -> "pdq".equals(k.getString(1))).map(k -> k.getString(0))
          .filter(h -> distance(h, campaign.image().pdqHex()) <= 64).toList();
      boolean md5 = known.stream().anyMatch(k -> k.getString(0).equals(campaign.image().md5Hex()));
      assertEquals(MediaPlan.known(c) ? 1 : 0, pdqs.size(), campaign.id() + ": its known PDQ");
      assertEquals(c == 0, md5, campaign.id() + ": its md5 known");
      for (String h : pdqs) {
        assertTrue(distance(h, campaign.image().pdqHex()) <= MediaPlan.MAX_KNOWN_FLIPS, campaign.id());
        assertTrue(byCampaign.get(campaign.id()).stream().allMatch(m -> distance(m.media.pdq(), h) <= 31),
            campaign.id() + ": every copy within 31 bits of the known PDQ");
      }
    }
    for (MediaPlan.Meme meme : WITH.media.memes) {
      assertTrue(known.stream().filter(k -> "pdq".equals(k.getString(1)))
          .allMatch(k -> distance(k.getString(0), meme.image().pdqHex()) > 64), meme.id() + " is not known");
    }
  }

  @Test
  void mediaLeavesTheTextAndLinkCampaignsThePostersAndTheReportsAsTheyWere() {
    World without = new World(SEED, DAY, N, true, false);
    MessageGenerator before = new MessageGenerator(without);
    assertEquals(without.totalMessages(), WITH.w.totalMessages(), "media are carved from background rows");
    Set<String> campaignPosts = DAY_ROWS.stream().filter(m -> m.mediaCampaign != null).map(m -> m.id)
        .collect(Collectors.toSet());
    Set<Long> postersBefore = new HashSet<>();
    Set<Long> postersAfter = new HashSet<>();
    int changed = 0;
    for (long r = 0; r < without.totalMessages(); r++) {
      MessageGenerator.Msg a = DAY_ROWS.get((int) r);
      MessageGenerator.Msg b = before.describe(r);
      assertEquals(b.cluster, a.mediaCampaign != null ? null : a.cluster,
          "truth cluster of row " + r + " (a media campaign post takes a row of no group)");
      assertEquals(b.linkCampaign, a.linkCampaign, "link campaign of row " + r);
      assertEquals(b.organicLink, a.organicLink, "news link of row " + r);
      postersBefore.add(b.acct);
      postersAfter.add(a.acct);
      if (a.mediaCampaign != null || campaignPosts.contains(a.replyTo)) {
        changed++;
        continue;
      }
      assertEquals(List.of(b.id, b.acct, b.sec, b.kind, b.text, String.valueOf(b.lang), String.valueOf(b.campaign),
          String.valueOf(b.replyTo), String.valueOf(b.retweetOf), String.valueOf(b.quoteOf)),
          List.of(a.id, a.acct, a.sec, a.kind, a.text, String.valueOf(a.lang), String.valueOf(a.campaign),
              String.valueOf(a.replyTo), String.valueOf(a.retweetOf), String.valueOf(a.quoteOf)), "row " + r);
      assertEquals(a.organicMedia == null, a.media == null, "row " + r + ": only a meme is added");
    }
    assertTrue(changed <= campaignPosts.size() * 2, "rows changed beyond the campaign posts: " + changed);
    postersBefore.removeIf(c -> World.tag(c) == World.TAG_ORD);
    postersAfter.removeIf(c -> World.tag(c) == World.TAG_ORD);
    assertEquals(postersBefore, postersAfter, "accounts besides ordinary ones (so every role but ordinary)");
    ReportGenerator ra = new ReportGenerator(WITH.w);
    ReportGenerator rb = new ReportGenerator(without);
    for (long r = 0; r < without.totalReports(); r++) {
      ReportGenerator.Report a = ra.report(r);
      ReportGenerator.Report b = rb.report(r);
      assertEquals(List.of(b.reporter, b.reported, String.valueOf(b.messageId), b.reason, b.sec),
          List.of(a.reporter, a.reported, String.valueOf(a.messageId), a.reason, a.sec), "report " + r);
    }
  }

  @Test
  void flippedChangesExactlyTheGivenNumberOfBits() {
    long[] pdq = MediaPlan.image(1).pdq();
    for (int f = 0; f <= MediaPlan.MAX_FLIPS; f++) {
      assertEquals(f, MediaPlan.distance(pdq, MediaPlan.flipped(pdq, f, new java.util.SplittableRandom(f))));
    }
    assertEquals(64, MediaPlan.hex(pdq).length());
  }
}
