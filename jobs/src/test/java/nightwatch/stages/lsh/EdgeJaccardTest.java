package nightwatch.stages.lsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdgeJaccardTest {
  /** Banding.exactJaccard's arithmetic: distinct common values over size(a) + size(b) - common. */
  private static double reference(int[] a, int[] b) {
    Set<Integer> x = new HashSet<>();
    Arrays.stream(a).forEach(x::add);
    Set<Integer> common = new HashSet<>();
    Arrays.stream(b).filter(x::contains).forEach(common::add);
    return (double) common.size() / (a.length + b.length - common.size());
  }

  @Test
  void smallCases() {
    assertEquals(1.0, EdgeJaccard.of(new int[] {1, 2, 3}, new int[] {1, 2, 3}));
    assertEquals(0.0, EdgeJaccard.of(new int[] {1, 2}, new int[] {3, 4}));
    assertEquals(2.0 / 4, EdgeJaccard.of(new int[] {-5, 1, 9}, new int[] {-5, 9, 10}));
    assertEquals(1.0 / 3, EdgeJaccard.of(new int[] {Integer.MIN_VALUE, 0}, new int[] {0, Integer.MAX_VALUE}));
    assertEquals(2.0 / 4, EdgeJaccard.of(new int[] {9, 1, -5}, new int[] {10, -5, 9}), "unsorted input");
    int[] unsorted = {3, 1, 2};
    EdgeJaccard.of(unsorted, new int[] {1});
    assertEquals("[3, 1, 2]", Arrays.toString(unsorted), "the input array is not changed");
  }

  @Test
  void equalsTheBuiltInArithmeticOnRandomSetsWithRepeatsAndDisorder() {
    Random rnd = new Random(11);
    for (int t = 0; t < 5_000; t++) {
      int[] a = rnd.ints(1 + rnd.nextInt(40), -30, 30).toArray();
      int[] b = rnd.ints(1 + rnd.nextInt(40), -30, 30).toArray();
      if (rnd.nextBoolean()) {
        Arrays.sort(a);
        Arrays.sort(b);
      }
      assertEquals(reference(a, b), EdgeJaccard.of(a, b), 1e-15, Arrays.toString(a) + " " + Arrays.toString(b));
    }
  }

  private static EdgeJaccard.Candidate candidate(long src, long dst, int[] s, int[] d) {
    EdgeJaccard.Candidate c = new EdgeJaccard.Candidate();
    c.setSrc(src);
    c.setDst(dst);
    c.setSrcSh(s);
    c.setDstSh(d);
    return c;
  }

  @Test
  void keptEdgesReachTheThresholdAndAMissingSetVerifiesNothing() {
    List<EdgeJaccard.Candidate> in = List.of(
        candidate(2, 1, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 5}), // 3/5
        candidate(3, 1, new int[] {1, 2}, new int[] {7, 8}), // 0
        candidate(4, 1, null, new int[] {1}),
        candidate(5, 4, new int[] {1, 2}, new int[] {1, 2})); // 1
    List<String> out = new ArrayList<>();
    in.forEach(c -> EdgeJaccard.kept(c, 0.6).forEachRemaining(
        s -> out.add(s.getSrc() + "-" + s.getDst() + ":" + s.getJaccard())));
    assertEquals(List.of("2-1:0.6", "5-4:1.0"), out);
  }
}
