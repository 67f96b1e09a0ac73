package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairwise agreement of two clusterings of the same items, from the contingency table, computed in Spark
 * (no pair is ever materialised): pair precision and recall, and the adjusted Rand index.
 */
public record PairCounts(long items, double samePredicted, double sameTruth, double sameBoth) {

  /** @param labelled columns {@code predicted} and {@code truth}: one row per item, no nulls (singletons get unique labels) */
  public static PairCounts of(Dataset<Row> labelled) {
    Column pairs = col("n").multiply(col("n").minus(1)).divide(2.0);
    double both = sumPairs(labelled.groupBy("predicted", "truth").count().withColumnRenamed("count", "n"), pairs);
    double pred = sumPairs(labelled.groupBy("predicted").count().withColumnRenamed("count", "n"), pairs);
    double truth = sumPairs(labelled.groupBy("truth").count().withColumnRenamed("count", "n"), pairs);
    return new PairCounts(labelled.count(), pred, truth, both);
  }

  private static double sumPairs(Dataset<Row> counts, Column pairs) {
    Row r = counts.agg(coalesce(sum(pairs), lit(0.0))).first();
    return r.getDouble(0);
  }

  public double precision() {
    return samePredicted == 0 ? 1.0 : sameBoth / samePredicted;
  }

  public double recall() {
    return sameTruth == 0 ? 1.0 : sameBoth / sameTruth;
  }

  /** Hubert and Arabie's adjusted Rand index. */
  public double ari() {
    double all = items * (items - 1) / 2.0;
    if (all == 0) {
      return 1.0;
    }
    double expected = samePredicted * sameTruth / all;
    double max = (samePredicted + sameTruth) / 2.0;
    return max == expected ? 1.0 : (sameBoth - expected) / (max - expected);
  }
}
