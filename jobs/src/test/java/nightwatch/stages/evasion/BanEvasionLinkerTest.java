package nightwatch.stages.evasion;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class BanEvasionLinkerTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 10);
  static final String ACCOUNTS = "account_id string, handle string, display_name string, description string, "
      + "created_at timestamp";

  @Test
  void foldReadsLookAlikesAndDropsNumbers() {
    List<Row> f = df(spark, "h string", r("Abu_0mar_13"), r("abu_omar12"), r("abuu_omar"), r("umm_layla1431"))
        .select(BanEvasionLinker.fold(col("h"))).collectAsList();
    assertEquals("abuomar", f.get(0).getString(0));
    assertEquals("abuomar", f.get(1).getString(0));
    assertEquals("abuomar", f.get(2).getString(0), "doubled letters collapse");
    assertEquals(f.get(3).getString(0), df(spark, "h string", r("umm_layla1432")).select(BanEvasionLinker.fold(col("h")))
        .first().getString(0), "an incremented number folds the same");
  }

  @Test
  void similarEnoughAgreesWithTheRoundedSimilarityAtEveryDistance() {
    // Pairs of length 10 and 20 at each distance around the 0.7 bound (3 and 6 edits are exactly 0.7), and an
    // empty pair, which has no similarity.
    Dataset<Row> pairs = df(spark, "a string, b string",
        r("abcdefghij", "abcdefghij"), r("abcdefghij", "abcdefghxx"), r("abcdefghij", "abcdefgxxx"),
        r("abcdefghij", "abcdefxxxx"), r("abcdefghij", "abcdefg"), r("abcdefghij", "abcdef"),
        r("abcdefghijklmnopqrst", "abcdefghijklmnxxxxxx"), r("abcdefghijklmnopqrst", "abcdefghijklmxxxxxxx"),
        r("", ""));
    List<Row> got = pairs.select(
            BanEvasionLinker.similarEnough(col("a"), col("b"), 1 - 0.7 + 0.001, 0.7),
            org.apache.spark.sql.functions.coalesce(
                org.apache.spark.sql.functions.round(BanEvasionLinker.sim(col("a"), col("b")), 3).geq(0.7), lit(false)))
        .collectAsList();
    List<Boolean> expected = List.of(true, true, true, false, true, false, true, false, false);
    for (int i = 0; i < got.size(); i++) {
      assertEquals(expected.get(i), got.get(i).getBoolean(0), "pair " + i);
      assertEquals(got.get(i).getBoolean(1), got.get(i).getBoolean(0), "pair " + i + " agrees with sim");
    }
  }

  @Test
  void linksYoungAccountsToTheSuspendedAccountTheyResemble() {
    Dataset<Row> accounts = df(spark, ACCOUNTS,
        // suspended on May 5
        r("s1", "abu_omar_12", "Abu Omar", "soldier of the caravan #caravan", ts("2024-03-01T00:00:00Z")),
        r("s2", "media_front_7", "Media Front", "news of the brothers", ts("2024-03-01T00:00:00Z")),
        r("s3", "reinstated_guy", "Reinstated Guy", "activist", ts("2024-03-01T00:00:00Z")),
        // evader: handle +1, same name, description with the hashtag stripped
        r("e1", "abu_omar_13", "Abu Omar", "soldier of the caravan caravan", ts("2024-05-06T00:00:00Z")),
        // look-alike digits and only the campaign in common besides the handle
        r("e2", "med1a_fr0nt_7", "Breaking", "", ts("2024-05-07T00:00:00Z")),
        // similar handle but nothing else in common: no link
        r("n1", "abu_omar_99", "Sports Fan", "football every day", ts("2024-05-08T00:00:00Z")),
        // created BEFORE the suspension: not an evader of it
        r("n2", "abu_omar_14", "Abu Omar", "soldier of the caravan", ts("2024-05-01T00:00:00Z")),
        // an old account is never checked
        r("o1", "abu_omar_15", "Abu Omar", "soldier of the caravan", ts("2020-01-01T00:00:00Z")),
        // resembles an account that was reinstated: no link
        r("n3", "reinstated_guy2", "Reinstated Guy", "activist", ts("2024-05-08T00:00:00Z")));
    Dataset<Row> suspensions = df(spark, "account_id string, suspended_at timestamp, reason string, reinstated_at timestamp",
        r("s1", ts("2024-05-05T10:00:00Z"), "terrorism", null), r("s2", ts("2024-05-05T10:00:00Z"), "terrorism", null),
        r("s3", ts("2024-05-02T10:00:00Z"), "harassment", ts("2024-05-04T10:00:00Z")));
    Dataset<Row> today = df(spark, "account_id string, campaign_id string", r("e2", "camp-9"), r("n1", "camp-1"));
    Dataset<Row> before = df(spark, "account_id string, campaign_id string", r("s2", "camp-9"), r("s1", "camp-7"));
    Map<String, Row> links = new TreeMap<>();
    for (Row x : BanEvasionLinker.link(accounts, suspensions, today, before, DS,
        NightwatchConfig.defaults().scoring().evasion()).collectAsList()) {
      links.put(x.getAs("account_id"), x);
    }
    assertEquals(java.util.Set.of("e1", "e2"), links.keySet(), "only the two evaders are linked");
    Row e1 = links.get("e1").<List<Row>>getAs("evasion_links") == null ? null
        : links.get("e1").getList(links.get("e1").fieldIndex("evasion_links")).stream().map(o -> (Row) o)
            .findFirst().orElseThrow();
    assertEquals("s1", e1.getAs("suspended_account_id"));
    assertEquals("abu_omar_12", e1.getAs("suspended_handle"));
    assertEquals(1 - 1 / 11.0, e1.<Double>getAs("handle_similarity"), 1e-3, "one edit in 11 characters");
    assertEquals(1.0, e1.<Double>getAs("name_similarity"), 1e-9);
    assertEquals(1.0, e1.<Double>getAs("description_similarity"), 1e-9, "same words once the # is gone");
    assertFalse(e1.<Boolean>getAs("text_overlap"));
    assertEquals(0.45 * 0.909 + 0.25 + 0.15, e1.<Double>getAs("link_score"), 1e-3);
    Row e2 = links.get("e2").getList(links.get("e2").fieldIndex("evasion_links")).stream().map(o -> (Row) o)
        .findFirst().orElseThrow();
    assertEquals("s2", e2.getAs("suspended_account_id"));
    assertEquals(1.0, e2.<Double>getAs("handle_similarity"), 1e-9, "0 and 1 read as o and i");
    assertTrue(e2.<Boolean>getAs("text_overlap"), "posts in the campaign the suspended account posted in");
    assertEquals(List.of("camp-9"), e2.getList(e2.fieldIndex("shared_campaigns")));
    assertEquals(links.get("e2").<Double>getAs("evasion_score"), e2.<Double>getAs("link_score"), 1e-9);
    assertEquals(0L, BanEvasionLinker.link(accounts.filter(col("account_id").notEqual(lit("s1"))), suspensions,
        today, before, DS, NightwatchConfig.defaults().scoring().evasion()).filter("account_id = 'e1'").count(),
        "without the suspended account in the snapshot there is nothing to compare");

    // The job passes only the accounts the linker reads; the links are the same.
    NightwatchConfig.Evasion ev = NightwatchConfig.defaults().scoring().evasion();
    Dataset<Row> relevant = BanEvasionLinker.relevantAccounts(accounts,
        BanEvasionLinker.activeSuspensions(suspensions, DS, ev), DS, ev);
    assertEquals(List.of("e1", "e2", "n1", "n2", "n3", "s1", "s2"), relevant.orderBy("account_id")
        .select("account_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList(),
        "young or actively suspended: not the old account, not the reinstated one");
    assertEquals(BanEvasionLinker.link(accounts, suspensions, today, before, DS, ev).orderBy("account_id")
            .toJSON().collectAsList(),
        BanEvasionLinker.link(relevant, suspensions, today, before, DS, ev).orderBy("account_id").toJSON().collectAsList());
    Dataset<Row> broadcastLinks = BanEvasionLinker.link(relevant, suspensions, today, before, DS, ev, true);
    assertEquals(BanEvasionLinker.link(relevant, suspensions, today, before, DS, ev).orderBy("account_id").toJSON()
        .collectAsList(), broadcastLinks.orderBy("account_id").toJSON().collectAsList(),
        "the same links with the suspended accounts' keys broadcast");
    broadcastLinks.collect();
    String plan = broadcastLinks.queryExecution().executedPlan().toString();
    assertFalse(plan.contains("band_key#"), "no band join, whose key is band_key\n" + plan);
    assertTrue(plan.contains("MapPartitions"), "the candidates are found in the young accounts' tasks\n" + plan);
  }

  @Test
  void theNarrowPrefiltersKeepAPairExactlyAtTheMinimumSimilarity() {
    // "qwertyuiop" and "qwertyu": 3 deletions in 10 characters, similarity exactly 0.7 (the minimum) with the
    // largest length gap it allows; one character more apart ("qwertyuiopx", 4 in 11: 0.636) is not a link.
    Dataset<Row> accounts = df(spark, ACCOUNTS,
        r("s1", "qwertyuiop", "Same Name", "", ts("2024-03-01T00:00:00Z")),
        r("s2", "zxcvbnmlkjh", "Other Name", "", ts("2024-03-01T00:00:00Z")),
        r("n1", "qwertyu", "Same Name", "", ts("2024-05-06T00:00:00Z")),
        r("n2", "zxcvbnm", "Other Name", "", ts("2024-05-06T00:00:00Z")));
    Dataset<Row> suspensions = df(spark, "account_id string, suspended_at timestamp, reason string, reinstated_at timestamp",
        r("s1", ts("2024-05-05T10:00:00Z"), "terrorism", null), r("s2", ts("2024-05-05T10:00:00Z"), "terrorism", null));
    Dataset<Row> none = df(spark, "account_id string, campaign_id string");
    List<Row> links = BanEvasionLinker.link(accounts, suspensions, none, none, DS,
        NightwatchConfig.defaults().scoring().evasion()).collectAsList();
    assertEquals(1, links.size(), links.toString());
    Row l = (Row) links.get(0).getList(links.get(0).fieldIndex("evasion_links")).get(0);
    assertEquals("n1", links.get(0).getAs("account_id"));
    assertEquals(0.7, l.<Double>getAs("handle_similarity"), 1e-9);
  }
}
