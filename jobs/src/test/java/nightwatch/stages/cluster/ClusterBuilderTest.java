package nightwatch.stages.cluster;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ClusterBuilderTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);

  @Test
  void exactCopiesFromThreeAccountsClusterTwoAccountsDoNot() {
    Dataset<Row> messages = df(spark, "message_id string, account_id string, doc_id bigint",
        // doc 42: exact copies from 3 accounts, no near-duplicate edge
        r("m1", "a1", 42L), r("m2", "a2", 42L), r("m3", "a3", 42L),
        // doc 7: 3 messages but only 2 accounts
        r("m4", "a1", 7L), r("m5", "a2", 7L), r("m6", "a2", 7L),
        // docs -5 and 9 are near-duplicates (component -5): 3 accounts together
        r("m7", "a4", -5L), r("m8", "a5", 9L), r("m9", "a6", 9L));
    Dataset<Row> components = df(spark, "node bigint, component bigint", r(-5L, -5L), r(9L, -5L));
    List<Row> out = ClusterBuilder.assign(messages, components, DS, 3, 3).orderBy("message_id").collectAsList();
    Dataset<Row> broadcastJoin = ClusterBuilder.assign(messages,
        ClusterBuilder.clusteredDocs(messages, components, 3, 3, true), DS, true);
    assertEquals(out, broadcastJoin.orderBy("message_id").collectAsList(), "the broadcast join gives the same rows");
    broadcastJoin.collect();
    String plan = broadcastJoin.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("BroadcastHashJoin"), "the clustered texts are broadcast:\n" + plan);
    assertEquals(List.of("[-5,-5]", "[9,-5]", "[42,42]"), ClusterBuilder.clusteredDocs(messages, components, 3, 3, true)
        .orderBy("doc_id").collectAsList().stream().map(Row::toString).toList(),
        "texts with edges carry their component, a text without one is its own; doc 7 (2 accounts) is out");
    for (boolean b : new boolean[] {true, false}) {
      String logical = ClusterBuilder.clusteredDocs(messages, components, 3, 3, b).queryExecution().optimizedPlan()
          .toString();
      assertEquals(0, logical.lines().filter(l -> l.contains("Aggregate [")).count(),
          "the components are counted by a sort, not an aggregate:\n" + logical);
      assertEquals(1, logical.lines().filter(l -> l.contains("RepartitionByExpression")).count(),
          "the components are counted once, from one shuffle:\n" + logical);
      assertEquals(List.of("[-5,-5]", "[9,-5]", "[42,42]"), ClusterBuilder.clusteredDocs(messages, components, 3, 3, b)
          .orderBy("doc_id").collectAsList().stream().map(Row::toString).toList(), "broadcast " + b);
    }
    assertEquals(List.of("m1", "m2", "m3", "m7", "m8", "m9"),
        out.stream().map(x -> (String) x.getAs("message_id")).toList(),
        "exact copies from 3 accounts and a 3-account component cluster; 2 accounts do not");
    assertEquals("20240501-000000000000002a", out.get(0).getAs("cluster_id"),
        "cluster_id is yyyyMMdd-<16 lower-case hex of the component>");
    assertEquals("20240501-fffffffffffffffb", out.get(3).getAs("cluster_id"),
        "negative component ids give their 16-digit two's complement hex");
    assertEquals(out.get(3).<String>getAs("cluster_id"), out.get(5).getAs("cluster_id"),
        "near-duplicate texts of one component share a cluster");
    for (Row x : out) {
      assertTrue(((String) x.getAs("cluster_id")).matches("\\d{8}-[0-9a-f]{16}"), "cluster_id format");
    }
  }

  @Test
  void aComponentQualifiesByItsRowsAndDistinctAccountHashes() {
    ClusterBuilder.QualifyingComponents f = new ClusterBuilder.QualifyingComponents(3, 3);
    List<Row> sorted = List.of(
        // 3 rows, 2 accounts: out
        RowFactory.create(1L, 10L), RowFactory.create(1L, 10L), RowFactory.create(1L, 11L),
        // 4 rows, 3 accounts (hashes unsorted within the run): in
        RowFactory.create(2L, 12L), RowFactory.create(2L, 10L), RowFactory.create(2L, 12L), RowFactory.create(2L, 11L),
        // 2 rows: out
        RowFactory.create(3L, 1L), RowFactory.create(3L, 2L),
        // the partition's last run: in
        RowFactory.create(4L, 5L), RowFactory.create(4L, 6L), RowFactory.create(4L, 7L));
    List<Long> out = new java.util.ArrayList<>();
    f.call(sorted.iterator()).forEachRemaining(out::add);
    assertEquals(List.of(2L, 4L), out);
    List<Long> many = new java.util.ArrayList<>();
    List<Row> big = new java.util.ArrayList<>();
    for (long i = 0; i < 100; i++) {
      big.add(RowFactory.create(9L, i % 40));
    }
    new ClusterBuilder.QualifyingComponents(100, 40).call(big.iterator()).forEachRemaining(many::add);
    new ClusterBuilder.QualifyingComponents(100, 41).call(big.iterator()).forEachRemaining(many::add);
    new ClusterBuilder.QualifyingComponents(101, 40).call(big.iterator()).forEachRemaining(many::add);
    assertEquals(List.of(9L), many, "a run longer than the first buffer: 100 rows of 40 accounts, counted exactly");
    List<Long> none = new java.util.ArrayList<>();
    f.call(java.util.Collections.emptyIterator()).forEachRemaining(none::add);
    assertEquals(List.of(), none, "an empty partition");
  }

  @Test
  void minMessagesApplies() {
    Dataset<Row> messages = df(spark, "message_id string, account_id string, doc_id bigint",
        r("m1", "a1", 1L), r("m2", "a2", 1L), r("m3", "a3", 1L));
    Dataset<Row> none = df(spark, "node bigint, component bigint");
    assertEquals(0, ClusterBuilder.assign(messages, none, DS, 4, 3).count(), "3 messages < min-messages 4");
    assertEquals(3, ClusterBuilder.assign(messages, none, DS, 3, 3).count(), "3 messages = min-messages 3");
  }
}
