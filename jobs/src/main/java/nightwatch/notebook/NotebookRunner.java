package nightwatch.notebook;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import nightwatch.spark.ReadOnlySql;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Executes a notebook's code cells in order against the session's catalog and keeps what a reader needs:
 * each result's first rows as text. It stops at the first failing cell, which it names.
 */
public final class NotebookRunner {
  private NotebookRunner() {}

  /** A cell's outcome. For a code cell: its SQL, the columns and first rows (as text), or the error. */
  public record CellResult(Notebook.Cell cell, String sql, List<String> columns, List<List<String>> rows,
                           boolean truncated, long millis, String error) {
    public boolean failed() {
      return error != null;
    }
  }

  /** All cells in order; if a cell failed, it is the last one run ({@code failedCell} names it). */
  public record Result(Notebook notebook, List<CellResult> cells, long millis) {
    public CellResult failedCell() {
      return cells.isEmpty() || !cells.get(cells.size() - 1).failed() ? null : cells.get(cells.size() - 1);
    }

    public int codeCells() {
      return (int) cells.stream().filter(c -> c.cell().isCode()).count();
    }
  }

  /**
   * Runs every code cell; a result keeps at most {@code maxRows} rows (the rest is only counted as more).
   * The session's current database is restored afterwards, so a {@code USE} cell does not leak.
   */
  public static Result run(SparkSession spark, Notebook nb, int maxRows) {
    long start = System.nanoTime();
    String database = spark.catalog().currentDatabase();
    List<CellResult> out = new ArrayList<>();
    try {
      for (Notebook.Cell cell : nb.cells()) {
        if (!cell.isCode()) {
          out.add(new CellResult(cell, null, List.of(), List.of(), false, 0, null));
          continue;
        }
        long t0 = System.nanoTime();
        String sql = null;
        try {
          sql = cell.sql();
          Dataset<Row> df = spark.sql(sql);
          List<String> columns = List.of(df.columns());
          List<List<String>> rows = new ArrayList<>();
          boolean truncated = false;
          if (!columns.isEmpty()) {
            for (Row r : asText(df).limit(maxRows + 1).collectAsList()) {
              if (rows.size() == maxRows) {
                truncated = true;
                break;
              }
              List<String> cells = new ArrayList<>();
              for (int i = 0; i < r.size(); i++) {
                cells.add(r.isNullAt(i) ? "NULL" : r.getString(i));
              }
              rows.add(cells);
            }
          }
          out.add(new CellResult(cell, sql, columns, rows, truncated, (System.nanoTime() - t0) / 1_000_000, null));
        } catch (Exception e) { // Spark's AnalysisException is a checked exception
          String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          out.add(new CellResult(cell, sql == null ? cell.source() : sql, List.of(), List.of(), false,
              (System.nanoTime() - t0) / 1_000_000, msg));
          break;
        }
      }
    } finally {
      spark.catalog().setCurrentDatabase(database);
    }
    return new Result(nb, List.copyOf(out), (System.nanoTime() - start) / 1_000_000);
  }

  /** The first code cell that would write or delete, as "cell N: KIND ...", or null when every cell only reads. */
  public static String firstWrite(SparkSession spark, Notebook nb) {
    for (Notebook.Cell cell : nb.cells()) {
      if (!cell.isCode()) {
        continue;
      }
      try {
        ReadOnlySql.check(spark, cell.sql());
      } catch (ReadOnlySql.WriteRefused e) {
        return "cell " + cell.number() + ": " + e.getMessage();
      } catch (IllegalArgumentException e) {
        // Not a runnable %%sql cell: the run reports it when it gets there.
      }
    }
    return null;
  }

  /** Every column cast to text (arrays, maps and structs as Spark prints them); positional, so duplicate names work. */
  private static Dataset<Row> asText(Dataset<Row> df) {
    String[] names = new String[df.columns().length];
    Column[] cast = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = "c" + i;
      cast[i] = col(names[i]).cast("string");
    }
    return df.toDF(names).select(cast);
  }
}
