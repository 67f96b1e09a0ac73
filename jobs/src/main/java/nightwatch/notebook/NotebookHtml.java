package nightwatch.notebook;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Writes a notebook run as one self-contained HTML page (Pebble, HTML autoescaping on): markdown cells
 * rendered by commonmark with raw HTML escaped and unsafe links dropped, each SQL cell with its result
 * table, and the failing cell marked.
 */
public final class NotebookHtml {
  private static final PebbleEngine ENGINE = engine();
  private static final Parser MARKDOWN = Parser.builder().build();
  private static final HtmlRenderer HTML = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  private NotebookHtml() {}

  public static String render(NotebookRunner.Result r, String warehouse) {
    List<Map<String, Object>> cells = new ArrayList<>();
    for (NotebookRunner.CellResult c : r.cells()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", c.cell().number());
      m.put("code", c.cell().isCode());
      // Safe to print unescaped: commonmark escaped any raw HTML in the markdown.
      m.put("markdownHtml", c.cell().isCode() ? "" : HTML.render(MARKDOWN.parse(c.cell().source())));
      m.put("sql", c.sql() == null ? "" : c.sql());
      m.put("columns", c.columns());
      m.put("rows", c.rows());
      m.put("truncated", c.truncated());
      m.put("millis", c.millis());
      m.put("error", c.error() == null ? "" : c.error());
      cells.add(m);
    }
    NotebookRunner.CellResult failed = r.failedCell();
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("name", r.notebook().name());
    ctx.put("warehouse", warehouse);
    ctx.put("generatedAt", Instant.now().toString());
    ctx.put("cells", cells);
    ctx.put("codeCells", r.codeCells());
    ctx.put("millis", r.millis());
    ctx.put("failedCell", failed == null ? 0 : failed.cell().number());
    try {
      StringWriter w = new StringWriter();
      ENGINE.getTemplate("notebook.html.peb").evaluate(w, ctx, Locale.ROOT);
      return w.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("rendering notebook.html.peb", e);
    }
  }

  public static void write(NotebookRunner.Result r, String warehouse, Path out) {
    try {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(out, render(r, warehouse), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }

  private static PebbleEngine engine() {
    ClasspathLoader loader = new ClasspathLoader(NotebookHtml.class.getClassLoader());
    loader.setPrefix("templates");
    return new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
        .strictVariables(true).cacheActive(true).build();
  }
}
