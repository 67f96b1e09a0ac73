package nightwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.MissingInputException;
import nightwatch.io.Warehouse;
import nightwatch.notebook.Notebook;
import nightwatch.notebook.NotebookHtml;
import nightwatch.notebook.NotebookRunner;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = "Analyst notebooks (notebooks/*.ipynb, %%sql cells against the tables by name).",
    subcommands = {NotebookCommand.Run.class})
public final class NotebookCommand implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run every code cell of a notebook in order against the warehouse; write the results as HTML. "
          + "Exits 1 naming the first cell that fails.")
  public static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The .ipynb file.")
    Path file;

    @Option(names = "--out", description = "HTML file for the results (default: FILE with .html, in the working directory).")
    Path out;

    @Mixin
    ConfigOptions config;

    @Option(names = "--allow-writes", description = "Run cells that write or delete; without it a notebook with such "
        + "a cell is refused with exit 2 before any cell runs.")
    boolean allowWrites;

    @Option(names = "--max-rows", defaultValue = "100", description = "Rows kept per result (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) {
        throw new MissingInputException("notebook not found: " + file);
      }
      Notebook nb = Notebook.read(file);
      NightwatchConfig cfg = config.load();
      SparkSession spark = Sessions.get("nightwatch-notebook", cfg);
      Warehouse wh = new Warehouse(spark, cfg.warehouse());
      String write = allowWrites ? null : NotebookRunner.firstWrite(spark, nb);
      if (write != null) {
        System.err.println("nightwatch: notebook " + file + ": " + write);
        return Main.USAGE;
      }
      SqlCommand.register(spark, wh, cfg.catalog().database());
      NotebookRunner.Result r = NotebookRunner.run(spark, nb, maxRows);
      Path html = out != null ? out : Path.of(file.getFileName().toString().replaceFirst("\\.ipynb$", "") + ".html");
      NotebookHtml.write(r, wh.root(), html);
      NotebookRunner.CellResult failed = r.failedCell();
      if (failed != null) {
        System.err.println("nightwatch: notebook " + file + ": cell " + failed.cell().number() + " failed: "
            + firstLine(failed.error()));
        System.err.println("results so far: " + html.toAbsolutePath());
        return Main.FAILED;
      }
      System.out.println(nb.name() + ": " + r.codeCells() + " SQL cells ran in " + r.millis() + " ms -> "
          + html.toAbsolutePath());
      return Main.OK;
    }

    private static String firstLine(String s) {
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    }
  }
}
