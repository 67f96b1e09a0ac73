package nightwatch.report;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nightwatch.io.Storage;
import nightwatch.stages.trends.TrendBuilder;
import org.apache.hadoop.conf.Configuration;

/**
 * Renders the nightly report for human reviewers from an already aggregated {@link ReportData}.
 *
 * <p>HTML comes from the Pebble template {@code templates/report.html.peb} with HTML autoescaping on, so
 * every string from the data (message text, handles, reason codes, ids) is escaped. The only markup
 * inserted unescaped is the SVG of the charts, which {@link ReportCharts} draws itself (JFreeSVG escapes
 * the labels it draws). The page is self-contained: inline CSS and SVG, no scripts, no network resources,
 * and a Content-Security-Policy that forbids scripts anyway.
 *
 * <p>The Markdown summary ({@code templates/summary.md.peb}) is rendered without HTML escaping; data
 * strings go through the {@code md} filter, which flattens newlines and escapes {@code |} and Markdown/HTML
 * metacharacters so user text cannot break a table or inject markup.
 */
public final class DailyReport {

  /** Tiers in display order; other tier names found in the data are shown after these. */
  static final List<String> TIER_ORDER = List.of("T1", "T2", "T3", "protected_review", "counter_speech");
  /** Tiers that reviewers get export files for (written by the job next to index.html). */
  static final List<String> EXPORT_TIERS = List.of("T1", "T2", "T3");
  /** The Markdown summary, written next to index.html, which links to it. */
  static final String SUMMARY_FILE = "summary.md";

  private static final int MAX_LIST_ITEMS = 8;
  private static final int MAX_HTML_TEXT = 1000;
  private static final int MAX_MD_TEXT = 120;
  private static final int MAX_MD_CLUSTERS = 10;

  private static final PebbleEngine ENGINE = buildEngine();

  private DailyReport() {}

  /** Self-contained HTML (no network: inline CSS, charts as inline SVG, no external scripts/fonts). */
  public static String renderHtml(ReportData data) {
    Map<String, Object> ctx = baseContext(data);
    Map<String, Object> charts = new LinkedHashMap<>();
    charts.put("history", new SafeString(ReportCharts.flaggedMessages(nn(data.history()), "chart-history")));
    charts.put("trend", new SafeString(ReportCharts.history(nn(data.history()), "chart-trend")));
    charts.put("campaigns", new SafeString(ReportCharts.campaigns(nn(data.campaignDays()), "chart-campaigns")));
    charts.put("tiers", new SafeString(ReportCharts.bars(
        "Candidates by tier", "accounts", tierLabelled(nn(data.candidatesByTier())), "chart-tiers")));
    charts.put("reasons", new SafeString(ReportCharts.horizontalBars(
        "Candidates by reason code", "accounts", sortedDesc(nn(data.candidatesByReason())), "chart-reasons")));
    charts.put("rejected", new SafeString(ReportCharts.bars(
        "Rejected input rows by reason", "rows", sortedDesc(nn(data.rejectedByReason())), "chart-rejected")));
    charts.put("credibility", new SafeString(ReportCharts.bars(
        "Reports by credibility band", "reports", nn(data.reportsByCredibility()), "chart-credibility")));
    ctx.put("charts", charts);
    ctx.put("growingPercent", Math.round(100 * TrendBuilder.GROWING_CHANGE));
    return render("report.html.peb", ctx);
  }

  /** Short Markdown summary for email/chat (headline numbers, top campaigns, tiers). */
  public static String renderMarkdown(ReportData data) {
    Map<String, Object> ctx = baseContext(data);
    List<Map<String, Object>> top = new ArrayList<>();
    List<ReportData.ClusterRow> clusters = nn(data.topClusters());
    for (int i = 0; i < Math.min(MAX_MD_CLUSTERS, clusters.size()); i++) {
      Map<String, Object> row = new LinkedHashMap<>(clusterRow(clusters.get(i), i + 1));
      row.put("text", truncate(clean(clusters.get(i).representativeText()), MAX_MD_TEXT));
      top.add(row);
    }
    ctx.put("mdClusters", top);
    ctx.put("mdClustersMore", Math.max(0, clusters.size() - MAX_MD_CLUSTERS));
    return render("summary.md.peb", ctx);
  }

  /**
   * Writes index.html and summary.md into dir (any Hadoop filesystem URI, created if needed), each file whole:
   * a reader sees the previous version or the new one, never a part.
   */
  public static void write(ReportData data, Configuration hadoop, String dir) {
    Storage.writeString(hadoop, Storage.child(dir, "index.html"), renderHtml(data));
    Storage.writeString(hadoop, Storage.child(dir, SUMMARY_FILE), renderMarkdown(data));
  }

  // ---------------------------------------------------------------------------------------------
  // view model: everything formatted to strings here, templates only lay it out

  private static Map<String, Object> baseContext(ReportData d) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("ds", clean(d.ds()));
    ctx.put("generatedAt", clean(d.generatedAt()));
    ctx.put("modelPresent", d.modelPresent());
    long rejectedTotal = nn(d.rejectedByReason()).values().stream().mapToLong(v -> v == null ? 0 : v).sum();
    headlineContext(ctx, d, rejectedTotal);
    ctx.put("tierCounts", tierTiles(nn(d.candidatesByTier())));
    List<Map<String, Object>> clusterRows = new ArrayList<>();
    List<ReportData.ClusterRow> clusters = nn(d.topClusters());
    for (int i = 0; i < clusters.size(); i++) {
      clusterRows.add(clusterRow(clusters.get(i), i + 1));
    }
    ctx.put("clusters", clusterRows);
    ctx.put("candidateGroups", candidateGroups(nn(d.candidates()), nn(d.candidatesByTier())));
    ctx.put("candidateCount", nn(d.candidates()).size());
    ctx.put("protectedTouched", nn(d.protectedTouched()).stream().filter(c -> c != null)
        .map(DailyReport::candidateRow).toList());
    ctx.put("inputCounts", countRows(nn(d.inputCounts())));
    ctx.put("rejected", countRows(sortedDesc(nn(d.rejectedByReason()))));
    ctx.put("reasons", countRows(sortedDesc(nn(d.candidatesByReason()))));
    ctx.put("credibility", countRows(nn(d.reportsByCredibility())));
    ctx.put("rejectedTotal", fmt(rejectedTotal));
    stagesContext(ctx, nn(d.stageMillis()));
    ctx.put("exports", EXPORT_TIERS.stream().map(t -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("tier", t);
      x.put("label", tierLabel(t));
      x.put("csv", "candidates-" + t + ".csv");
      x.put("jsonl", "candidates-" + t + ".jsonl");
      return x;
    }).toList());
    ctx.put("summaryFile", SUMMARY_FILE);
    reviewContext(ctx, nn(d.reviewOutcomes()));
    return ctx;
  }

  /** Today's value of each headline metric (the keys of ReportHistory.METRICS) next to its earlier days. */
  private static void headlineContext(Map<String, Object> ctx, ReportData d, long rejectedTotal) {
    Map<String, Long> tiers = nn(d.candidatesByTier());
    Map<String, Long> input = nn(d.inputCounts());
    Map<String, ReportData.Baseline> baselines = nn(d.baselines());
    List<Map<String, Object>> headline = new ArrayList<>();
    headline.add(tile("Input messages", input.get("messages"), baselines.get("messages")));
    headline.add(tile("Clusters", d.clusters(), baselines.get("clusters")));
    headline.add(tile("Flagged clusters", d.flaggedClusters(), baselines.get("flagged_clusters")));
    headline.add(tile("Flagged messages", d.flaggedMessages(), baselines.get("flagged_messages")));
    for (String t : EXPORT_TIERS) {
      headline.add(tile(tierLabel(t) + " candidates", tiers.getOrDefault(t, 0L), baselines.get(t)));
    }
    headline.add(tile("User reports", input.get("reports"), baselines.get("reports")));
    headline.add(tile("Rejected input rows", input.getOrDefault("rejected_rows", rejectedTotal),
        baselines.get("rejected_rows")));
    ctx.put("headline", headline);
    ReportData.Baseline any = baselines.values().stream().filter(b -> b != null && b.prevDs() != null)
        .findFirst().orElse(null);
    ctx.put("prevDs", any == null ? null : clean(any.prevDs()));
    ctx.put("baselineDays", baselines.values().stream().filter(b -> b != null).mapToLong(b -> b.days()).max()
        .orElse(0));
  }

  private static List<Map<String, Object>> tierTiles(Map<String, Long> tiers) {
    List<Map<String, Object>> tierTiles = new ArrayList<>();
    for (Map.Entry<String, Long> e : tierOrdered(tiers).entrySet()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("tier", clean(e.getKey()));
      t.put("label", tierLabel(e.getKey()));
      t.put("count", fmt(e.getValue()));
      t.put("n", e.getValue() == null ? 0L : e.getValue());
      tierTiles.add(t);
    }
    return tierTiles;
  }

  /** Candidates grouped by tier, tiers in display order. */
  private static List<Map<String, Object>> candidateGroups(List<ReportData.CandidateRow> candidates,
                                                           Map<String, Long> tiers) {
    Map<String, List<Map<String, Object>>> byTier = new LinkedHashMap<>();
    for (String t : EXPORT_TIERS) {
      byTier.put(t, new ArrayList<>());
    }
    for (ReportData.CandidateRow c : candidates) {
      if (c != null) {
        byTier.computeIfAbsent(c.tier() == null ? "(none)" : c.tier(), k -> new ArrayList<>()).add(candidateRow(c));
      }
    }
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Map.Entry<String, List<Map<String, Object>>> e : tierOrdered(byTier).entrySet()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("tier", clean(e.getKey()));
      g.put("label", tierLabel(e.getKey()));
      g.put("rows", e.getValue());
      g.put("total", fmt(tiers.getOrDefault(e.getKey(), (long) e.getValue().size())));
      groups.add(g);
    }
    return groups;
  }

  private static void stagesContext(Map<String, Object> ctx, Map<String, Long> stageMillis) {
    List<Map<String, Object>> stages = new ArrayList<>();
    long totalMs = 0;
    for (Map.Entry<String, Long> e : stageMillis.entrySet()) {
      long ms = e.getValue() == null ? 0 : e.getValue();
      totalMs += ms;
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("stage", clean(e.getKey()));
      s.put("seconds", seconds(ms));
      stages.add(s);
    }
    ctx.put("stages", stages);
    ctx.put("stagesTotal", seconds(totalMs));
  }

  /**
   * A headline number with its change against the previous day with data and against the median of up to 7
   * earlier days; "n/a" where there is no earlier figure to compare with.
   */
  static Map<String, Object> tile(String label, Long value, ReportData.Baseline b) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("label", label);
    t.put("value", fmt(value));
    if (b == null || b.prevDs() == null || b.prev() == null || value == null) {
      t.put("prev", b == null || b.prevDs() == null ? "previous day: n/a" : "vs " + clean(b.prevDs()) + ": n/a");
      t.put("prevClass", "flat");
    } else {
      long diff = value - b.prev();
      t.put("prev", diff == 0 ? "no change vs " + clean(b.prevDs())
          : signed(diff) + " vs " + clean(b.prevDs()));
      t.put("prevClass", diff == 0 ? "flat" : diff > 0 ? "up" : "down");
    }
    if (b == null || b.median() == null || b.days() == 0 || value == null) {
      t.put("median", "7-day median: n/a");
      t.put("medianClass", "flat");
    } else {
      double diff = value - b.median();
      t.put("median", (diff == 0 ? "no change" : signed(diff)) + " vs 7-day median " + number(b.median()) + " ("
          + b.days() + (b.days() == 1 ? " day)" : " days)"));
      t.put("medianClass", diff == 0 ? "flat" : diff > 0 ? "up" : "down");
    }
    return t;
  }

  private static String signed(double diff) {
    return (diff > 0 ? "+" : "\u2212") + number(Math.abs(diff));
  }

  /** Whole numbers without decimals (medians of an even count can end in .5). */
  private static String number(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
  }

  /** Review outcomes per earlier list day (newest first) and per tier over all those days. */
  private static void reviewContext(Map<String, Object> ctx, List<ReportData.ReviewRow> rows) {
    List<Map<String, Object>> days = new ArrayList<>();
    Map<String, long[]> totals = new LinkedHashMap<>();
    long decided = 0;
    for (ReportData.ReviewRow r : rows) {
      if (r == null) {
        continue;
      }
      days.add(reviewRow(r.ds(), r.tier(), r.candidates(), r.decided(), r.confirmed(), r.dismissed(), r.precision()));
      long[] t = totals.computeIfAbsent(r.tier() == null ? "(none)" : r.tier(), k -> new long[4]);
      t[0] += r.candidates();
      t[1] += r.decided();
      t[2] += r.confirmed();
      t[3] += r.dismissed();
      decided += r.decided();
    }
    days.sort((a, b) -> {
      int c = ((String) b.get("ds")).compareTo((String) a.get("ds"));
      return c != 0 ? c : Integer.compare((Integer) a.get("order"), (Integer) b.get("order"));
    });
    List<Map<String, Object>> perTier = new ArrayList<>();
    for (Map.Entry<String, long[]> e : tierOrdered(totals).entrySet()) {
      long[] t = e.getValue();
      perTier.add(reviewRow("", e.getKey(), t[0], t[1], t[2], t[3], t[1] == 0 ? null : (double) t[2] / t[1]));
    }
    ctx.put("reviewDays", days);
    ctx.put("reviewDecidedDays", days.stream().filter(m -> (Long) m.get("n") > 0).toList());
    ctx.put("reviewTiers", perTier);
    ctx.put("reviewDecided", decided);
  }

  private static Map<String, Object> reviewRow(String ds, String tier, long candidates, long decided, long confirmed,
                                               long dismissed, Double precision) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ds", clean(ds));
    m.put("tier", clean(tier));
    m.put("tierLabel", tierLabel(tier));
    int order = TIER_ORDER.indexOf(tier);
    m.put("order", order < 0 ? TIER_ORDER.size() : order);
    m.put("candidates", fmt(candidates));
    m.put("decided", fmt(decided));
    m.put("n", decided);
    m.put("confirmed", fmt(confirmed));
    m.put("dismissed", fmt(dismissed));
    m.put("precision", precision == null || precision.isNaN() ? "n/a"
        : String.format(Locale.ROOT, "%.1f%%", 100 * precision));
    return m;
  }

  private static Map<String, Object> clusterRow(ReportData.ClusterRow c, int pos) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pos", pos);
    r.put("clusterId", clean(c.clusterId()));
    r.put("campaignId", c.campaignId() == null || c.campaignId().isBlank() ? "\u2014" : clean(c.campaignId()));
    r.put("kind", kind(c));
    r.put("text", truncate(clean(c.representativeText()), MAX_HTML_TEXT));
    r.put("languages", joinBounded(c.languages()));
    r.put("accounts", fmt(c.accounts()));
    r.put("messages", fmt(c.messages()));
    r.put("knownRefs", joinBounded(c.knownRefs()));
    r.put("score", score(c.score()));
    r.put("reasons", cleanList(c.reasons()));
    return r;
  }

  /** "text", or "link" and the link's host: the page names where a link leads without being a way to it. */
  static String kind(ReportData.ClusterRow c) {
    if (c.link() == null || c.link().isBlank()) {
      return c.kind() == null ? "text" : clean(c.kind());
    }
    int slash = c.link().indexOf('/');
    return "link " + clean(slash < 0 ? c.link() : c.link().substring(0, slash));
  }

  private static Map<String, Object> candidateRow(ReportData.CandidateRow c) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rank", c.rank());
    r.put("accountId", clean(c.accountId()));
    r.put("handle", clean(c.handle()));
    r.put("tier", clean(c.tier()));
    r.put("tierLabel", tierLabel(c.tier()));
    r.put("status", clean(c.status()));
    r.put("score", score(c.score()));
    r.put("role", clean(c.role()));
    r.put("reasons", cleanList(c.reasons()));
    r.put("clusterIds", joinBounded(c.clusterIds()));
    r.put("sampleMessageIds", joinBounded(c.sampleMessageIds()));
    return r;
  }

  private static List<Map<String, Object>> countRows(Map<String, Long> m) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("key", clean(e.getKey()));
      r.put("value", fmt(e.getValue()));
      rows.add(r);
    }
    return rows;
  }

  static String tierLabel(String tier) {
    if (tier == null) {
      return "(none)";
    }
    return switch (tier) {
      case "T1" -> "Tier 1";
      case "T2" -> "Tier 2";
      case "T3" -> "Tier 3";
      case "protected_review" -> "Protected (review)";
      case "counter_speech" -> "Counter-speech";
      default -> clean(tier);
    };
  }

  /** Known tiers first in {@link #TIER_ORDER}, then any others in their original order. */
  static <V> Map<String, V> tierOrdered(Map<String, V> m) {
    Map<String, V> out = new LinkedHashMap<>();
    for (String t : TIER_ORDER) {
      if (m.containsKey(t)) {
        out.put(t, m.get(t));
      }
    }
    m.forEach(out::putIfAbsent);
    return out;
  }

  /** Tier counts in display order, keyed by the readable tier label (for chart axes). */
  private static Map<String, Long> tierLabelled(Map<String, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    tierOrdered(m).forEach((k, v) -> out.merge(tierLabel(k), v == null ? 0L : v, Long::sum));
    return out;
  }

  private static Map<String, Long> sortedDesc(Map<String, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue() == null ? 0 : b.getValue(), a.getValue() == null ? 0 : a.getValue()))
        .forEachOrdered(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // formatting helpers (no escaping here: the template engine escapes)

  /** Replaces control characters (newlines, tabs, NUL, ...) with spaces; null becomes "". */
  static String clean(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      b.append(Character.isISOControl(ch) ? ' ' : ch);
    }
    return b.toString().strip();
  }

  private static List<String> cleanList(Collection<String> xs) {
    List<String> out = new ArrayList<>();
    if (xs != null) {
      for (String x : xs) {
        out.add(clean(x));
      }
    }
    return out;
  }

  static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int cut = max;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "\u2026";
  }

  private static String joinBounded(List<String> xs) {
    if (xs == null || xs.isEmpty()) {
      return "\u2014";
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(MAX_LIST_ITEMS, xs.size()); i++) {
      shown.add(clean(xs.get(i)));
    }
    String s = String.join(", ", shown);
    return xs.size() > MAX_LIST_ITEMS ? s + " \u2026 +" + (xs.size() - MAX_LIST_ITEMS) + " more" : s;
  }

  private static String fmt(Long v) {
    return v == null ? "\u2014" : String.format(Locale.ROOT, "%,d", v);
  }

  private static String fmt(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String score(double v) {
    return Double.isNaN(v) ? "\u2014" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%,.1f", ms / 1000.0);
  }

  private static <T> List<T> nn(List<T> xs) {
    return xs == null ? List.of() : xs;
  }

  private static <K, V> Map<K, V> nn(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  // ---------------------------------------------------------------------------------------------
  // Pebble

  private static PebbleEngine buildEngine() {
    ClasspathLoader loader = new ClasspathLoader(DailyReport.class.getClassLoader());
    loader.setPrefix("templates");
    return new PebbleEngine.Builder()
        .loader(loader)
        .autoEscaping(true)
        .defaultEscapingStrategy("html")
        .strictVariables(true)
        .cacheActive(true)
        .extension(new ReportExtension())
        .build();
  }

  private static String render(String template, Map<String, Object> ctx) {
    try {
      StringWriter w = new StringWriter();
      ENGINE.getTemplate(template).evaluate(w, ctx, Locale.ROOT);
      return w.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("rendering " + template, e);
    }
  }

  /** Escapes text for one Markdown table cell / list item: one line, no table breaks, no markup. */
  static String markdownCell(String s) {
    String t = clean(s);
    StringBuilder b = new StringBuilder(t.length() + 8);
    for (int i = 0; i < t.length(); i++) {
      char ch = t.charAt(i);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '|', '\\', '`', '*', '_', '[', ']', '#', '~' -> b.append('\\').append(ch);
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  private static final class ReportExtension extends AbstractExtension {
    @Override
    public Map<String, Filter> getFilters() {
      return Map.of("md", new MarkdownFilter());
    }
  }

  private static final class MarkdownFilter implements Filter {
    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                        int lineNumber) {
      if (input instanceof Collection<?> c) {
        List<String> parts = new ArrayList<>();
        for (Object o : c) {
          parts.add(markdownCell(o == null ? "" : o.toString()));
        }
        return String.join(", ", parts);
      }
      return markdownCell(input == null ? "" : input.toString());
    }
  }
}
