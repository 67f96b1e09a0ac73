package nightwatch.stages.evasion;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.*;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class HandleCandidatesTest extends SparkTest {
  static final String YOUNG = "n_id string, n_lh string, n_uh string, n_ln string, n_w array<string>, "
      + "n_created_us long, n_campaigns boolean, band_keys array<long>, n_extra string";
  static final String SUSPENDED = "s_id string, s_lh string, s_uh string, s_ln string, s_w array<string>, "
      + "suspended_us long, s_campaigns boolean, band_keys array<long>";
  static final HandleCandidates.Thresholds T = new HandleCandidates.Thresholds(0.7, 0.6, 0.5);

  @Test
  void eachPairOnceWithItsSimilaritiesWhenItCanBeALink() {
    List<String> none = List.of();
    Dataset<Row> suspended = df(spark, SUSPENDED,
        r("s1", "abu_omar_12", "abu_omar_12", "abu omar", List.of("caravan", "soldier"), 100L, false,
            List.of(1L, 2L, 3L)),
        r("s2", "media_front", "media_front", "news", none, 100L, true, List.of(3L, 4L)),
        // suspended after the young accounts were created
        r("s3", "abu_omar_11", "abu_omar_11", "abu omar", none, 500L, false, List.of(1L)),
        // a length gap no similarity of 0.7 allows
        r("s4", "abu_omar_12_the_lion", "abu_omar_12_the_lion", "abu omar", none, 100L, false, List.of(2L)),
        // similar only once the look-alike digits are read as letters; no name
        r("s5", "med1a_fr0nt", "media_front", null, List.of("news"), 100L, false, List.of(4L)),
        // a similar handle and nothing else, in no campaign
        r("s6", "media_fronx", "media_fronx", "other", none, 100L, false, List.of(4L)));
    Dataset<Row> young = df(spark, YOUNG,
        // shares keys 1, 2 and 3 with s1: one pair, not three; name and one word of two in common
        r("n1", "abu_omar_13", "abu_omar_13", "abu omar", List.of("soldier"), 200L, false, List.of(1L, 2L, 3L, 9L),
            "x"),
        // with s2 only through campaigns (both in some); with s5 through the description
        r("n2", "media_fronts", "media_fronts", "breaking", List.of("news"), 200L, true, List.of(4L), "y"),
        // shares a key but nothing else
        r("n3", "zzzzzzzzzzz", "zzzzzzzzzzz", "abu omar", none, 200L, true, List.of(3L), "z"),
        // no key in common with anyone
        r("n4", "abu_omar_14", "abu_omar_14", "abu omar", none, 200L, false, List.of(77L), "w"));
    Dataset<Row> pairs = HandleCandidates.find(young, suspended, T);
    assertEquals(List.of("n_id", "s_id", "handle_similarity", "name_similarity", "description_similarity"),
        List.of(pairs.columns()));
    assertEquals(List.of(
            // 1 edit in 11; names equal; {soldier} of {caravan, soldier}
            "n1 s1 0.909 1.0 0.5",
            // 1 edit in 12; "breaking" / "news": 7 edits in 8, under the name minimum, kept for the campaigns
            "n2 s2 0.917 0.125 0.0",
            // on the look-alike form; no name on one side
            "n2 s5 0.917 0.0 1.0"),
        pairs.collectAsList().stream().map(x -> x.getAs("n_id") + " " + x.getAs("s_id") + " "
            + x.getAs("handle_similarity") + " " + x.getAs("name_similarity") + " "
            + x.getAs("description_similarity")).sorted().toList());
    String plan = pairs.queryExecution().executedPlan().toString();
    assertFalse(plan.contains("Exchange"), "no pair is shuffled:\n" + plan);
  }

  @Test
  void theSimilaritiesAreThoseOfTheLinkersSparkExpressions() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    String alphabet = "abcab_01üال";
    List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String a = random(rnd, alphabet, rnd.nextInt(0, 14));
      String b = rnd.nextBoolean() ? mutate(rnd, a, alphabet) : random(rnd, alphabet, rnd.nextInt(0, 14));
      rows.add(r(a, b, words(rnd), words(rnd)));
    }
    List<Row> got = df(spark, "a string, b string, wa array<string>, wb array<string>", rows.toArray(new Object[0][]))
        .select(col("a"), col("b"), col("wa"), col("wb"),
            coalesce(round(BanEvasionLinker.sim(col("a"), col("b")), 3), lit(-1.0)),
            coalesce(round(BanEvasionLinker.setJaccard(col("wa"), col("wb")), 3), lit(0.0)))
        .collectAsList();
    for (Row x : got) {
      String a = x.getString(0);
      String b = x.getString(1);
      double sim = HandleCandidates.similarity(cp(a), cp(b), Integer.MAX_VALUE);
      assertEquals(x.getDouble(4), sim < 0 ? -1.0 : HandleCandidates.round3(sim), a + " / " + b);
      double bounded = HandleCandidates.bounded(cp(a), cp(b), HandleCandidates.gap(0.7));
      assertEquals(x.getDouble(4) >= 0.7, bounded >= 0 && HandleCandidates.round3(bounded) >= 0.7, a + " / " + b);
      if (bounded >= 0) {
        assertEquals(sim, bounded, 0.0, "within the bound, the exact similarity");
      }
      assertEquals(x.getDouble(5), HandleCandidates.round3(HandleCandidates.jaccard(
          new java.util.HashSet<>(x.<String>getList(2)), x.<String>getList(3).toArray(new String[0]))),
          x.getList(2) + " / " + x.getList(3));
    }
  }

  /** A few distinct words from a small vocabulary, so that sets overlap. */
  private static List<String> words(java.util.SplittableRandom rnd) {
    java.util.LinkedHashSet<String> w = new java.util.LinkedHashSet<>();
    for (int k = rnd.nextInt(0, 6); k > 0; k--) {
      w.add("w" + rnd.nextInt(8));
    }
    return List.copyOf(w);
  }

  @Test
  void theBandedEditDistanceIsSparksBoundedLevenshtein() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    String alphabet = "abcab_01üال";
    for (int t = 0; t < 20_000; t++) {
      String a = random(rnd, alphabet, rnd.nextInt(0, 12));
      String b = rnd.nextBoolean() ? mutate(rnd, a, alphabet) : random(rnd, alphabet, rnd.nextInt(0, 12));
      int max = rnd.nextInt(0, 7);
      assertEquals(UTF8String.fromString(a).levenshteinDistance(UTF8String.fromString(b), max),
          HandleCandidates.editDistance(cp(a), cp(b), max), a + " / " + b + " within " + max);
    }
  }

  @Test
  void theCharacterSetsBoundTheDistanceFromBelowAndOneScratchServesEveryPair() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    String alphabet = "abcab_01üال";
    HandleCandidates.Scratch rows = new HandleCandidates.Scratch();
    int settledBySets = 0;
    for (int t = 0; t < 20_000; t++) {
      String a = random(rnd, alphabet, rnd.nextInt(0, 16));
      String b = rnd.nextBoolean() ? mutate(rnd, a, alphabet) : random(rnd, alphabet, rnd.nextInt(0, 16));
      HandleCandidates.Chars ca = HandleCandidates.Chars.of(a);
      HandleCandidates.Chars cb = HandleCandidates.Chars.of(b);
      int exact = HandleCandidates.editDistance(cp(a), cp(b), 64);
      assertTrue(ca.minEdits(cb) <= exact, a + " / " + b + ": " + ca.minEdits(cb) + " > " + exact);
      int max = rnd.nextInt(0, 7);
      assertEquals(ca.minEdits(cb) > max, ca.fartherThan(cb, max), a + " / " + b + " within " + max);
      if (ca.fartherThan(cb, max)) {
        settledBySets++;
      }
      // Rows reused across pairs of any lengths give what fresh rows give, with or without the set bound.
      assertEquals(HandleCandidates.similarity(cp(a), cp(b), max), HandleCandidates.similarity(ca, cb, max, rows), 0.0,
          a + " / " + b + " within " + max);
      int len = Math.max(a.length(), b.length());
      double fresh = len == 0 ? -1 : HandleCandidates.editDistance(cp(a), cp(b), Math.min(max, len)) < 0 ? -1
          : 1.0 - (double) HandleCandidates.editDistance(cp(a), cp(b), max) / len;
      assertEquals(fresh, HandleCandidates.similarity(ca, cb, max, rows), 0.0, a + " / " + b + " within " + max);
    }
    assertTrue(settledBySets > 1_000, "the bound settles pairs: " + settledBySets);
  }

  @Test
  void rememberedRoundingIsRound3() {
    HandleCandidates.Rounding r = new HandleCandidates.Rounding();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int t = 0; t < 200_000; t++) {
      // Ratios of small counts (as similarities are) and, to force slot collisions, arbitrary doubles.
      int den = rnd.nextInt(1, 80);
      double x = t % 2 == 0 ? 1.0 - (double) rnd.nextInt(0, den + 1) / den : rnd.nextDouble();
      assertEquals(HandleCandidates.round3(x), r.of(x), 0.0, "round3 of " + x);
    }
  }

  private static int[] cp(String s) {
    return s.codePoints().toArray();
  }

  private static String random(java.util.SplittableRandom rnd, String alphabet, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** a with up to 4 random insertions, deletions and substitutions. */
  private static String mutate(java.util.SplittableRandom rnd, String a, String alphabet) {
    StringBuilder sb = new StringBuilder(a);
    for (int k = rnd.nextInt(0, 5); k > 0; k--) {
      int op = rnd.nextInt(3);
      char c = alphabet.charAt(rnd.nextInt(alphabet.length()));
      if (op == 0 || sb.length() == 0) {
        sb.insert(rnd.nextInt(sb.length() + 1), c);
      } else if (op == 1) {
        sb.deleteCharAt(rnd.nextInt(sb.length()));
      } else {
        sb.setCharAt(rnd.nextInt(sb.length()), c);
      }
    }
    return sb.toString();
  }
}
