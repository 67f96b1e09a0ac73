package nightwatch.stages.graph;

import java.util.Arrays;
import java.util.Iterator;
import nightwatch.spark.Lookahead;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Connected components of the edges ({@code src}, {@code dst}, longs) of one partition by union-find over primitive
 * arrays: every node of an edge between two distinct nodes, with the smallest node id of its component, as
 * {@link ConnectedComponents#run} defines them. Nodes are numbered by their rank among the sorted distinct ids, and
 * a union always hangs the larger root under the smaller, so each root is its component's smallest id.
 *
 * <p>Memory is at most about 70 bytes per edge (both ends in growing arrays, the sorted ids, the parents), hence the
 * caller's bound on the edges given to one task ({@link ConnectedComponents#LOCAL_MAX_EDGES}).
 */
final class UnionFind implements MapPartitionsFunction<Row, Tuple2<Long, Long>> {
  @Override
  public Iterator<Tuple2<Long, Long>> call(Iterator<Row> rows) {
    long[] us = new long[1024];
    long[] vs = new long[1024];
    int edges = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      // As the rounds: a self-loop or an edge without both ends links nothing.
      if (r.isNullAt(0) || r.isNullAt(1) || r.getLong(0) == r.getLong(1)) {
        continue;
      }
      if (edges == us.length) {
        us = Arrays.copyOf(us, 2 * edges);
        vs = Arrays.copyOf(vs, 2 * edges);
      }
      us[edges] = r.getLong(0);
      vs[edges] = r.getLong(1);
      edges++;
    }
    long[] nodes = new long[2 * edges];
    System.arraycopy(us, 0, nodes, 0, edges);
    System.arraycopy(vs, 0, nodes, edges, edges);
    Arrays.sort(nodes);
    int n = 0;
    for (int i = 0; i < nodes.length; i++) {
      if (i == 0 || nodes[i] != nodes[i - 1]) {
        nodes[n++] = nodes[i];
      }
    }
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int e = 0; e < edges; e++) {
      int a = find(parent, Arrays.binarySearch(nodes, 0, n, us[e]));
      int b = find(parent, Arrays.binarySearch(nodes, 0, n, vs[e]));
      if (a < b) {
        parent[b] = a;
      } else if (b < a) {
        parent[a] = b;
      }
    }
    int count = n;
    return new Lookahead<>() {
      private int i;

      @Override
      protected Tuple2<Long, Long> advance() {
        if (i >= count) {
          return null;
        }
        Tuple2<Long, Long> t = new Tuple2<>(nodes[i], nodes[find(parent, i)]);
        i++;
        return t;
      }
    };
  }

  /** The root of node i, halving the path on the way (each node visited points to its grandparent). */
  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
