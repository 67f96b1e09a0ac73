package nightwatch.stages.lsh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bucket sort alone, without Spark: the edges themselves are checked in {@link CandidateEdgesTest}. */
class BucketEdgesTest {
  @Test
  void radixSortOfTheHighBitsOrdersAsASignedSortOfThePackedEntries() {
    Random rnd = new Random(5);
    for (int n : new int[] {0, 1, 2, 3, 100, 5_000}) {
      for (int distinctHighs : new int[] {1, 7, 1 << 20}) {
        long[] highs = new long[distinctHighs];
        for (int i = 0; i < distinctHighs; i++) {
          highs[i] = rnd.nextLong() & 0xFFFFFFFF00000000L; // negative and positive, as band keys are
        }
        highs[0] = 0x8000000000000000L; // the smallest signed value and its neighbours at both ends
        if (distinctHighs > 2) {
          highs[1] = 0x7FFFFFFF00000000L;
          highs[2] = 0xFFFFFFFF00000000L;
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
          packed[i] = highs[rnd.nextInt(distinctHighs)] | i; // as BucketEdges packs a key's high bits and its row
        }
        long[] expected = packed.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, BucketEdges.sortByHighBits(packed.clone()),
            n + " rows, " + distinctHighs + " highs");
      }
    }
  }
}
