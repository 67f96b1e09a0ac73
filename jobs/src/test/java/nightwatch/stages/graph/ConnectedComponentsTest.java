package nightwatch.stages.graph;

import static nightwatch.Rows.toMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest extends SparkTest {

  private Dataset<Row> edges(long[][] pairs) {
    List<Row> rows = new ArrayList<>();
    for (long[] p : pairs) {
      rows.add(RowFactory.create(p[0], p[1]));
    }
    return spark.createDataFrame(rows, StructType.fromDDL("src bigint, dst bigint"));
  }

  private static Map<Long, Long> components(ConnectedComponents.Result r) {
    return toMap(r.components(), "node", "component");
  }

  private static final long[][] CHAIN_AND_PAIR = {{1, 2}, {3, 2}, {3, 4}, {11, 10}, {4, 4}};

  @Test
  void chainAndPairGiveTwoComponentsWithSmallestIds() {
    Map<Long, Long> c = components(ConnectedComponents.run(edges(CHAIN_AND_PAIR), 40));
    Map<Long, Long> expected = new TreeMap<>(Map.of(1L, 1L, 2L, 1L, 3L, 1L, 4L, 1L, 10L, 10L, 11L, 10L));
    assertEquals(expected, c, "chain 1-2-3-4 -> component 1, pair 10-11 -> component 10");
  }

  @Test
  void resultDoesNotDependOnPartitioning() {
    Map<Long, Long> base = components(ConnectedComponents.run(edges(CHAIN_AND_PAIR), 40));
    assertEquals(base, components(ConnectedComponents.run(edges(CHAIN_AND_PAIR).repartition(1), 40)),
        "same components with 1 partition");
    assertEquals(base, components(ConnectedComponents.run(edges(CHAIN_AND_PAIR).repartition(7), 40)),
        "same components with 7 partitions");
  }

  @Test
  void starConvergesQuickly() {
    // centre is the largest id, so every leaf must be re-pointed to the smallest leaf
    long[][] star = new long[100][];
    for (int i = 0; i < 100; i++) {
      star[i] = new long[] {1000, i + 1};
    }
    ConnectedComponents.Result r = ConnectedComponents.run(edges(star), 40);
    Map<Long, Long> c = components(r);
    assertEquals(101, c.size(), "every star node has a component");
    assertTrue(c.values().stream().allMatch(v -> v == 1L), "all star nodes in component 1");
    assertTrue(r.rounds() <= 6, "a star should converge in a few rounds, took " + r.rounds());
  }

  @Test
  void longPathConvergesInLogRounds() {
    int n = 200;
    List<long[]> path = new ArrayList<>();
    // shuffle the id order along the path so that the minimum sits in the middle
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (i * 37L) % n + 1;
    }
    for (int i = 0; i + 1 < n; i++) {
      path.add(new long[] {ids[i], ids[i + 1]});
    }
    ConnectedComponents.Result r = ConnectedComponents.run(edges(path.toArray(new long[0][])), 40);
    Map<Long, Long> c = components(r);
    assertEquals(n, c.size(), "every path node has a component");
    assertTrue(c.values().stream().allMatch(v -> v == 1L), "all path nodes in component 1: " + c);
    assertTrue(r.rounds() <= 12, "a 200-node path should converge in <= 12 rounds, took " + r.rounds());
  }

  @Test
  void roundLimitIsRespected() {
    long[][] path = new long[199][];
    for (int i = 0; i < 199; i++) {
      path[i] = new long[] {i + 1, i + 2};
    }
    assertEquals(1, ConnectedComponents.run(edges(path), 1).rounds(), "rounds must not exceed maxRounds");
  }

  /** Union-find in one task and the star rounds: the same map, node by node. */
  private void assertSameAsRounds(Dataset<Row> edges, String what) {
    ConnectedComponents.Result local = ConnectedComponents.run(edges, 40, edges.count());
    assertEquals(1, local.rounds(), what + ": one union-find task is one round");
    assertEquals(components(ConnectedComponents.run(edges, 40)), components(local), what);
  }

  @Test
  void unionFindInOneTaskGivesTheRoundsComponents() {
    Map<Long, Long> expected = new TreeMap<>(Map.of(1L, 1L, 2L, 1L, 3L, 1L, 4L, 1L, 10L, 10L, 11L, 10L));
    assertEquals(expected, components(ConnectedComponents.run(edges(CHAIN_AND_PAIR).repartition(3), 40, 5)),
        "chain and pair (and a self-loop, which links nothing) in one task");
    long[][] star = new long[100][];
    for (int i = 0; i < 100; i++) {
      star[i] = new long[] {1000, i + 1};
    }
    assertSameAsRounds(edges(star), "star whose centre is the largest id");
    // Random sparse graph: many small components, a few large ones, repeated and reversed edges, self-loops, and
    // negative ids (doc ids are 64-bit hashes).
    java.util.Random rnd = new java.util.Random(7);
    long[][] random = new long[3000][];
    for (int i = 0; i < random.length; i++) {
      long a = rnd.nextInt(4000) - 2000;
      random[i] = new long[] {a, i % 50 == 0 ? a : rnd.nextInt(4000) - 2000};
    }
    assertSameAsRounds(edges(random).repartition(5), "random graph over 5 partitions");
  }

  @Test
  void unionFindSkipsEdgesWithoutBothEnds() {
    List<Row> rows = List.of(RowFactory.create(5L, 3L), RowFactory.create(null, 3L), RowFactory.create(9L, null),
        RowFactory.create(8L, 8L), RowFactory.create(3L, 4L));
    Map<Long, Long> got = new TreeMap<>();
    new UnionFind().call(rows.iterator()).forEachRemaining(t -> got.put(t._1(), t._2()));
    assertEquals(new TreeMap<>(Map.of(3L, 3L, 4L, 3L, 5L, 3L)), got, "9 and 8 have no edge to another node");
    assertTrue(!new UnionFind().call(java.util.Collections.<Row>emptyIterator()).hasNext(), "no edges, no nodes");
  }

  @Test
  void aboveTheBoundTheRoundsRun() {
    long[][] path = new long[50][];
    for (int i = 0; i < 50; i++) {
      path[i] = new long[] {i + 1, i + 2};
    }
    ConnectedComponents.Result r = ConnectedComponents.run(edges(path), 40, ConnectedComponents.LOCAL_MAX_EDGES + 1);
    assertTrue(r.rounds() > 1, "a 51-node path takes several rounds of the stars, took " + r.rounds());
    assertTrue(components(r).values().stream().allMatch(v -> v == 1L), "all path nodes in component 1");
  }
}
