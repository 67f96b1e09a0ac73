package nightwatch.stages.graph;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected components by alternating large-star and small-star (Kiveris et al., "Connected Components in
 * MapReduce and Beyond"), in Spark SQL. Converges in O(log n) rounds; each round's edges are locally
 * checkpointed to cut lineage. The component id is the smallest node id, so results do not depend on
 * partitioning. A graph of at most {@link #LOCAL_MAX_EDGES} edges is solved in one task by {@link UnionFind}
 * instead, with the same result.
 */
public final class ConnectedComponents {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectedComponents.class);

  private ConnectedComponents() {}

  public record Result(Dataset<Row> components, int rounds) {}

  /**
   * Up to this many edges, one task finds the components by union-find (at most about 70 bytes per edge, 350 MB at
   * the bound): each round of the stars is a few small Spark jobs, whose fixed cost outweighs the work on such a graph.
   */
  public static final long LOCAL_MAX_EDGES = 5_000_000;

  /**
   * {@link #run(Dataset, int)}, or with {@code edgeCount} (the rows of {@code edges}) at most {@link #LOCAL_MAX_EDGES},
   * one union-find task over all edges (reported as one round). Both give the same components.
   */
  public static Result run(Dataset<Row> edges, int maxRounds, long edgeCount) {
    if (edgeCount > LOCAL_MAX_EDGES) {
      return run(edges, maxRounds);
    }
    Dataset<Row> components = edges.select(col("src"), col("dst"))
        .repartition(1)
        .mapPartitions(new UnionFind(), Encoders.tuple(Encoders.LONG(), Encoders.LONG()))
        .toDF("node", "component")
        // Computed once: the caller joins the components more than once.
        .localCheckpoint(true);
    LOG.info("connected components: one union-find task over {} edges", edgeCount);
    return new Result(components, 1);
  }

  /**
   * Input: edges {@code src}, {@code dst} (longs, any direction). Output: {@code node}, {@code component}
   * for every node that has at least one edge.
   */
  public static Result run(Dataset<Row> edges, int maxRounds) {
    Dataset<Row> e = edges.select(col("src").as("u"), col("dst").as("v"))
        .filter(col("u").notEqual(col("v")))
        .select(greatest(col("u"), col("v")).as("u"), least(col("u"), col("v")).as("v"))
        .distinct()
        .localCheckpoint(false);
    long[] sum = checksum(e);
    int rounds = 0;
    while (rounds < maxRounds) {
      rounds++;
      // Lazy: the checksum is the round's first action, so it keeps the edges and reads them once.
      Dataset<Row> next = smallStar(largeStar(e)).localCheckpoint(false);
      long[] nextSum = checksum(next);
      boolean done = nextSum[0] == sum[0] && nextSum[1] == sum[1];
      e = next;
      sum = nextSum;
      if (done) {
        break;
      }
    }
    LOG.info("connected components: {} rounds, {} edges at convergence", rounds, sum[0]);
    if (rounds == maxRounds) {
      LOG.warn("connected components stopped at the round limit {}", maxRounds);
    }
    Dataset<Row> components = e.select(col("u").as("node"), col("v").as("component"))
        .union(e.select(col("v").as("node"), col("v").as("component")))
        .groupBy("node").agg(min("component").as("component"));
    return new Result(components, rounds);
  }

  /** For each u: m = min(N(u) + u); every neighbour v greater than u is linked to m. */
  static Dataset<Row> largeStar(Dataset<Row> e) {
    Dataset<Row> und = e.union(e.select(col("v").as("u"), col("u").as("v")));
    Dataset<Row> mins = und.groupBy("u").agg(least(min("v"), col("u")).as("m"));
    return und.join(mins, "u")
        .filter(col("v").gt(col("u")))
        .select(col("v").as("u"), col("m").as("v"))
        .filter(col("u").notEqual(col("v")));
  }

  /** Edges oriented large to small; for each u: m = min(N(u) + u); u and its smaller neighbours link to m. */
  static Dataset<Row> smallStar(Dataset<Row> e) {
    Dataset<Row> ori = e.select(greatest(col("u"), col("v")).as("u"), least(col("u"), col("v")).as("v")).distinct();
    Dataset<Row> mins = ori.groupBy("u").agg(min("v").as("m"));
    Dataset<Row> neighbours = ori.join(mins, "u").select(col("v").as("u"), col("m").as("v"));
    return neighbours.union(mins.select(col("u"), col("m").as("v")))
        .filter(col("u").notEqual(col("v")))
        .select(greatest(col("u"), col("v")).as("u"), least(col("u"), col("v")).as("v"))
        .distinct();
  }

  private static long[] checksum(Dataset<Row> e) {
    // count, xor and a modular sum of edge hashes (a plain sum of longs would overflow under ANSI mode)
    Row r = e.agg(count(lit(1)), coalesce(bit_xor(xxhash64(col("u"), col("v"))), lit(0L)),
        coalesce(sum(pmod(xxhash64(col("v"), col("u")), lit(1_000_000_007L))), lit(0L))).first();
    return new long[] {r.getLong(0), r.getLong(1) ^ (r.getLong(2) * 31)};
  }
}
