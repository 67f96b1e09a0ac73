package nightwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailyReportTest {

  static final String SCRIPT_TEXT = "Join us <script>alert(1)</script> | now\nline two";
  static final String IMG_HANDLE = "@evil<img src=x onerror=alert(1)>";

  /** A full day with hostile strings in every data-sourced text field. */
  static ReportData sample() {
    Map<String, Long> input = new LinkedHashMap<>();
    input.put("messages", 120_000L);
    input.put("accounts", 8_500L);
    input.put("reports", 640L);
    Map<String, Long> rejected = new LinkedHashMap<>();
    rejected.put("missing_author", 12L);
    rejected.put("bad_timestamp", 40L);
    rejected.put("<script>alert('rej')</script>", 1L);
    Map<String, Long> stages = new LinkedHashMap<>();
    stages.put("ingest", 65_000L);
    stages.put("cluster", 312_400L);
    stages.put("score", 41_250L);
    Map<String, Long> tiers = new LinkedHashMap<>();
    tiers.put("T3", 30L);
    tiers.put("T1", 4L);
    tiers.put("T2", 11L);
    tiers.put("protected_review", 2L);
    tiers.put("counter_speech", 1L);
    Map<String, Long> reasons = new LinkedHashMap<>();
    reasons.put("KNOWN_PROPAGANDA_MATCH", 20L);
    reasons.put("COORDINATED_POSTING", 33L);
    reasons.put("HIGH_MODEL_SCORE", 9L);
    reasons.put("<script>alert('reason')</script>", 1L);
    List<ReportData.DayPoint> history = List.of(
        new ReportData.DayPoint("2024-05-01", 900, 12, 40),
        new ReportData.DayPoint("2024-05-02", 1_100, 15, 44),
        new ReportData.DayPoint("2024-05-03", 1_250, 17, 45));
    List<ReportData.ClusterRow> clusters = List.of(
        new ReportData.ClusterRow("c-001", "camp-7", "text", null, SCRIPT_TEXT, List.of("en", "de"), 25, 410,
            List.of("ref-a", "ref-b"), 0.973, List.of("KNOWN_PROPAGANDA_MATCH", "COORDINATED_POSTING")),
        new ReportData.ClusterRow("c-002", null, "link", "files.example/v/1?id=<b>", "Plain text about <b>bold</b> & more", List.of("fr"), 6, 40,
            List.of(), 0.612, List.of("COORDINATED_POSTING")));
    List<ReportData.CandidateRow> candidates = List.of(
        new ReportData.CandidateRow("acct-1", IMG_HANDLE, 1, "T1", "new", 0.95, "originator",
            List.of("KNOWN_PROPAGANDA_MATCH"), List.of("c-001"), List.of("m-1", "m-2")),
        new ReportData.CandidateRow("acct-2", "@amplifier", 1, "T2", "repeat", 0.71, "amplifier",
            List.of("COORDINATED_POSTING"), List.of("c-001", "c-002"), List.of("m-9")),
        new ReportData.CandidateRow("acct-3", "@third", 1, "T3", "new", 0.42, "amplifier",
            List.of("COORDINATED_POSTING"), List.of("c-002"), List.of()));
    List<ReportData.CandidateRow> prot = List.of(
        new ReportData.CandidateRow("acct-9", "@journalist\"><svg onload=alert(1)>", 0, "protected_review", "",
            0.5, "reporter_of_campaign", List.of("PROTECTED_ACCOUNT"), List.of("c-001"), List.of("m-77")));
    Map<String, Long> cred = new LinkedHashMap<>();
    cred.put("high", 120L);
    cred.put("medium", 300L);
    cred.put("low", 220L);
    Map<String, ReportData.Baseline> baselines = new LinkedHashMap<>();
    baselines.put("messages", new ReportData.Baseline("2024-05-02", 118_000L, 110_000.0, 2));
    baselines.put("clusters", new ReportData.Baseline("2024-05-02", 5_000L, 4_900.5, 2));
    baselines.put("flagged_clusters", new ReportData.Baseline("2024-05-02", 15L, 13.5, 2));
    baselines.put("flagged_messages", new ReportData.Baseline("2024-05-02", 1_100L, 1_000.0, 2));
    baselines.put("T1", new ReportData.Baseline("2024-05-02", 3L, 3.5, 2));
    baselines.put("T2", new ReportData.Baseline("2024-05-02", 11L, 11.0, 2));
    baselines.put("T3", new ReportData.Baseline("2024-05-02", 28L, 29.0, 2));
    baselines.put("reports", new ReportData.Baseline("2024-05-02", null, 650.0, 1)); // no run recorded that day
    List<ReportData.ReviewRow> review = List.of(
        new ReportData.ReviewRow("2024-05-01", "T1", 4, 3, 2, 1, 2.0 / 3),
        new ReportData.ReviewRow("2024-05-02", "T1", 5, 1, 1, 0, 1.0),
        new ReportData.ReviewRow("2024-05-02", "T2", 10, 0, 0, 0, null),
        new ReportData.ReviewRow("2024-05-02", "<script>alert('tier')</script>", 1, 1, 0, 1, 0.0));
    List<ReportData.CampaignDay> campaigns = List.of(
        new ReportData.CampaignDay("2024-05-01", 3, 0, 0, 3),
        new ReportData.CampaignDay("2024-05-02", 1, 2, 0, 4),
        new ReportData.CampaignDay("2024-05-03", 2, 1, 1, 6));
    return new ReportData("2024-05-03", "2024-05-04T02:11:00Z", input, rejected, stages, 5_400, 17, 1_250,
        tiers, reasons, history, clusters, candidates, prot, cred, true, baselines, review, campaigns);
  }

  static ReportData empty() {
    return new ReportData("2024-05-03", "2024-05-04T02:11:00Z", Map.of(), Map.of(), Map.of(), 0, 0, 0,
        Map.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), false, Map.of(), List.of(),
        List.of());
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static void assertNoActiveContent(String html) {
    String lower = html.toLowerCase();
    assertFalse(lower.contains("<script"), "raw <script in output");
    assertFalse(lower.contains("<img"), "raw <img in output");
    assertFalse(lower.contains("<svg onload"), "raw injected svg in output");
    assertFalse(Pattern.compile("<[^>]*\\son\\w+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "an event-handler attribute inside a tag");
    // onerror= may only appear as escaped text
    for (int i = lower.indexOf("onerror="); i >= 0; i = lower.indexOf("onerror=", i + 1)) {
      String before = html.substring(Math.max(0, i - 20), i);
      assertTrue(before.contains("&lt;img"), "onerror= not inside escaped text: " + before);
    }
  }

  private static void assertNoRemoteResources(String html) {
    Matcher m = Pattern.compile("\\b(?:src|href)\\s*=\\s*[\"']?\\s*([^\"'\\s>]*)", Pattern.CASE_INSENSITIVE)
        .matcher(html);
    while (m.find()) {
      String url = m.group(1).toLowerCase();
      assertFalse(url.startsWith("http:") || url.startsWith("https:") || url.startsWith("//"),
          "remote resource referenced: " + url);
    }
    assertFalse(html.toLowerCase().contains("url(http"), "remote url() in CSS");
    assertFalse(html.toLowerCase().contains("@import"), "CSS @import");
  }

  @Test
  void htmlEscapesHostileTextEverywhere() {
    String html = DailyReport.renderHtml(sample());
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "representative text shown escaped");
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "handle shown escaped");
    assertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; more"));
    assertNoActiveContent(html);
  }

  @Test
  void topCampaignsNameTheKindAndALinkClustersHostOnly() {
    String html = DailyReport.renderHtml(sample());
    assertTrue(html.contains("<td>text</td>"), "a text cluster");
    assertTrue(html.contains("<td>link files.example</td>"), "a link cluster by its host");
    assertFalse(html.contains("files.example/v/1"), "never the whole link");
    assertTrue(DailyReport.renderMarkdown(sample()).contains("| link files.example |"));
  }

  @Test
  void htmlHasAllChartsAsInlineSvg() {
    String html = DailyReport.renderHtml(sample());
    assertTrue(count(html, "<svg") >= 7, "expected >= 7 inline svg charts");
    for (String id : List.of("chart-history", "chart-campaigns", "chart-trend", "chart-tiers", "chart-reasons",
        "chart-rejected", "chart-credibility")) {
      assertTrue(html.contains("<svg id='" + id + "'") || html.contains("<svg id=\"" + id + "\""), "missing chart " + id);
    }
    // labels from data inside the SVG (rejected reason, reason code) are escaped by JFreeSVG
    assertTrue(html.contains("&lt;script&gt;alert(&apos;rej&apos;)") || html.contains("&lt;script&gt;alert('rej')")
        || html.contains("&lt;script&gt;alert(&#39;rej&#39;)"), "rejected reason label escaped");
  }

  @Test
  void chartSvgEscapesLabels() {
    String svg = ReportCharts.bars("t", "n", Map.of("<script>alert(1)</script>", 3L), "x");
    assertTrue(svg.startsWith("<svg"));
    assertFalse(svg.toLowerCase().contains("<script"));
    assertTrue(svg.contains("&lt;script&gt;"));
    String hsvg = ReportCharts.horizontalBars("t", "n", Map.of("<img src=x onerror=alert(1)>", 3L), "y");
    assertFalse(hsvg.toLowerCase().contains("<img"));
  }

  @Test
  void htmlIsSelfContained() {
    String html = DailyReport.renderHtml(sample());
    assertNoRemoteResources(html);
    assertTrue(html.contains("<style>"));
    assertTrue(html.contains("Content-Security-Policy"));
    for (String t : List.of("T1", "T2", "T3")) {
      assertTrue(html.contains("href=\"candidates-" + t + ".csv\""));
      assertTrue(html.contains("href=\"candidates-" + t + ".jsonl\""));
    }
    assertTrue(html.contains("href=\"summary.md\""), "link to the Markdown summary written next to the page");
  }

  @Test
  void htmlHasSectionsAndNumbers() {
    String html = DailyReport.renderHtml(sample());
    assertTrue(html.contains("Candidates are for human review; nothing here suspends anyone"));
    assertTrue(html.contains("2024-05-03"));
    assertTrue(html.contains("2024-05-04T02:11:00Z"));
    assertTrue(html.contains("120,000"), "input messages");
    assertTrue(html.contains("1,250"), "flagged messages");
    assertTrue(html.contains("+150 vs 2024-05-02"), "flagged messages change vs previous day");
    assertTrue(html.contains("+2 vs 2024-05-02"), "flagged clusters change");
    assertTrue(html.contains("Protected and counter-speech accounts that touched propaganda"));
    assertTrue(html.contains("&lt;svg onload=alert(1)&gt;"), "protected handle escaped");
    assertTrue(html.contains("312.4"), "stage seconds");
    assertTrue(html.contains("camp-7"));
    assertTrue(html.contains("acct-1") && html.contains("acct-2") && html.contains("acct-3"));
    assertFalse(html.contains("Model missing"));
    // tiers in fixed order in the headline tiles
    assertTrue(html.indexOf("Tier 1") < html.indexOf("Tier 2") && html.indexOf("Tier 2") < html.indexOf("Tier 3"));
  }

  @Test
  void emptyDataRendersWithNoDataNotes() {
    String html = DailyReport.renderHtml(empty());
    assertTrue(count(html, "<svg") >= 5, "charts still rendered for empty data");
    assertTrue(html.contains("No data for this day"));
    assertTrue(html.contains("No flagged clusters today."));
    assertTrue(html.contains("No candidates in this tier."));
    assertTrue(html.contains("None today."));
    assertTrue(html.contains("Model missing"));
    assertTrue(html.contains("previous day: n/a") && html.contains("7-day median: n/a"), "no earlier day");
    assertTrue(html.contains("No reviewer decisions yet on the candidate lists of the 14 days before 2024-05-03."));
    assertNoRemoteResources(html);
    String md = DailyReport.renderMarkdown(empty());
    assertTrue(md.contains("2024-05-03"));
    assertTrue(md.contains("Model missing"));
    assertTrue(md.contains("| Flagged messages | 0 | previous day: n/a | 7-day median: n/a |"), md);
    assertTrue(md.contains("No reviewer decisions yet on the candidate lists of the 14 days before 2024-05-03."));
  }

  @Test
  void nullCollectionsDoNotCrash() {
    ReportData d = new ReportData(null, null, null, null, null, 0, 0, 0, null, null, null, null, null, null,
        null, true, null, null, null);
    String html = DailyReport.renderHtml(d);
    assertTrue(count(html, "<svg") >= 5);
    DailyReport.renderMarkdown(d);
  }

  @Test
  void markdownSummary() {
    String md = DailyReport.renderMarkdown(sample());
    assertTrue(md.contains("# Nightwatch daily report 2024-05-03"));
    assertTrue(md.contains("Candidates are for human review; nothing here suspends anyone."));
    assertTrue(md.contains("| T1 | Tier 1 | 4 |"), md);
    assertTrue(md.contains("| T2 | Tier 2 | 11 |"));
    assertTrue(md.contains("| T3 | Tier 3 | 30 |"));
    assertTrue(md.contains("c\\-001") || md.contains("c-001"));
    assertFalse(md.contains("<script"), "markup neutralised in markdown");
    assertTrue(md.contains("&lt;script&gt;"));
    assertTrue(md.contains("\\| now line two"), "pipe escaped and newline flattened");
    // every table row still has the header's number of cells
    for (String line : md.split("\n")) {
      if (line.startsWith("| 1 |")) {
        String unescaped = line.replace("\\|", "");
        assertEquals(11, unescaped.split("\\|", -1).length, line);
      }
    }
  }

  @Test
  void tileComparesWithPreviousDayAndMedian() {
    Map<String, Object> t = DailyReport.tile("x", 10L, new ReportData.Baseline("2024-05-02", 12L, 9.5, 3));
    assertEquals("10", t.get("value"));
    assertEquals("\u22122 vs 2024-05-02", t.get("prev"));
    assertEquals("down", t.get("prevClass"));
    assertEquals("+0.5 vs 7-day median 9.5 (3 days)", t.get("median"));
    assertEquals("up", t.get("medianClass"));
    Map<String, Object> same = DailyReport.tile("x", 7L, new ReportData.Baseline("2024-05-02", 7L, 7.0, 1));
    assertEquals("no change vs 2024-05-02", same.get("prev"));
    assertEquals("no change vs 7-day median 7 (1 day)", same.get("median"));
    Map<String, Object> none = DailyReport.tile("x", 7L, null);
    assertEquals("previous day: n/a", none.get("prev"));
    assertEquals("7-day median: n/a", none.get("median"));
  }

  @Test
  void headlineShowsChangesAgainstPreviousDayAndMedian() {
    String html = DailyReport.renderHtml(sample());
    assertTrue(html.contains("+250 vs 7-day median 1,000 (2 days)"), "flagged messages vs median");
    assertTrue(html.contains("+3.5 vs 7-day median 13.5 (2 days)"), "flagged clusters vs median");
    assertTrue(html.contains("+2,000 vs 2024-05-02"), "input messages vs previous day");
    assertTrue(html.contains("vs 2024-05-02: n/a"), "reports unknown on the previous day");
    assertTrue(html.contains("no change vs 2024-05-02"), "T2 unchanged");
    String md = DailyReport.renderMarkdown(sample());
    assertTrue(md.contains("| Flagged messages | 1,250 | +150 vs 2024-05-02 | +250 vs 7-day median 1,000 (2 days) |"),
        md);
  }

  @Test
  void reviewOutcomesPerTierAndListDay() {
    String html = DailyReport.renderHtml(sample());
    int review = html.indexOf("id=\"review\"");
    String section = html.substring(review, html.indexOf("</section>", review));
    assertTrue(section.contains("<td class=\"num\">9</td><td class=\"num\">4</td><td class=\"num\">3</td>"
        + "<td class=\"num\">1</td><td class=\"num\">75.0%</td>"), "T1 over all days: 3 of 4 confirmed");
    assertTrue(section.contains("66.7%") && section.contains("100.0%") && section.contains("n/a"));
    assertTrue(section.indexOf("2024-05-02") < section.indexOf("2024-05-01"), "newest list day first");
    assertTrue(section.contains("&lt;script&gt;"), "a tier name from the data is escaped");
    assertNoActiveContent(html);
    String md = DailyReport.renderMarkdown(sample());
    assertTrue(md.contains("| T1 | 9 | 4 | 3 | 1 | 75.0% |"), md);
    assertTrue(md.contains("| T2 | 10 | 0 | 0 | 0 | n/a |"), md);
    assertTrue(md.contains("| 2024-05-02 | T1 | 5 | 1 | 1 | 0 | 100.0% |"), md);
    assertFalse(md.contains("| 2024-05-02 | T2 |"), "undecided days are left out of the summary");
    assertFalse(md.contains("<script"));
  }

  @Test
  void writeCreatesFiles(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("out/2024-05-03");
    DailyReport.write(sample(), new org.apache.hadoop.conf.Configuration(), dir.toString());
    assertTrue(Files.size(dir.resolve("index.html")) > 10_000);
    assertTrue(Files.readString(dir.resolve("summary.md")).contains("2024-05-03"));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("index.html", "summary.md"), files.map(f -> f.getFileName().toString()).sorted().toList(),
          "no temporary file left beside the report");
    }
  }
}
