package nightwatch.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nightwatch.bench.Benchmark;
import nightwatch.bench.SkewedDay;
import nightwatch.io.Preflight;
import nightwatch.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark the nightly job: generate each size once (not timed), measure the floor (read, "
        + "normalise, sign; no shuffle) before and after the full job (once per warehouse root), print per-stage "
        + "figures from Spark's metrics and the job's time against the mean floor, write them as JSON and as "
        + "Markdown rows under the work folder.")
public final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--messages", split = ",", defaultValue = "1000000,3000000,10000000",
      description = "Day sizes, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Long> sizes;

  @Option(names = "--skew", split = ",", defaultValue = "none",
      description = "Skewed variants to run at each size: none, text (one viral text), account (one heavy "
          + "poster); comma-separated (default: ${DEFAULT-VALUE}).")
  List<SkewedDay.Kind> skews;

  @Option(names = "--viral-fraction", defaultValue = "0.2",
      description = "Share of a 'text' day's messages that carry the one viral text (default: ${DEFAULT-VALUE}).")
  double viralFraction;

  @Option(names = "--heavy-fraction", defaultValue = "0.05",
      description = "Share of an 'account' day's messages posted by one account (default: ${DEFAULT-VALUE}).")
  double heavyFraction;

  @Option(names = "--work", defaultValue = "./bench",
      description = "Folder for generated inputs (kept and reused) and scratch warehouses (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--warehouse-roots", split = ",", paramLabel = "URI",
      description = "Warehouse roots to run the job on, comma-separated Hadoop filesystem URIs (file:, hdfs://, "
          + "s3a://...); each run's warehouse is ROOT/<size>[-skew], deleted first (default: WORK/warehouse).")
  List<String> warehouseRoots;

  @Option(names = "--warmup", paramLabel = "N",
      description = "Messages of an untimed nightly run before the measured ones, so the first root does not pay for "
          + "the JVM's start; 0 for none (default: 20000 with several warehouse roots, else 0).")
  Long warmup;

  @Option(names = "--out", description = "JSON results file (default: WORK/results-<time>.json).")
  Path out;

  @Option(names = "--docs",
      description = "Markdown file to append a row per run to, e.g. docs/benchmarks.md; 'none' to skip "
          + "(default: WORK/results-<time>.md).")
  String docs;

  @Option(names = "--date", defaultValue = "2026-11-20", description = "Day to generate (default: ${DEFAULT-VALUE}).")
  LocalDate ds;

  @Mixin
  SeedOption seedOption;

  @Option(names = "--conf", description = "Config file (its warehouse and input root are replaced by the bench's own).")
  java.io.File conf;

  @Override
  public Integer call() throws Exception {
    // Per-task peak heap needs the executor metrics poller; its default only samples at heartbeats.
    System.setProperty("spark.executor.metrics.pollingInterval", "250ms");
    SparkSession spark = Sessions.get("nightwatch-bench");
    Benchmark b = new Benchmark(spark, new Benchmark.Settings(sizes, skews, viralFraction, heavyFraction,
        work.toAbsolutePath().normalize(), ds, seedOption.seed, conf, warehouseRoots,
        warmup != null ? warmup : warehouseRoots != null && warehouseRoots.size() > 1 ? 20_000 : 0));
    List<String> roots = b.roots();
    // A root that cannot be reached fails now (exit 8), not after the inputs are generated and the first runs done.
    for (String root : roots) {
      Preflight.warehouse(spark, root, Preflight.DEFAULT_TIMEOUT);
    }
    long started = System.currentTimeMillis();
    Path file = out != null ? out : work.resolve("results-" + started + ".json");
    Path md = docs == null ? work.resolve("results-" + started + ".md") : "none".equals(docs) ? null : Path.of(docs);
    Files.createDirectories(file.toAbsolutePath().getParent());
    String commit = commit();
    // Each run is saved (JSON rewritten, Markdown row appended) as soon as it is measured, so a long run that is
    // stopped or fails at its largest size keeps the figures of the runs before it.
    List<Map<String, Object>> sofar = new ArrayList<>();
    List<Map<String, Object>> results = b.run(r -> {
      sofar.add(r);
      try {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", command());
        doc.put("machine", machine(b.cores()));
        doc.put("date", LocalDate.now().toString());
        doc.put("commit", commit);
        doc.put("warehouse_roots", roots);
        doc.put("results", sofar);
        Files.writeString(file, Benchmark.json(doc));
        if (md != null) {
          appendDocs(md, List.of(r), b.cores(), commit);
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot save benchmark results to " + file + " / " + md, e);
      }
    });

    System.out.println();
    System.out.println("Nightwatch benchmark (" + machine(b.cores()) + ")");
    System.out.printf("%-12s %-8s %9s %8s %12s %9s %7s %11s %9s %11s %8s  %s%n", "messages", "skew", "wall_s", "cpu_s",
        "msg/s/core", "floor_s", "ratio", "shuffle_MB", "spill_MB", "peak_heap_MB", "largest", "warehouse");
    for (Map<String, Object> r : results) {
      System.out.printf("%-12s %-8s %9.1f %8.1f %12s %9.1f %7.2f %11.1f %9.1f %11.0f %8s  %s%n", r.get("messages"), r.get("skew"),
          (Double) r.get("wall_s"), (Double) r.get("cpu_s"), r.get("messages_per_s_per_core"),
          (Double) r.get("floor_s"), (Double) r.get("ratio_to_floor"), mb((Long) r.get("shuffle_read_bytes") + (Long) r.get("shuffle_write_bytes")),
          mb((Long) r.get("spilled_bytes")), mb((Long) r.get("peak_heap_bytes")), r.get("largest_component"),
          r.get("warehouse"));
    }
    for (Map<String, Object> r : results) {
      System.out.println();
      System.out.println("stages at " + r.get("messages") + " messages, skew " + r.get("skew") + ", warehouse "
          + r.get("warehouse") + ":");
      System.out.printf("  %-17s %8s %10s %8s %8s %11s %11s %9s %10s %12s %12s%n", "stage", "wall_s", "msg/s/core",
          "task_s", "cpu_s", "shuf_r_MB", "shuf_w_MB", "spill_MB", "heap_MB", "rows_in", "rows_out");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> stages = (List<Map<String, Object>>) r.get("stages");
      for (Map<String, Object> st : stages) {
        System.out.printf("  %-17s %8.1f %10s %8.1f %8.1f %11.1f %11.1f %9.1f %10.0f %12s %12s%n", st.get("stage"),
            (Double) st.get("wall_s"), st.get("messages_per_s_per_core"), (Double) st.get("task_s"),
            (Double) st.get("cpu_s"), mb((Long) st.get("shuffle_read_bytes")), mb((Long) st.get("shuffle_write_bytes")),
            mb((Long) st.get("spilled_bytes")), mb((Long) st.get("peak_heap_bytes")), st.get("rows_in"),
            st.get("rows_out"));
      }
    }
    Benchmark.ratios(results).forEach(System.out::println);
    System.out.println("results: " + file);
    if (md != null) {
      System.out.println("markdown rows: " + md + " (a row per run, as each finished)");
    }
    return Main.OK;
  }

  private void appendDocs(Path md, List<Map<String, Object>> results, int cores, String commit) throws Exception {
    if (md.toAbsolutePath().getParent() != null) {
      Files.createDirectories(md.toAbsolutePath().getParent());
    }
    if (!Files.exists(md)) {
      Files.writeString(md, "# Benchmarks\n\nRows written by `bin/nightwatch bench`. Wall times are measured around "
          + "the run; shuffle, spill and peak heap come from Spark's own metrics (a SparkListener). The floor is "
          + "reading, normalising and signing the day with no shuffle.\n\n");
    }
    String content = Files.readString(md);
    StringBuilder sb = new StringBuilder();
    String header = "| date | commit | command | machine | warehouse | messages | skew | wall s | msg/s/core | floor s "
        + "| ratio to floor | shuffle MB | spill MB | peak heap MB | largest component |";
    if (!content.contains(header)) {
      sb.append("\n## Nightly job (`bin/nightwatch bench`)\n\n").append(header).append('\n')
          .append("|---|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    }
    for (Map<String, Object> r : results) {
      sb.append(String.format("| %s | %s | `%s` | %s | %s | %s | %s | %.1f | %s | %.1f | %.2f | %.0f | %.0f | %.0f | %s |%n",
          LocalDate.now(), commit, command(), machine(cores), r.get("warehouse"), r.get("messages"), r.get("skew"),
          (Double) r.get("wall_s"),
          r.get("messages_per_s_per_core"), (Double) r.get("floor_s"), (Double) r.get("ratio_to_floor"),
          mb((Long) r.get("shuffle_read_bytes") + (Long) r.get("shuffle_write_bytes")),
          mb((Long) r.get("spilled_bytes")), mb((Long) r.get("peak_heap_bytes")), r.get("largest_component")));
    }
    Files.writeString(md, sb.toString(), StandardOpenOption.APPEND);
  }

  private String command() {
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals("bench")) {
      args.remove(0);
    }
    return String.join(" ", "bin/nightwatch", "bench", String.join(" ", args)).strip();
  }

  /** The checked-out commit of the code that ran: the repository holding the jar or classes, else the working folder. */
  private static String commit() {
    List<java.io.File> dirs = new ArrayList<>();
    try {
      java.io.File src = new java.io.File(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      dirs.add(src.isDirectory() ? src : src.getParentFile());
    } catch (Exception | Error e) {
      // No code source (an unusual class loader): the working folder only.
    }
    dirs.add(new java.io.File("."));
    for (java.io.File dir : dirs) {
      try {
        Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(dir)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String sha = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 && !sha.isEmpty()) {
          return sha;
        }
        p.destroy();
      } catch (Exception e) {
        // No git, or not a repository: try the next folder.
      }
    }
    return "unknown";
  }

  private static String machine(int cores) {
    long mem = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format("%d cores (Spark), %d CPUs, %.0f GB RAM, heap %.1f GB", cores,
        Runtime.getRuntime().availableProcessors(), mem / 1e9, Runtime.getRuntime().maxMemory() / 1e9);
  }

  private static double mb(long bytes) {
    return bytes / 1e6;
  }
}
