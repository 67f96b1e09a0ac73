package nightwatch.notebook;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Catalog;
import nightwatch.io.Warehouse;
import nightwatch.job.NightlyJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every notebook in {@code notebooks/} against a small warehouse built here (one synthetic day of
 * 1,500 messages through the nightly job: every table exists with real rows), so CI fails on any cell that
 * does not run as it is. One day keeps the test short; the cells do not depend on how many days there are.
 */
class NotebooksTest extends SparkTest {
  static final LocalDate DAY1 = LocalDate.parse("2026-11-20");
  static final String DB = "nightwatch";

  @TempDir
  static Path tmp;
  static NightwatchConfig cfg;
  static Warehouse wh;

  @BeforeAll
  static void buildWarehouse() {
    cfg = NightwatchConfig.load(null, Map.of("nightwatch.warehouse", tmp.resolve("wh").toString()));
    NightlyJob job = new NightlyJob(spark, cfg);
    SyntheticDay.write(SyntheticDay.generate(spark, DAY1, 1500, 7), cfg.input().path(cfg.input().root(), DAY1));
    job.run(DAY1); // registers the tables in the catalog at the end
    wh = new Warehouse(spark, cfg.warehouse());
  }

  static List<Path> notebooks() throws IOException {
    Path dir = Path.of(System.getProperty("nightwatch.repo", ".."), "notebooks");
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
      assertEquals(4, all.size(), "expected the four analyst notebooks in " + dir + ", found " + all);
      return all;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsAsItIs() throws IOException {
    return notebooks().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      Catalog.register(spark, wh, DB); // other test classes may have pointed the names elsewhere
      Notebook nb = Notebook.read(p);
      NotebookRunner.Result r = NotebookRunner.run(spark, nb, 20);
      NotebookRunner.CellResult failed = r.failedCell();
      assertNull(failed, () -> p.getFileName() + ": cell " + failed.cell().number() + " failed: " + failed.error()
          + "\n" + failed.sql());
      assertTrue(r.codeCells() >= 5, p.getFileName() + " should have at least 5 SQL cells");
      assertEquals(nb.cells().size(), r.cells().size(), "every cell ran");
      Path html = tmp.resolve(p.getFileName() + ".html");
      NotebookHtml.write(r, wh.root(), html);
      String page = Files.readString(html);
      assertTrue(page.contains("Every cell ran."), "the page says the run succeeded");
      assertFalse(page.contains("<script"), "no script in the page");
    }));
  }

  @Test
  void theTablesAreRegisteredByNameAndTheDatabaseIsRestored() {
    List<String> names = Catalog.register(spark, wh, DB);
    assertTrue(names.containsAll(List.of("clusters", "campaigns", "campaign_trends", "suspension_candidates",
        "job_runs", "review_decisions")), "registered: " + names);
    assertEquals(1L, spark.sql("SELECT count(DISTINCT ds) FROM nightwatch.message_clusters").first().getLong(0));
    assertEquals("default", spark.catalog().currentDatabase());
    // Registering again is a no-op that keeps the same tables.
    assertEquals(names, Catalog.register(spark, wh, DB));
  }

  @Test
  void aFailingCellStopsTheRunAndIsNamed() throws IOException {
    Path f = tmp.resolve("bad.ipynb");
    Files.writeString(f, """
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# A <script>alert(1)</script> title\\n"]},
          {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%%sql\\n", "SELECT '<b>x</b>' AS v;"]},
          {"cell_type": "code", "metadata": {}, "outputs": [], "source": "%%sql\\nSELECT * FROM no_such_table"},
          {"cell_type": "code", "metadata": {}, "outputs": [], "source": "%%sql\\nSELECT 1"}
        ]}
        """);
    NotebookRunner.Result r = NotebookRunner.run(spark, Notebook.read(f), 10);
    assertEquals(3, r.failedCell().cell().number(), "the third cell fails");
    assertEquals(3, r.cells().size(), "cells after the failure do not run");
    assertEquals(List.of(List.of("<b>x</b>")), r.cells().get(1).rows());
    String page = NotebookHtml.render(r, "wh");
    assertTrue(page.contains("Failed at cell 3"), page);
    assertTrue(page.contains("&lt;b&gt;x&lt;/b&gt;"), "results are escaped");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML in markdown is escaped");
    assertFalse(page.contains("<script>"), "no live script");
  }

  @Test
  void aCodeCellWithoutSqlMagicIsRejected() {
    Notebook.Cell cell = new Notebook.Cell(1, "code", "print('hi')");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cell::sql);
    assertTrue(e.getMessage().contains("%%sql"), e.getMessage());
  }
}
