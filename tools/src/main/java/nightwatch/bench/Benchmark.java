package nightwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import nightwatch.config.NightwatchConfig;
import nightwatch.generate.GeneratedDay;
import nightwatch.generate.SyntheticDay;
import nightwatch.io.Storage;
import nightwatch.job.NightlyJob;
import nightwatch.job.RunResult;
import nightwatch.job.StageMetrics;
import nightwatch.job.StageTimer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark harness behind {@code bin/nightwatch bench}: for each size (and skew), generates a day once
 * outside the timed part, measures the floor (read, normalise, sign; no shuffle), then runs the full
 * nightly job on a fresh warehouse under each warehouse root (local disk, HDFS, an object store: any Hadoop
 * filesystem URI), with a floor after each run, and reads per-stage figures from Spark's own metrics (the
 * {@link StageMetrics} listener): wall time, task time, shuffle bytes, spill, peak JVM heap, rows.
 */
public final class Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

  /** Which counts of a run are a stage's rows in and out (null: the stage has no such count). */
  private static final Map<String, String[]> ROWS = Map.ofEntries(
      Map.entry("read_validate", new String[] {"input_lines_messages", "messages"}),
      Map.entry("signatures", new String[] {"normalized_messages", "distinct_texts_signed"}),
      Map.entry("banding", new String[] {"distinct_texts_signed", "candidate_edges"}),
      Map.entry("components", new String[] {"candidate_edges", "verified_edges"}),
      Map.entry("clusters", new String[] {"normalized_messages", "clustered_messages"}),
      Map.entry("scoring_clusters", new String[] {"clusters", "flagged_clusters"}),
      Map.entry("scoring_accounts", new String[] {"clustered_messages", "candidates"}));

  /**
   * What to run. {@code warehouseRoots}: Hadoop filesystem URIs (or local paths), each run's warehouse is
   * ROOT/&lt;size&gt;[-skew]; null or empty means the one root WORK/warehouse. {@code warmupMessages}: the size of an
   * untimed run before the measured ones (0: none), so that the first measured run does not carry the JVM's start.
   */
  public record Settings(List<Long> sizes, List<SkewedDay.Kind> skews, double viralFraction, double heavyFraction,
                         Path work, LocalDate ds, long seed, java.io.File conf, List<String> warehouseRoots,
                         long warmupMessages) {
    public Settings(List<Long> sizes, List<SkewedDay.Kind> skews, double viralFraction, double heavyFraction,
                    Path work, LocalDate ds, long seed, java.io.File conf) {
      this(sizes, skews, viralFraction, heavyFraction, work, ds, seed, conf, null, 0);
    }

    public List<String> roots() {
      return warehouseRoots == null || warehouseRoots.isEmpty()
          ? List.of(work.resolve("warehouse").toString()) : warehouseRoots;
    }
  }

  private final SparkSession spark;
  private final Settings s;
  private final int cores;

  public Benchmark(SparkSession spark, Settings s) {
    this.spark = spark;
    this.s = s;
    this.cores = spark.sparkContext().defaultParallelism();
  }

  public int cores() {
    return cores;
  }

  /** The warehouse roots, fully qualified (e.g. {@code file:/abs/bench/warehouse}), in the order they run. */
  public List<String> roots() {
    org.apache.hadoop.conf.Configuration conf = Storage.conf(spark);
    return s.roots().stream().map(r -> Storage.qualify(conf, r)).toList();
  }

  /** Runs every size and skew on every root; {@code done} gets each result as soon as it is measured. */
  public List<Map<String, Object>> run(java.util.function.Consumer<Map<String, Object>> done) throws IOException {
    List<Map<String, Object>> results = new ArrayList<>();
    List<String> roots = roots();
    if (s.warmupMessages() > 0) {
      warmup(s.warmupMessages());
    }
    for (long n : s.sizes()) {
      for (SkewedDay.Kind skew : s.skews()) {
        String name = n + (skew == SkewedDay.Kind.none ? "" : "-" + skew);
        Path input = s.work().resolve("data").resolve(name);
        NightwatchConfig first = config(Storage.child(roots.get(0), name), input);
        ensureInput(first, n, skew, input);
        // One floor before the first run and one after each: every run sits between two floors, as with one root.
        FloorRun before = floor(first, "bench-floor-" + name);
        for (int i = 0; i < roots.size(); i++) {
          NightwatchConfig cfg = config(Storage.child(roots.get(i), name), input);
          String tag = roots.size() == 1 ? name : name + "-" + i;
          Run r = runOne(cfg, n, skew, roots.get(i), tag, before);
          before = r.floorAfter();
          results.add(r.result());
          done.accept(r.result());
        }
      }
    }
    return results;
  }

  /**
   * One untimed nightly run and floor on a small day and a scratch local warehouse: a cold JVM (class loading, JIT,
   * Spark's generated-code cache) made the first of several runs of the same day take far longer than the next.
   */
  private void warmup(long n) throws IOException {
    String name = "warmup-" + n;
    Path input = s.work().resolve("data").resolve(name);
    Path warehouse = s.work().resolve("warmup");
    NightwatchConfig cfg = config(warehouse.toString(), input);
    ensureInput(cfg, n, SkewedDay.Kind.none, input);
    Storage.deleteRecursively(Storage.conf(spark), warehouse.toString());
    long t0 = System.nanoTime();
    floor(cfg, "bench-floor-" + name);
    new NightlyJob(spark, cfg, nightwatch.privacy.Pseudonymizer.fromEnvironmentOrRandom(
        cfg.pseudonymKeyEnv(), System.getenv())).run(s.ds());
    System.out.printf("bench: warm-up run on %d messages in %.1f s (not timed)%n", n, (System.nanoTime() - t0) / 1e9);
  }

  private NightwatchConfig config(String warehouse, Path input) {
    return NightwatchConfig.load(s.conf(), Map.of("nightwatch.warehouse", warehouse, "nightwatch.input.root",
        input.toString()));
  }

  /** One job run's figures, and the floor measured after it (the next run's floor before). */
  private record Run(Map<String, Object> result, FloorRun floorAfter) {}

  private Run runOne(NightwatchConfig cfg, long n, SkewedDay.Kind skew, String root, String name, FloorRun before) {
    Storage.deleteRecursively(Storage.conf(spark), cfg.warehouse());
    StageMetrics listener = StageTimer.listener();
    listener.resetPeakHeap();
    long t0 = System.nanoTime();
    // Synthetic data: like the demo, a random pseudonym key when the environment has none.
    RunResult r = new NightlyJob(spark, cfg, nightwatch.privacy.Pseudonymizer.fromEnvironmentOrRandom(
        cfg.pseudonymKeyEnv(), System.getenv())).run(s.ds());
    double wall = (System.nanoTime() - t0) / 1e9;
    long peakHeap = listener.peakHeap();
    // The floor once more, after the job: on a shared machine the floor drifts, so the ratio is taken against the
    // mean of a floor just before and one just after the job.
    FloorRun after = floor(cfg, "bench-floor-after-" + name);
    double floorSeconds = (before.seconds() + after.seconds()) / 2;

    long messages = r.counts().getOrDefault("messages", 0L);
    List<Map<String, Object>> stages = new ArrayList<>();
    for (Map.Entry<String, Long> e : r.stageMillis().entrySet()) {
      StageMetrics.Totals m = listener.of(r.runId() + ":" + e.getKey());
      double sec = e.getValue() / 1000.0;
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("stage", e.getKey());
      st.put("wall_s", round(sec));
      st.put("messages_per_s_per_core", sec > 0 ? Math.round(messages / sec / cores) : null);
      st.put("task_s", round(m.taskMillis / 1000.0));
      st.put("cpu_s", round(m.cpuMillis / 1000.0));
      st.put("spark_jobs", m.jobs);
      st.put("tasks", m.tasks);
      st.put("shuffle_read_bytes", m.shuffleRead);
      st.put("shuffle_write_bytes", m.shuffleWrite);
      st.put("spilled_bytes", m.spilled);
      st.put("peak_heap_bytes", m.peakHeap);
      String[] io = ROWS.get(e.getKey());
      st.put("rows_in", io == null ? null : r.counts().get(io[0]));
      st.put("rows_out", io == null ? null : r.counts().get(io[1]));
      st.put("spark_records_read", m.recordsRead + m.shuffleRecordsRead);
      st.put("spark_records_written", m.recordsWritten + m.shuffleRecordsWritten);
      stages.add(st);
    }
    long shuffleRead = stages.stream().mapToLong(x -> (Long) x.get("shuffle_read_bytes")).sum();
    long shuffleWrite = stages.stream().mapToLong(x -> (Long) x.get("shuffle_write_bytes")).sum();
    long spilled = stages.stream().mapToLong(x -> (Long) x.get("spilled_bytes")).sum();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("messages_requested", n);
    out.put("skew", skew.name());
    out.put("warehouse", root);
    out.put("warmup_messages", s.warmupMessages());
    out.put("messages", messages);
    out.put("cores", cores);
    out.put("wall_s", round(wall));
    out.put("messages_per_s_per_core", Math.round(messages / wall / cores));
    out.put("cpu_s", round(stages.stream().mapToDouble(x -> (Double) x.get("cpu_s")).sum()));
    out.put("floor_s", round(floorSeconds));
    out.put("floor_before_s", round(before.seconds()));
    out.put("floor_after_s", round(after.seconds()));
    out.put("floor_cpu_s", round((before.totals().cpuMillis + after.totals().cpuMillis) / 2000.0));
    out.put("floor_shuffle_bytes", before.totals().shuffleRead + before.totals().shuffleWrite
        + after.totals().shuffleRead + after.totals().shuffleWrite);
    out.put("ratio_to_floor", round(wall / floorSeconds));
    out.put("shuffle_read_bytes", shuffleRead);
    out.put("shuffle_write_bytes", shuffleWrite);
    out.put("shuffle_bytes_per_message", messages == 0 ? null : round((double) (shuffleRead + shuffleWrite) / messages));
    out.put("spilled_bytes", spilled);
    out.put("peak_heap_bytes", peakHeap);
    out.put("largest_component", r.largestComponent());
    out.put("cc_rounds", r.ccRounds());
    out.put("stages", stages);
    LOG.info("bench {} on {}: {}", name, root, out);
    return new Run(out, after);
  }

  /** One run of the floor: its wall seconds and its Spark totals. */
  private record FloorRun(double seconds, StageMetrics.Totals totals) {}

  /** Runs the floor once under its own job group. */
  private FloorRun floor(NightwatchConfig cfg, String group) {
    StageTimer timer = new StageTimer(spark, group);
    long f0 = System.nanoTime();
    timer.stage("floor", () -> Floor.run(spark, cfg, s.ds()));
    return new FloorRun((System.nanoTime() - f0) / 1e9, timer.metrics("floor"));
  }

  /** Generates the day once; a completed earlier generation (marker file) is reused. */
  private void ensureInput(NightwatchConfig cfg, long n, SkewedDay.Kind skew, Path root) throws IOException {
    Path marker = root.resolve("_BENCH_COMPLETE");
    String want = "messages=" + n + " skew=" + skew + " seed=" + s.seed() + " ds=" + s.ds();
    if (Files.exists(marker) && Files.readString(marker).strip().equals(want)) {
      System.out.printf("bench: reusing generated input %s (%s)%n", root, want);
      return;
    }
    Storage.deleteRecursively(Storage.conf(spark), root.toString());
    long t0 = System.nanoTime();
    GeneratedDay day = SyntheticDay.generate(spark, s.ds(), n, s.seed());
    if (skew != SkewedDay.Kind.none) {
      long rows = Math.round(n * (skew == SkewedDay.Kind.text ? s.viralFraction() : s.heavyFraction()));
      // One existing account takes the heavy posting: a single-row lookup, not proportional to the input.
      String heavy = day.accounts().select("account_id").first().getString(0);
      day = new GeneratedDay(SkewedDay.apply(day.messages(), skew, rows, n, heavy), day.accounts(), day.reports(),
          day.reference(), day.truthMessages(), day.truthAccounts());
    }
    SyntheticDay.write(day, cfg.input().path(cfg.input().root(), s.ds()));
    Files.createDirectories(root);
    Files.writeString(marker, want + "\n");
    System.out.printf("bench: generated %s in %.1f s (not timed)%n", want, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The ratios section of the summary: per warehouse root, the scaling from the smallest to the largest unskewed
   * size and each skewed day against its plain twin; then each root's wall time against the first root's.
   */
  public static List<String> ratios(List<Map<String, Object>> results) {
    List<String> lines = new ArrayList<>();
    List<Object> roots = results.stream().map(r -> r.get("warehouse")).distinct().toList();
    for (Object root : roots) {
      List<Map<String, Object>> mine = results.stream().filter(r -> Objects.equals(root, r.get("warehouse"))).toList();
      String on = roots.size() == 1 ? "" : " (warehouse " + root + ")";
      List<Map<String, Object>> plain = mine.stream().filter(r -> "none".equals(r.get("skew"))).toList();
      if (plain.size() >= 2) {
        Map<String, Object> a = plain.get(0);
        Map<String, Object> z = plain.get(plain.size() - 1);
        lines.add(String.format("scaling%s: %dx the messages took %.2fx the time", on,
            (Long) z.get("messages") / Math.max(1, (Long) a.get("messages")),
            (Double) z.get("wall_s") / (Double) a.get("wall_s")));
      }
      for (Map<String, Object> r : mine) {
        if (!"none".equals(r.get("skew"))) {
          plain.stream().filter(p -> p.get("messages_requested").equals(r.get("messages_requested"))).findFirst()
              .ifPresent(p -> lines.add(String.format("skew %s at %s messages%s: %.2fx the plain day", r.get("skew"),
                  r.get("messages_requested"), on, (Double) r.get("wall_s") / (Double) p.get("wall_s"))));
        }
      }
    }
    if (roots.size() > 1) {
      Object first = roots.get(0);
      for (Map<String, Object> r : results) {
        if (Objects.equals(first, r.get("warehouse"))) {
          continue;
        }
        results.stream().filter(f -> Objects.equals(first, f.get("warehouse"))
                && f.get("messages_requested").equals(r.get("messages_requested")) && f.get("skew").equals(r.get("skew")))
            .findFirst()
            .ifPresent(f -> lines.add(String.format("warehouse %s at %s messages%s: %.2fx the first (%s)",
                r.get("warehouse"), r.get("messages_requested"),
                "none".equals(r.get("skew")) ? "" : ", skew " + r.get("skew"),
                (Double) r.get("wall_s") / (Double) f.get("wall_s"), first)));
      }
    }
    return lines;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public static String json(Object o) throws IOException {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
  }
}
