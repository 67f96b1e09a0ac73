package nightwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedSweepTest {
  private static Map<String, Object> day(double fpRate, long fp, double cs, long victims, double p, double r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protected_false_positive_rate", fpRate);
    m.put("protected_false_positives", fp);
    m.put("counter_speech_flag_rate", cs);
    m.put("brigade_victims_flagged", victims);
    m.put("account_precision", p);
    m.put("account_recall", r);
    m.put("cluster_pair_precision", 1.0);
    m.put("cluster_pair_recall", 0.98);
    return m;
  }

  @Test
  void worstIsTheHighestRateAndTheLowestPrecision() {
    Map<Long, Map<String, Object>> bySeed = new LinkedHashMap<>();
    bySeed.put(101L, day(0.0, 0, 0.0, 0, 1.0, 0.95));
    bySeed.put(102L, day(0.0426, 2, 0.03, 1, 0.97, 0.91));
    Map<String, Object> s = SeedSweep.summarise(bySeed);
    assertEquals(List.of(101L, 102L), s.get("seeds"));
    assertEquals(0.0426, s.get("worst_protected_false_positive_rate"));
    assertEquals(2.0, s.get("worst_protected_false_positives"));
    assertEquals(1.0, s.get("worst_brigade_victims_flagged"));
    assertEquals(0.97, s.get("worst_account_precision"));
    assertEquals(0.93, s.get("mean_account_recall"));
    assertEquals(0.015, s.get("mean_counter_speech_flag_rate"));
  }
}
