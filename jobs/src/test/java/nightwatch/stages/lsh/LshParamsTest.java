package nightwatch.stages.lsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LshParamsTest {

  @Test
  void chooseForHalfThresholdAnd64Hashes() {
    LshParams p = LshParams.choose(0.5, 64);
    assertTrue(p.bands() * p.rows() <= 64, "b*r must fit in 64 hashes: " + p);
    assertTrue(p.bands() > 1 && p.rows() > 1, "expected several bands of several rows: " + p);
    assertEquals(LshParams.probability(0.5, p.bands(), p.rows()), p.probabilityAtThreshold(), 1e-12,
        "probabilityAtThreshold should be P(threshold)");
    assertTrue(p.probabilityAtThreshold() > 0.3 && p.probabilityAtThreshold() < 0.95,
        "P(0.5) should be a middling S-curve value: " + p);
    assertTrue(LshParams.probability(0.8, p.bands(), p.rows()) > 0.99, "P(0.8) should be ~1: " + p);
    assertTrue(LshParams.probability(0.1, p.bands(), p.rows()) < 0.05, "P(0.1) should be ~0: " + p);
    assertTrue(p.falsePositiveArea() + p.falseNegativeArea() < 0.15, "error areas should be small: " + p);
  }

  @Test
  void higherThresholdMeansMoreRowsPerBand() {
    LshParams low = LshParams.choose(0.3, 64);
    LshParams high = LshParams.choose(0.8, 64);
    assertTrue(high.rows() > low.rows(), "threshold 0.8 should use more rows per band than 0.3: " + low + " / " + high);
  }

  @Test
  void probabilityEdges() {
    assertEquals(0.0, LshParams.probability(0.0, 16, 4), 1e-12, "P(0) must be 0");
    assertEquals(1.0, LshParams.probability(1.0, 16, 4), 1e-12, "P(1) must be 1");
  }
}
