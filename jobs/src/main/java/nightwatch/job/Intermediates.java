package nightwatch.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nightwatch.spark.Parallel;
import nightwatch.stages.lsh.Banding;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one run keeps the intermediates it reuses, and when it lets them go: each is computed once and its lineage
 * cut (a local checkpoint, or Spark's columnar cache for data scanned many times for few columns), at the configured
 * storage level, and everything the run kept is released by {@link #release()} at its end. RDDs cached before the
 * run belong to the caller and stay.
 */
public final class Intermediates {
  private static final Logger LOG = LoggerFactory.getLogger(Intermediates.class);

  private final SparkSession spark;
  private final StorageLevel level;
  private final Set<Object> cachedBefore;
  private final List<Dataset<?>> columnar = Collections.synchronizedList(new ArrayList<>());

  Intermediates(SparkSession spark, StorageLevel level) {
    this.spark = spark;
    this.level = level;
    this.cachedBefore = new HashSet<>(
        scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).keySet());
  }

  StorageLevel level() {
    return level;
  }

  /** Computed now and kept, so later queries neither recompute it nor re-analyse its whole plan. */
  public <T> Dataset<T> keep(Dataset<T> d) {
    return d.localCheckpoint(true, level);
  }

  /** Kept by the first action on the result, which the caller runs at once. */
  <T> Dataset<T> keepOnFirstUse(Dataset<T> d) {
    return d.localCheckpoint(false, level);
  }

  /** Kept and counted in one pass (an eager checkpoint counts its rows but drops the figure). */
  Dataset<Row> keepCounted(Dataset<Row> d, String name, Map<String, Long> counts) {
    Dataset<Row> kept = keepOnFirstUse(d);
    counts.put(name, kept.count());
    return kept;
  }

  /** Kept partitioned and sorted by {@code key}, so joins on it shuffle only their other side. */
  Dataset<Row> keepPartitioned(Dataset<Row> d, String key) {
    return Banding.keepPartitioned(d, key, level);
  }

  /**
   * Kept in Spark's columnar cache by its first action, for data read many times for a few columns each: a scan
   * decodes only the columns it reads. Only for a short plan (over local checkpoints), which each query re-analyses.
   */
  <T> Dataset<T> keepColumnar(Dataset<T> d) {
    Dataset<T> kept = d.persist(level);
    columnar.add(kept);
    return kept;
  }

  /** Releases what this run kept, blocking, side by side (a removal in flight at exit fails noisily in Spark). */
  void release(String runId) {
    columnar.forEach(d -> d.unpersist(true));
    columnar.clear();
    List<Runnable> releases = new ArrayList<>();
    scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).forEach((id, rdd) -> {
      if (!cachedBefore.contains(id)) {
        releases.add(() -> rdd.unpersist(true));
      }
    });
    try {
      Parallel.run(Parallel.TABLE_THREADS, releases);
    } catch (RuntimeException e) {
      LOG.warn("could not release every intermediate of run {}: {}", runId, NightlyJob.oneLine(e));
    }
  }
}
