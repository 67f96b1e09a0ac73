package nightwatch.io;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nightwatch.schema.Tables;
import nightwatch.stages.classify.PropagandaClassifier;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trained classifiers in the warehouse: each version's PipelineModel in {@code model_store/<version>/} (not
 * inside the Delta table's folder, where VACUUM would delete it), and one row per version in the
 * {@code models} Delta table (schemas/models.json). The latest row by {@code created_at} is the one in use.
 */
public final class ModelStore {
  public static final String DIR = "model_store";

  private final SparkSession spark;
  private final Warehouse wh;

  public ModelStore(SparkSession spark, Warehouse wh) {
    this.spark = spark;
    this.wh = wh;
  }

  /** A registered version: its row in {@code models}; negativesByScript is empty for older rows. */
  public record Entry(String version, String path, double threshold, Map<String, Long> negativesByScript, Row row) {
    /** The stance model saved beside the classifier, if one was trained. */
    public Optional<String> stancePath() {
      int i = List.of(row.schema().fieldNames()).indexOf("stance_path");
      return i < 0 || row.isNullAt(i) ? Optional.empty() : Optional.of(row.getString(i));
    }

    public double stanceThreshold() {
      return row.<Double>getAs("stance_threshold");
    }
  }

  public String pathFor(String version) {
    return wh.root() + "/" + DIR + "/" + version;
  }

  /** Where the stance model of a version is saved (inside the version's folder). */
  public String stancePathFor(String version) {
    return pathFor(version) + "/stance";
  }

  /**
   * Saves the model, and the stance model when not null, and then appends its row (version and paths filled in by
   * the caller's row).
   */
  public void save(String version, PipelineModel model, PipelineModel stance, Dataset<Row> row) {
    try {
      model.write().overwrite().save(pathFor(version));
      if (stance != null) {
        stance.write().overwrite().save(stancePathFor(version));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save model " + version + " to " + pathFor(version), e);
    }
    wh.ensureTable(Tables.MODELS);
    wh.append(Tables.MODELS, row);
  }

  /** The latest registered version, if any. */
  public Optional<Entry> latest() {
    if (!wh.exists(Tables.MODELS)) {
      return Optional.empty();
    }
    List<Row> rows = wh.read(Tables.MODELS).orderBy(col("created_at").desc(), col("version").desc()).limit(1)
        .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    int i = List.of(r.schema().fieldNames()).indexOf("negatives_by_script");
    Map<String, Long> byScript = i < 0 || r.isNullAt(i) ? Map.of() : r.getJavaMap(i);
    return Optional.of(new Entry(r.getAs("version"), r.getAs("path"), r.<Double>getAs("threshold"), byScript, r));
  }

  /** Loads a saved version (registers the SQL function its pipeline calls first). */
  public PipelineModel load(Entry e) {
    PropagandaClassifier.registerFunctions(spark);
    return PipelineModel.load(e.path());
  }

  /** Loads the stance model saved beside a version (it calls the same SQL function). */
  public PipelineModel loadStance(Entry e) {
    PropagandaClassifier.registerFunctions(spark);
    return PipelineModel.load(e.stancePath().orElseThrow());
  }
}
