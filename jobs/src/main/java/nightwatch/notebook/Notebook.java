package nightwatch.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Jupyter notebook (nbformat 4) as Nightwatch runs it: markdown cells are text, code cells are Spark SQL
 * under the {@code %%sql} cell magic (one statement per cell, as Jupyter SQL kernels expect).
 */
public record Notebook(String name, List<Cell> cells) {

  /** One cell; {@code number} counts from 1 over all cells, as a person counts them in Jupyter. */
  public record Cell(int number, String type, String source) {
    public boolean isCode() {
      return "code".equals(type);
    }

    /** The SQL of a code cell: the source after the {@code %%sql} line, without a trailing semicolon. */
    public String sql() {
      String s = source.strip();
      if (!s.startsWith("%%sql")) {
        throw new IllegalArgumentException("code cell does not start with %%sql (only Spark SQL cells run here)");
      }
      int nl = s.indexOf('\n');
      String body = nl < 0 ? s.substring("%%sql".length()) : s.substring(nl + 1);
      if (nl >= 0 && !s.substring("%%sql".length(), nl).isBlank()) {
        throw new IllegalArgumentException("options after %%sql are not supported: " + s.substring(0, nl));
      }
      body = body.strip();
      while (body.endsWith(";")) {
        body = body.substring(0, body.length() - 1).strip();
      }
      if (body.isEmpty()) {
        throw new IllegalArgumentException("empty %%sql cell");
      }
      return body;
    }
  }

  /** Thrown for a file that is not a readable nbformat-4 notebook. */
  public static final class InvalidNotebookException extends RuntimeException {
    public InvalidNotebookException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static Notebook read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidNotebookException("cannot read notebook " + file + ": " + e.getMessage(), e);
    }
    JsonNode cells = root == null ? null : root.get("cells");
    if (cells == null || !cells.isArray()) {
      throw new InvalidNotebookException("not a Jupyter notebook (no \"cells\" array): " + file, null);
    }
    List<Cell> out = new ArrayList<>();
    int n = 0;
    for (JsonNode c : cells) {
      n++;
      out.add(new Cell(n, c.path("cell_type").asText(""), source(c.get("source"))));
    }
    return new Notebook(file.getFileName().toString(), List.copyOf(out));
  }

  /** nbformat stores a cell's source as one string or as a list of lines (each keeping its newline). */
  private static String source(JsonNode s) {
    if (s == null || s.isNull()) {
      return "";
    }
    if (s.isArray()) {
      StringBuilder b = new StringBuilder();
      s.forEach(line -> b.append(line.asText()));
      return b.toString();
    }
    return s.asText();
  }
}
