package nightwatch.stages.cluster;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns components of texts into clusters of messages. A message's component is its text's component, or
 * the text itself when it has no near-duplicate edge (exact copies still form a cluster). A component
 * becomes a cluster when it has enough messages from enough distinct accounts.
 */
public final class ClusterBuilder {
  private ClusterBuilder() {}

  /**
   * @param messages   rows with {@code doc_id}, {@code account_id}, {@code message_id}
   * @param components {@code node}, {@code component} from ConnectedComponents
   * @return the messages that belong to a cluster, plus {@code component} and {@code cluster_id}
   */
  public static Dataset<Row> assign(Dataset<Row> messages, Dataset<Row> components, LocalDate ds,
                                    int minMessages, int minAccounts) {
    return assign(messages, clusteredDocs(messages, components, minMessages, minAccounts, false), ds, false);
  }

  /**
   * {@code doc_id}, {@code component} of the texts whose component has at least {@code minMessages} messages from
   * {@code minAccounts} accounts. Component sizes come from two narrow columns of the messages, read once: a text's
   * component is its row of {@code components} or, without one, the text itself, so the clustered texts follow from
   * the kept components and {@code components} alone. With {@code broadcastComponents} the components go to every
   * task and the messages are shuffled only by component (only for components known to be small).
   */
  public static Dataset<Row> clusteredDocs(Dataset<Row> messages, Dataset<Row> components, int minMessages,
                                           int minAccounts, boolean broadcastComponents) {
    Dataset<Row> byDoc = components.select(col("node").as("doc_id"), col("component"));
    Dataset<Row> kept = messages.select("doc_id", "account_id")
        .join(broadcastComponents ? broadcast(byDoc) : byDoc, "doc_id", "left")
        .groupBy(coalesce(col("component"), col("doc_id")).as("component"))
        // Accounts counted by their 64-bit hash: a distinct count groups by (component, account), and with a
        // fixed-width key Spark's fast hash aggregate does it (on a string key, a third of the stage's time at 10M).
        // Two accounts of one component with the same hash (odds about k^2 / 2^65 for k accounts) count once.
        .agg(count(lit(1)).as("_n"), countDistinct(xxhash64(col("account_id"))).as("_a"))
        .filter(col("_n").geq(minMessages).and(col("_a").geq(minAccounts)))
        .select("component");
    // One use of the kept components, so their aggregate over every text runs once (a union of the texts with edges
    // and the texts alone ran it twice: at 10M, 9.2 M keys aggregated again). A component id is a node of its own
    // component, so a kept component without rows in byDoc is a text alone: its own doc_id.
    return kept.join(broadcastComponents ? broadcast(byDoc) : byDoc, "component", "left")
        .select(coalesce(col("doc_id"), col("component")).as("doc_id"), col("component"));
  }

  /**
   * The messages of the clustered texts ({@link #clusteredDocs}), plus {@code component} and {@code cluster_id}.
   * With {@code broadcastDocs} the list of texts goes to every task and the wide message rows are not shuffled
   * (at 10M messages they were 2.2 GB of shuffle, to keep a tenth of them); only for a list known to be small.
   */
  public static Dataset<Row> assign(Dataset<Row> messages, Dataset<Row> clusteredDocs, LocalDate ds,
                                    boolean broadcastDocs) {
    return messages.join(broadcastDocs ? broadcast(clusteredDocs) : clusteredDocs, "doc_id")
        .withColumn("cluster_id", clusterId(ds));
  }

  /** yyyyMMdd-<16 hex digits of the component id>: stable for the same input, unique within a day. */
  static org.apache.spark.sql.Column clusterId(LocalDate ds) {
    return concat(lit(ds.format(DateTimeFormatter.BASIC_ISO_DATE) + "-"),
        lower(lpad(hex(col("component")), 16, "0")));
  }
}
