package nightwatch.stages.evasion;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class HandleCandidatesTest extends SparkTest {
  static final String YOUNG = "n_id string, n_lh string, n_uh string, n_created_us long, band_keys array<long>, "
      + "n_ln string";
  static final String SUSPENDED = "s_id string, s_lh string, s_uh string, suspended_us long, band_keys array<long>";
  static final double GAP = 1 - 0.7 + 0.001;

  @Test
  void eachPairOnceWhateverTheKeysItSharesAndOnlyThePairsThatCanReachTheSimilarity() {
    Dataset<Row> suspended = df(spark, SUSPENDED,
        r("s1", "abu_omar_12", "abu_omar_12", 100L, List.of(1L, 2L, 3L)),
        r("s2", "media_front", "media_front", 100L, List.of(3L, 4L)),
        // suspended after the young accounts were created
        r("s3", "abu_omar_11", "abu_omar_11", 500L, List.of(1L)),
        // a length gap no similarity of 0.7 allows
        r("s4", "abu_omar_12_the_lion", "abu_omar_12_the_lion", 100L, List.of(2L)),
        // similar only once the look-alike digits are read as letters
        r("s5", "med1a_fr0nt", "media_front", 100L, List.of(4L)));
    Dataset<Row> young = df(spark, YOUNG,
        // shares keys 1, 2 and 3 with s1: one pair, not three
        r("n1", "abu_omar_13", "abu_omar_13", 200L, List.of(1L, 2L, 3L, 9L), "abu omar"),
        r("n2", "media_fronts", "media_fronts", 200L, List.of(4L), "media"),
        // shares a key but nothing else
        r("n3", "zzzzzzzzzzz", "zzzzzzzzzzz", 200L, List.of(3L), "z"),
        // no key in common with anyone
        r("n4", "abu_omar_14", "abu_omar_14", 200L, List.of(77L), "abu"));
    Dataset<Row> pairs = HandleCandidates.find(young, suspended, GAP);
    assertEquals(List.of("n_id", "n_lh", "n_uh", "n_created_us", "n_ln", "s_id"), List.of(pairs.columns()),
        "the young account's columns travel with each pair");
    assertEquals(List.of("n1 abu omar s1", "n2 media s2", "n2 media s5"), pairs.collectAsList().stream()
        .map(x -> x.getAs("n_id") + " " + x.getAs("n_ln") + " " + x.getAs("s_id")).sorted().toList());
    String plan = pairs.queryExecution().executedPlan().toString();
    assertFalse(plan.contains("Exchange"), "no pair is shuffled:\n" + plan);
  }

  @Test
  void editsWithinTheBoundOfTheLongerLength() {
    int[] ten = cp("abcdefghij");
    // 10 characters and a gap of 0.301: at most 3 edits.
    assertTrue(HandleCandidates.withinEdits(ten, cp("abcdefgxxx"), GAP));
    assertFalse(HandleCandidates.withinEdits(ten, cp("abcdefxxxx"), GAP));
    assertFalse(HandleCandidates.withinEdits(cp(""), cp(""), GAP), "two empty handles have no similarity");
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
