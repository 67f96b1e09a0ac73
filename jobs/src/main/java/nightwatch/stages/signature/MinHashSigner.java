package nightwatch.stages.signature;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * MinHash signatures from MLlib: binary HashingTF over the shingles, then MinHashLSH's hash functions.
 * Only MLlib's signatures are used; banding is done by {@code Banding} (MLlib's own join puts one hash per
 * table and blows up on short texts, see DESIGN.md). The same seed and size always give the same hash
 * functions, so signatures of the day and of reference texts are comparable.
 */
public final class MinHashSigner {
  private final HashingTF tf;
  private final MinHashLSHModel model;
  private final int minShingles;

  /** The signer of the configured pipeline: one hash per band row of {@code lsh}. */
  public static MinHashSigner of(SparkSession spark, nightwatch.config.NightwatchConfig cfg,
                                 nightwatch.stages.lsh.LshParams lsh) {
    return new MinHashSigner(spark, cfg.text().numFeatures(), lsh.bands() * lsh.rows(), cfg.lsh().seed(),
        cfg.text().minShingles());
  }

  public MinHashSigner(SparkSession spark, int numFeatures, int numHashes, long seed, int minShingles) {
    this.tf = new HashingTF().setInputCol("shingles").setOutputCol("_features").setNumFeatures(numFeatures)
        .setBinary(true);
    // MinHashLSH draws its hash coefficients from the seed; fitting on one row avoids scanning the day.
    Dataset<Row> one = spark.createDataFrame(
        List.of(RowFactory.create(Vectors.sparse(numFeatures, new int[] {0}, new double[] {1.0}))),
        new StructType(new StructField[] {new StructField("_features", SQLDataTypes.VectorType(), false,
            org.apache.spark.sql.types.Metadata.empty())}));
    this.model = new MinHashLSH().setNumHashTables(numHashes).setSeed(seed).setInputCol("_features")
        .setOutputCol("_hashes").fit(one);
    this.minShingles = minShingles;
  }

  /**
   * Input: rows with {@code shingles}. Output: rows with at least minShingles shingles, plus {@code sig}
   * (array of ints, one min-hash per function). Rows with fewer shingles get no signature: they cannot
   * be compared reliably and would otherwise collide with each other.
   */
  public Dataset<Row> sign(Dataset<Row> docs) {
    Dataset<Row> eligible = docs.filter(size(col("shingles")).geq(minShingles));
    return model.transform(tf.transform(eligible))
        .withColumn("sig", transform(col("_hashes"),
            h -> org.apache.spark.ml.functions.vector_to_array(h, "float64").getItem(0).cast("int")))
        .drop("_features", "_hashes");
  }
}
