package nightwatch.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The planted links, checked on the generator's rows directly (no Spark): every row is a pure function. */
class LinkPlanTest {
  static final long SEED = 7;
  static final long DAY = LocalDate.of(2026, 11, 20).toEpochDay();
  static final long N = 50_000;

  /** All rows of a day. */
  private static List<MessageGenerator.Msg> rows(MessageGenerator g) {
    List<MessageGenerator.Msg> out = new ArrayList<>();
    for (long r = 0; r < g.w.totalMessages(); r++) {
      out.add(g.describe(r));
    }
    return out;
  }

  private static final MessageGenerator WITH = new MessageGenerator(new World(SEED, DAY, N));
  private static final List<MessageGenerator.Msg> DAY_ROWS = rows(WITH);

  @Test
  void linkCampaignsAreBurstsOfTodaysCampaignAccountsPostingOneLinkSpelledManyWays() {
    Map<String, List<MessageGenerator.Msg>> byCampaign = DAY_ROWS.stream().filter(m -> m.linkCampaign != null)
        .collect(Collectors.groupingBy(m -> m.linkCampaign));
    assertEquals(2, byCampaign.size(), "one link campaign per 25,000 messages, at least 2");
    Set<Long> propagandaPosters = new HashSet<>();
    for (MessageGenerator.Msg m : DAY_ROWS) {
      if ("propaganda".equals(m.kind)) {
        propagandaPosters.add(m.acct);
      }
    }
    Set<String> links = new HashSet<>();
    for (Map.Entry<String, List<MessageGenerator.Msg>> e : byCampaign.entrySet()) {
      List<MessageGenerator.Msg> posts = e.getValue();
      Set<Long> accounts = posts.stream().map(m -> m.acct).collect(Collectors.toSet());
      assertEquals(posts.size(), accounts.size(), e.getKey() + ": each account posts the link once");
      assertTrue(accounts.size() >= 6 && accounts.size() <= 30, e.getKey() + ": " + accounts.size() + " accounts");
      assertTrue(propagandaPosters.containsAll(accounts), e.getKey() + ": posters are today's campaign members");
      long first = posts.stream().mapToLong(m -> m.sec).min().orElseThrow();
      long last = posts.stream().mapToLong(m -> m.sec).max().orElseThrow();
      assertTrue(last - first <= 300, e.getKey() + ": posted over " + (last - first) + " s");
      Set<String> spellings = new HashSet<>();
      Set<String> canonical = new HashSet<>();
      for (MessageGenerator.Msg m : posts) {
        List<String> urls = LinkPlan.urlsIn(m.text);
        assertTrue(urls != null && urls.size() == 1, "one link in the text: " + m.text);
        spellings.add(urls.get(0));
        canonical.add(canonical(urls.get(0)));
        assertEquals("link_campaign", m.kind);
        assertNull(m.cluster, "a link campaign post is in no near-duplicate truth group");
        assertNull(m.campaign);
        assertTrue(m.text.length() <= urls.get(0).length() + 30, "little text besides the link: " + m.text);
      }
      assertTrue(spellings.size() >= 2, e.getKey() + ": one spelling only: " + spellings);
      assertEquals(1, canonical.size(), e.getKey() + ": spellings of more than one link: " + spellings);
      links.addAll(canonical);
    }
    assertEquals(byCampaign.size(), links.size(), "each campaign posts its own link");
  }

  @Test
  void newsLinksAreSharedByHundredsOfOrdinaryAccountsOverTheDayWithoutABurst() {
    Map<String, List<MessageGenerator.Msg>> byLink = DAY_ROWS.stream().filter(m -> m.organicLink != null)
        .collect(Collectors.groupingBy(m -> m.organicLink));
    assertEquals(2, byLink.size(), "a few news links");
    for (Map.Entry<String, List<MessageGenerator.Msg>> e : byLink.entrySet()) {
      List<MessageGenerator.Msg> posts = e.getValue();
      assertTrue(posts.stream().allMatch(m -> World.tag(m.acct) == World.TAG_ORD && "background".equals(m.kind)),
          e.getKey() + ": shared by ordinary accounts");
      long accounts = posts.stream().map(m -> m.acct).distinct().count();
      assertTrue(accounts >= 100 && accounts <= 400, e.getKey() + ": " + accounts + " accounts");
      // The news link is the last of the text (the background text may carry one of its own).
      assertEquals(1, posts.stream().map(m -> LinkPlan.urlsIn(m.text)).map(u -> canonical(u.get(u.size() - 1)))
          .distinct().count(), e.getKey() + ": one link");
      List<Long> times = posts.stream().map(m -> m.sec).sorted().toList();
      assertTrue(times.get(times.size() - 1) - times.get(0) >= 12 * 3600, e.getKey() + ": not spread over the day");
      int most = 0;
      for (int i = 0, j = 0; i < times.size(); i++) {
        while (times.get(i) - times.get(j) >= 300) {
          j++;
        }
        most = Math.max(most, i - j + 1);
      }
      assertTrue(most <= posts.size() / 10, e.getKey() + ": " + most + " of " + posts.size()
          + " shares within five minutes");
    }
  }

  @Test
  void sharedBackgroundLinksHaveOneToThreePosters() {
    Map<String, Set<Long>> posters = new HashMap<>();
    for (MessageGenerator.Msg m : DAY_ROWS) {
      if ("background".equals(m.kind) && m.organicLink == null && m.retweetOf == null && m.replyTo == null) {
        List<String> urls = LinkPlan.urlsIn(m.text);
        for (String u : urls == null ? List.<String>of() : urls) {
          posters.computeIfAbsent(canonical(u), k -> new HashSet<>()).add(m.acct);
        }
      }
    }
    long shared = posters.values().stream().filter(s -> s.size() >= 2).count();
    assertTrue(shared > 100, "links posted by two or three accounts: " + shared);
    assertTrue(posters.values().stream().allMatch(s -> s.size() <= 3), "a background link with more than 3 posters");
  }

  @Test
  void linksLeaveTheTextTruthThePostersAndTheReportsAsTheyWere() {
    // Media off on both sides: MediaPlanTest compares media on and off with the links on.
    MessageGenerator with = new MessageGenerator(new World(SEED, DAY, N, true, false));
    List<MessageGenerator.Msg> dayRows = rows(with);
    World without = new World(SEED, DAY, N, false, false);
    MessageGenerator before = new MessageGenerator(without);
    assertEquals(without.totalMessages(), with.w.totalMessages(), "links are carved from background rows");
    Set<String> campaignPosts = dayRows.stream().filter(m -> m.linkCampaign != null).map(m -> m.id)
        .collect(Collectors.toSet());
    Set<Long> postersBefore = new HashSet<>();
    Set<Long> postersAfter = new HashSet<>();
    int changed = 0;
    for (long r = 0; r < without.totalMessages(); r++) {
      MessageGenerator.Msg a = dayRows.get((int) r);
      MessageGenerator.Msg b = before.describe(r);
      assertEquals(b.cluster, a.cluster, "truth cluster of row " + r);
      postersBefore.add(b.acct);
      postersAfter.add(a.acct);
      if (a.linkCampaign != null || campaignPosts.contains(a.replyTo)) {
        changed++;
        continue;
      }
      assertEquals(List.of(b.id, b.acct, b.sec, b.kind, String.valueOf(b.lang), String.valueOf(b.campaign),
          String.valueOf(b.replyTo), String.valueOf(b.retweetOf), String.valueOf(b.quoteOf)),
          List.of(a.id, a.acct, a.sec, a.kind, String.valueOf(a.lang), String.valueOf(a.campaign),
              String.valueOf(a.replyTo), String.valueOf(a.retweetOf), String.valueOf(a.quoteOf)), "row " + r);
      assertTrue(a.text.startsWith(b.text), "row " + r + ": a link is added to the text, nothing else changes");
    }
    assertTrue(changed <= campaignPosts.size() * 2, "rows changed beyond the campaign posts: " + changed);
    postersBefore.removeIf(c -> World.tag(c) == World.TAG_ORD);
    postersAfter.removeIf(c -> World.tag(c) == World.TAG_ORD);
    assertEquals(postersBefore, postersAfter, "accounts besides ordinary ones (so every role but ordinary)");
    ReportGenerator ra = new ReportGenerator(with.w);
    ReportGenerator rb = new ReportGenerator(without);
    for (long r = 0; r < without.totalReports(); r++) {
      ReportGenerator.Report a = ra.report(r);
      ReportGenerator.Report b = rb.report(r);
      // A noise report on a background row that became a campaign post would differ; none does on this day.
      assertEquals(List.of(b.reporter, b.reported, String.valueOf(b.messageId), b.reason, b.sec),
          List.of(a.reporter, a.reported, String.valueOf(a.messageId), a.reason, a.sec), "report " + r);
    }
  }

  @Test
  void urlsAreTheLinksOfTheText() {
    assertNull(LinkPlan.urlsIn("no link here"));
    assertEquals(List.of("https://t.co/AbC", "http://WWW.Archive.org/details/x/?utm_source=tg"),
        LinkPlan.urlsIn("see https://t.co/AbC, and \"http://WWW.Archive.org/details/x/?utm_source=tg\""));
  }

  /** The job's canonical form as issue 40 gives it: no scheme, www., tracking parameters, fragment or final slash. */
  static String canonical(String url) {
    String u = url.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").replaceFirst("#.*$", "");
    int q = u.indexOf('?');
    String query = q < 0 ? "" : u.substring(q + 1);
    u = q < 0 ? u : u.substring(0, q);
    int slash = u.indexOf('/');
    String host = (slash < 0 ? u : u.substring(0, slash)).toLowerCase(Locale.ROOT).replaceFirst("^www\\.", "");
    String path = (slash < 0 ? "" : u.substring(slash)).replaceFirst("/+$", "");
    String kept = java.util.Arrays.stream(query.split("&")).filter(p -> !p.isEmpty())
        .filter(p -> !p.toLowerCase(Locale.ROOT).matches("(utm_[^=]*|fbclid|gclid)(=.*)?")).sorted()
        .collect(Collectors.joining("&"));
    return host + path + (kept.isEmpty() ? "" : "?" + kept);
  }

  @Test
  void canonicalFormOfTheTestFollowsTheIssue() {
    assertEquals("archive.org/details/AbC", canonical("HTTP://WWW.ARCHIVE.ORG/details/AbC/?utm_source=x&fbclid=1#top"));
    assertEquals("t.co/x?a=1", canonical("https://t.co/x?gclid=2&a=1"));
    assertTrue(Objects.equals(canonical("https://justpaste.it/abc"), canonical("justpaste.it/abc/")));
  }
}
