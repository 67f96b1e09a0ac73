package nightwatch.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safeguard figures of several generated days, each from a different seed, summed up as the worst and
 * the mean of each: a safeguard tuned to one seed shows in its worst day.
 */
public final class SeedSweep {
  private SeedSweep() {}

  /** A figure of {@link Evaluator}'s output and whether a higher value is worse. */
  record Figure(String key, boolean higherIsWorse) {}

  static final List<Figure> FIGURES = List.of(
      new Figure("protected_false_positive_rate", true),
      new Figure("protected_false_positives", true),
      new Figure("counter_speech_flag_rate", true),
      new Figure("brigade_victims_flagged", true),
      new Figure("account_precision", false),
      new Figure("account_recall", false),
      new Figure("cluster_pair_precision", false),
      new Figure("cluster_pair_recall", false));

  /** {@code worst_<key>} and {@code mean_<key>} of every figure over the days' evaluations, then the seeds. */
  public static Map<String, Object> summarise(Map<Long, Map<String, Object>> bySeed) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seeds", List.copyOf(bySeed.keySet()));
    for (Figure f : FIGURES) {
      double worst = f.higherIsWorse() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      double sum = 0;
      for (Map<String, Object> day : bySeed.values()) {
        double v = ((Number) day.get(f.key())).doubleValue();
        worst = f.higherIsWorse() ? Math.max(worst, v) : Math.min(worst, v);
        sum += v;
      }
      out.put("worst_" + f.key(), round(worst));
      out.put("mean_" + f.key(), round(sum / bySeed.size()));
    }
    Map<String, Object> perSeed = new LinkedHashMap<>();
    bySeed.forEach((seed, day) -> {
      Map<String, Object> x = new LinkedHashMap<>();
      FIGURES.forEach(f -> x.put(f.key(), day.get(f.key())));
      x.put("tiered_by_role", day.get("tiered_by_role"));
      perSeed.put(String.valueOf(seed), x);
    });
    out.put("by_seed", perSeed);
    return out;
  }

  private static double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }
}
