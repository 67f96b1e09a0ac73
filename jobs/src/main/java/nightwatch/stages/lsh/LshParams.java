package nightwatch.stages.lsh;

/**
 * Bands and rows for a Jaccard threshold: the (b, r) with b*r &lt;= numHashes that minimises the sum of the
 * false-positive area (below the threshold) and the false-negative area (above it) under the S-curve
 * P(s) = 1 - (1 - s^r)^b, the method used by well-known dedup systems.
 */
public record LshParams(int bands, int rows, double threshold, double probabilityAtThreshold,
                        double falsePositiveArea, double falseNegativeArea) {

  /** The parameters every job uses: the configured threshold, hash budget and false-negative weight. */
  public static LshParams of(nightwatch.config.NightwatchConfig.Lsh lsh) {
    return choose(lsh.threshold(), lsh.numHashes(), lsh.falseNegativeWeight());
  }

  public static LshParams choose(double threshold, int numHashes) {
    return choose(threshold, numHashes, 1.0);
  }

  /**
   * As above with the false-negative area weighted by {@code fnWeight}: when every candidate is verified
   * exactly, a false positive costs only a comparison while a false negative loses a true edge, so a
   * weight above 1 buys recall near the threshold with more (verified) candidates.
   */
  public static LshParams choose(double threshold, int numHashes, double fnWeight) {
    LshParams best = null;
    double bestCost = Double.MAX_VALUE;
    for (int b = 1; b <= numHashes; b++) {
      int r = numHashes / b;
      double fp = integrate(0, threshold, b, r, false);
      double fn = integrate(threshold, 1, b, r, true);
      double cost = fp + fnWeight * fn;
      if (cost < bestCost - 1e-12) {
        bestCost = cost;
        best = new LshParams(b, r, threshold, probability(threshold, b, r), fp, fn);
      }
    }
    return best;
  }

  public static double probability(double s, int b, int r) {
    return 1 - Math.pow(1 - Math.pow(s, r), b);
  }

  private static double integrate(double from, double to, int b, int r, boolean miss) {
    int steps = 1000;
    double h = (to - from) / steps;
    double sum = 0;
    for (int i = 0; i < steps; i++) {
      double s = from + (i + 0.5) * h;
      double p = probability(s, b, r);
      sum += (miss ? 1 - p : p) * h;
    }
    return sum;
  }

  @Override
  public String toString() {
    return String.format("b=%d r=%d threshold=%.2f P(threshold)=%.3f fp_area=%.4f fn_area=%.4f",
        bands, rows, threshold, probabilityAtThreshold, falsePositiveArea, falseNegativeArea);
  }
}
