package nightwatch.stages.classify;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;

import nightwatch.SparkTest;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest extends SparkTest {
  @Test
  void aucPrecisionRecallAndThreshold() {
    // Positives 0.9, 0.8, 0.4; negatives 0.7, 0.3, 0.1.
    BinaryMetrics m = BinaryMetrics.of(df(spark, "label double, s double",
        r(1.0, 0.9), r(1.0, 0.8), r(1.0, 0.4), r(0.0, 0.7), r(0.0, 0.3), r(0.0, 0.1)), "s");
    // Correctly ordered pairs: 0.9 and 0.8 beat all 3 negatives, 0.4 beats 2: 8 of 9.
    assertEquals(8 / 9.0, m.auc(), 1e-12, "AUC");
    assertEquals(2 / 3.0, m.precisionAt(0.7), 1e-12, "precision at 0.7");
    assertEquals(2 / 3.0, m.recallAt(0.7), 1e-12, "recall at 0.7");
    assertEquals(0.8, m.thresholdFor(0.9), 1.001e-4, "lowest threshold with precision >= 0.9");
    assertEquals(0.4, m.thresholdFor(0.75), 1.001e-4, "3 of 4 at 0.4");
    assertEquals(3, m.positives(), "positives");
  }

  @Test
  void tiesCountHalf() {
    BinaryMetrics m = BinaryMetrics.of(df(spark, "label double, s double", r(1.0, 0.5), r(0.0, 0.5)), "s");
    assertEquals(0.5, m.auc(), 1e-12, "a tie is half a correct pair");
  }
}
