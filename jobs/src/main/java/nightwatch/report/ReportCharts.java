package nightwatch.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts: JFreeChart drawn onto JFreeSVG, returned as a standalone {@code <svg>} element
 * (no XML prolog, no external references) ready to be inlined in the HTML. JFreeSVG XML-escapes every
 * string it draws, so category labels that come from data (reason codes, bands) cannot inject markup.
 * An empty dataset still produces a chart showing a "No data" message.
 */
final class ReportCharts {

  static final int WIDTH = 560;
  static final int HEIGHT = 300;

  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
  private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  private static final String NO_HISTORY = "No data for the last 14 days";
  private static final Color[] SERIES = {
      new Color(0x2F, 0x5D, 0x8C), new Color(0xC0, 0x5A, 0x2B), new Color(0x5B, 0x8C, 0x3A)};

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ReportCharts() {}

  /** Bars of the messages in flagged campaigns per history day (oldest first). */
  static String flaggedMessages(List<ReportData.DayPoint> history, String id) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (ReportData.DayPoint p : history) {
      if (p != null) {
        values.put(p.ds() == null ? "?" : p.ds(), p.flaggedMessages());
      }
    }
    return bars("Messages in flagged campaigns, last 14 days", "messages", values, id, NO_HISTORY);
  }

  /** Line chart over the history days (oldest first): flagged clusters and tiered candidates per day. */
  static String history(List<ReportData.DayPoint> history, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ReportData.DayPoint p : history) {
      if (p == null) {
        continue;
      }
      String day = p.ds() == null ? "?" : p.ds();
      data.addValue(p.flaggedClusters(), "flagged clusters", day);
      data.addValue(p.candidates(), "candidates (T1-T3)", day);
    }
    JFreeChart chart = ChartFactory.createLineChart("Flagged clusters and candidates, last 14 days", null,
        "count", data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = style(chart);
    plot.setNoDataMessage(NO_HISTORY);
    LineAndShapeRenderer r = (LineAndShapeRenderer) plot.getRenderer();
    r.setDefaultShapesVisible(true);
    r.setSeriesPaint(0, SERIES[1]);
    r.setSeriesPaint(1, SERIES[2]);
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));
    if (history.size() > 7) {
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return toSvg(chart, id, HEIGHT);
  }

  /** Stacked bars per day: new, growing and returned campaigns (disjoint, as the campaign status rules are). */
  static String campaigns(List<ReportData.CampaignDay> days, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ReportData.CampaignDay c : days) {
      if (c == null) {
        continue;
      }
      String day = c.ds() == null ? "?" : c.ds();
      data.addValue(c.newCampaigns(), "new", day);
      data.addValue(c.growing(), "growing", day);
      data.addValue(c.returned(), "returned", day);
    }
    JFreeChart chart = ChartFactory.createStackedBarChart("New, growing and returned campaigns, last 14 days",
        null, "campaigns", data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = style(chart);
    plot.setNoDataMessage(NO_HISTORY);
    for (int i = 0; i < SERIES.length; i++) {
      plot.getRenderer().setSeriesPaint(i, SERIES[i]);
    }
    if (days.size() > 7) {
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return toSvg(chart, id, HEIGHT);
  }

  /** Vertical bar chart of a label -> count map, in the map's iteration order. */
  static String bars(String title, String valueLabel, Map<String, Long> values, String id) {
    return bars(title, valueLabel, values, id, null);
  }

  private static String bars(String title, String valueLabel, Map<String, Long> values, String id, String noData) {
    JFreeChart chart = ChartFactory.createBarChart(
        title, null, valueLabel, dataset(values), PlotOrientation.VERTICAL, false, false, false);
    CategoryPlot plot = style(chart);
    if (noData != null) {
      plot.setNoDataMessage(noData);
    }
    if (values.size() > 5) {
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return toSvg(chart, id, HEIGHT);
  }

  /** Horizontal bar chart (long labels such as reason codes), height grows with the number of bars. */
  static String horizontalBars(String title, String valueLabel, Map<String, Long> values, String id) {
    JFreeChart chart = ChartFactory.createBarChart(
        title, null, valueLabel, dataset(values), PlotOrientation.HORIZONTAL, false, false, false);
    style(chart);
    int height = Math.max(HEIGHT, 90 + 24 * values.size());
    return toSvg(chart, id, height);
  }

  private static DefaultCategoryDataset dataset(Map<String, Long> values) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (Map.Entry<String, Long> e : values.entrySet()) {
      String key = e.getKey() == null ? "(none)" : e.getKey();
      ds.addValue(e.getValue() == null ? 0L : e.getValue(), "count", key);
    }
    return ds;
  }

  private static CategoryPlot style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    TextTitle title = chart.getTitle();
    if (title != null) {
      title.setFont(TITLE_FONT);
      title.setPaint(new Color(0x22, 0x22, 0x22));
    }
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(LABEL_FONT);
      legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
      legend.setPosition(RectangleEdge.BOTTOM);
    }
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setRangeGridlinePaint(GRID);
    plot.setRangeGridlinesVisible(true);
    plot.setNoDataMessage("No data for this day");
    plot.setNoDataMessageFont(LABEL_FONT);
    plot.setNoDataMessagePaint(Color.DARK_GRAY);
    CategoryAxis domain = plot.getDomainAxis();
    domain.setTickLabelFont(TICK_FONT);
    domain.setLabelFont(LABEL_FONT);
    domain.setMaximumCategoryLabelWidthRatio(0.9f);
    domain.setMaximumCategoryLabelLines(2);
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    range.setTickLabelFont(TICK_FONT);
    range.setLabelFont(LABEL_FONT);
    range.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    if (plot.getRenderer() instanceof BarRenderer br) {
      br.setBarPainter(new StandardBarPainter());
      br.setShadowVisible(false);
      br.setDrawBarOutline(false);
      br.setSeriesPaint(0, SERIES[0]);
      br.setMaximumBarWidth(0.12);
    }
    return plot;
  }

  private static String toSvg(JFreeChart chart, String id, int height) {
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, height);
    // Unique prefix per chart so clip-path ids of several inlined SVGs cannot collide.
    g2.setDefsKeyPrefix(id + "_");
    chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, height));
    // No fixed width/height: the viewBox lets CSS scale the chart to its container.
    return g2.getSVGElement(id, false, new ViewBox(0, 0, WIDTH, height),
        PreserveAspectRatio.XMID_YMID, MeetOrSlice.MEET);
  }
}
