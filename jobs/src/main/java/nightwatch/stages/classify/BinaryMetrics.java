package nightwatch.stages.classify;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * ROC-AUC, precision and recall of scored rows ({@code label} 0/1, a score column in 0..1), from a
 * histogram of the scores in {@value #BUCKETS} buckets: one aggregation, and at most that many rows reach
 * the driver whatever the input size. Scores in one bucket count as ties (half credit in the AUC).
 */
public final class BinaryMetrics {
  public static final int BUCKETS = 10000;

  private final long[] pos = new long[BUCKETS + 1];
  private final long[] neg = new long[BUCKETS + 1];
  private final long totalPos;
  private final long totalNeg;

  private BinaryMetrics(List<Row> hist) {
    long p = 0;
    long n = 0;
    for (Row r : hist) {
      int b = r.getInt(0);
      pos[b] = r.getLong(1);
      neg[b] = r.getLong(2);
      p += pos[b];
      n += neg[b];
    }
    totalPos = p;
    totalNeg = n;
  }

  public static BinaryMetrics of(Dataset<Row> scored, String scoreCol) {
    List<Row> hist = scored
        .select(least(lit(BUCKETS), greatest(lit(0), floor(col(scoreCol).multiply(BUCKETS)).cast("int"))).as("b"),
            col(PropagandaClassifier.LABEL).cast("double").as("y"))
        .groupBy("b")
        .agg(sum(when(col("y").geq(0.5), 1L).otherwise(0L)).as("p"), sum(when(col("y").lt(0.5), 1L).otherwise(0L)).as("n"))
        .collectAsList();
    return new BinaryMetrics(hist);
  }

  public long positives() {
    return totalPos;
  }

  public long negatives() {
    return totalNeg;
  }

  /** Area under the ROC curve; null without both classes. */
  public Double auc() {
    if (totalPos == 0 || totalNeg == 0) {
      return null;
    }
    double area = 0;
    long negAbove = 0;
    for (int b = BUCKETS; b >= 0; b--) {
      // Positives in bucket b beat every negative in higher-score buckets' complement: count pairs ranked right.
      area += pos[b] * (double) (totalNeg - negAbove - neg[b]) + 0.5 * pos[b] * neg[b];
      negAbove += neg[b];
    }
    return area / ((double) totalPos * totalNeg);
  }

  /** Rows with score >= threshold count as positive. */
  public Double precisionAt(double threshold) {
    long[] c = counts(threshold);
    return c[0] + c[1] == 0 ? null : c[0] / (double) (c[0] + c[1]);
  }

  public Double recallAt(double threshold) {
    return totalPos == 0 ? null : counts(threshold)[0] / (double) totalPos;
  }

  private long[] counts(double threshold) {
    int from = (int) Math.ceil(threshold * BUCKETS - 1e-9);
    long tp = 0;
    long fp = 0;
    for (int b = Math.max(0, from); b <= BUCKETS; b++) {
      tp += pos[b];
      fp += neg[b];
    }
    return new long[] {tp, fp};
  }

  /**
   * The lowest threshold (the bucket of a positive's score) whose precision reaches {@code target}, so recall
   * is as high as the target allows; when no threshold reaches it, the one with the best precision.
   */
  public double thresholdFor(double target) {
    long tp = 0;
    long fp = 0;
    double best = 1.0;
    double bestPrecision = -1;
    Double lowestReaching = null;
    for (int b = BUCKETS; b >= 0; b--) {
      tp += pos[b];
      fp += neg[b];
      if (tp + fp == 0) {
        continue;
      }
      double precision = tp / (double) (tp + fp);
      double t = b / (double) BUCKETS;
      // Only at a positive's score: a threshold just above a negative would be fitted to that one text.
      if (precision >= target && pos[b] > 0) {
        lowestReaching = t;
      }
      if (precision > bestPrecision) {
        bestPrecision = precision;
        best = t;
      }
    }
    return lowestReaching != null ? lowestReaching : best;
  }
}
