package nightwatch.eval;

import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-tier, per-role and ban-evasion figures of the evaluation (issue 3), added next to the keys
 * Evaluator already reports. All counts are over the day's truth accounts.
 */
final class EvaluatorDetail {
  private EvaluatorDetail() {}

  /** Roles whose false-positive rate is reported one by one (any tier counts as a false positive). */
  static final List<String> FP_ROLES = List.of("counter_speech", "news", "researcher", "activist_reporter",
      "brigade_target");

  /**
   * @param acc        truth accounts joined with candidates: account_id, role, tier, status, posted
   * @param candidates the day's suspension_candidates
   * @param truth      truth accounts (account_id, role, evades_account_id)
   */
  static Map<String, Object> detail(Dataset<Row> acc, Dataset<Row> candidates, Dataset<Row> truth) {
    Map<String, Object> m = new LinkedHashMap<>();
    Column positive = col("role").isin(Evaluator.POSITIVE_ROLES.toArray());
    Column active = positive.and(col("posted"));

    Map<String, Object> tiers = new LinkedHashMap<>();
    for (String[] t : new String[][] {{"T1"}, {"T2"}, {"T3"}, {"T1", "T2"}, {"T1", "T2", "T3"}}) {
      Column in = col("tier").isin((Object[]) t);
      Row r = acc.agg(sum(when(in, 1L).otherwise(0L)), sum(when(in.and(positive), 1L).otherwise(0L)),
          sum(when(in.and(col("role").equalTo("propagandist")).and(col("posted")), 1L).otherwise(0L)),
          sum(when(col("role").equalTo("propagandist").and(col("posted")), 1L).otherwise(0L)),
          sum(when(in.and(active), 1L).otherwise(0L)), sum(when(active, 1L).otherwise(0L))).first();
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("accounts", nz(r, 0));
      x.put("precision", round(ratio(nz(r, 1), nz(r, 0))));
      x.put("propagandist_recall", round(ratio(nz(r, 2), nz(r, 3))));
      x.put("positive_recall", round(ratio(nz(r, 4), nz(r, 5))));
      tiers.put(String.join("+", t), x);
    }
    m.put("by_tier", tiers);

    Map<String, Object> recall = new LinkedHashMap<>();
    for (String role : Evaluator.POSITIVE_ROLES) {
      Column of = col("role").equalTo(role).and(col("posted"));
      Row r = acc.agg(sum(when(of, 1L).otherwise(0L)),
          sum(when(of.and(col("tier").isin("T1", "T2")), 1L).otherwise(0L)),
          sum(when(of.and(col("tier").isNotNull()), 1L).otherwise(0L))).first();
      recall.put(role, Map.of("active", nz(r, 0), "t1_t2", round(ratio(nz(r, 1), nz(r, 0))),
          "any_tier", round(ratio(nz(r, 2), nz(r, 0)))));
    }
    m.put("recall_by_role", recall);

    Map<String, Object> fp = new LinkedHashMap<>();
    for (String role : FP_ROLES) {
      Row r = acc.filter(col("role").equalTo(role)).agg(count(lit(1)),
          sum(when(col("tier").isNotNull(), 1L).otherwise(0L))).first();
      fp.put(role, round(ratio(nz(r, 1), r.getLong(0))));
    }
    m.put("false_positive_rate_by_role", fp);

    // Ban evasion: an evader counts as linked when its evidence names the very account it evades.
    Dataset<Row> links = candidates.filter(col("evasion_links").isNotNull().and(size(col("evasion_links")).gt(0)))
        .select(col("account_id"), transform(col("evasion_links"), l -> l.getField("suspended_account_id"))
            .as("_linked"));
    Dataset<Row> ev = truth.filter(col("role").equalTo("ban_evader")).select("account_id", "evades_account_id")
        .join(acc.filter(col("posted")).select("account_id"), "account_id", "left_semi")
        .join(links, "account_id", "left");
    Row e = ev.agg(count(lit(1)), sum(when(array_contains(col("_linked"), col("evades_account_id")), 1L)
        .otherwise(0L))).first();
    m.put("ban_evaders_active", e.getLong(0));
    m.put("ban_evaders_linked", round(ratio(nz(e, 1), e.getLong(0))));
    Row l = links.join(truth.select("account_id", "role", "evades_account_id"), "account_id", "left")
        .agg(count(lit(1)), sum(when(col("role").equalTo("ban_evader")
            .and(array_contains(col("_linked"), col("evades_account_id"))), 1L).otherwise(0L)),
            sum(when(col("role").isin(Evaluator.POSITIVE_ROLES.toArray()), 1L).otherwise(0L))).first();
    m.put("ban_evasion_linked_accounts", l.getLong(0));
    m.put("ban_evasion_link_precision", round(ratio(nz(l, 1), l.getLong(0))));
    m.put("ban_evasion_linked_positive_share", round(ratio(nz(l, 2), l.getLong(0))));

    // Role: propagandists should be originators, amplifiers and evaders amplifiers.
    Row ro = acc.join(candidates.select("account_id", "role").withColumnRenamed("role", "_crole"), "account_id")
        .filter(col("tier").isNotNull().and(col("_crole").isNotNull()).and(positive))
        .agg(count(lit(1)), sum(when(col("role").equalTo("propagandist").equalTo(col("_crole").equalTo("originator")),
            1L).otherwise(0L))).first();
    m.put("role_accuracy", round(ratio(nz(ro, 1), ro.getLong(0))));
    return m;
  }

  private static long nz(Row r, int i) {
    return r.isNullAt(i) ? 0L : r.getLong(i);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0.0 : (double) a / b;
  }

  private static double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }
}
