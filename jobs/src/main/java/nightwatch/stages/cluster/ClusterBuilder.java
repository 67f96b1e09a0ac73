package nightwatch.stages.cluster;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Turns components of texts into clusters of messages. A message's component is its text's component, or
 * the text itself when it has no near-duplicate edge (exact copies still form a cluster). A component
 * becomes a cluster when it has enough messages from enough distinct accounts.
 */
public final class ClusterBuilder {
  private ClusterBuilder() {}

  /** The kind of the clusters built here (clusters.kind): near-duplicate texts. */
  public static final String TEXT = "text";

  /**
   * @param messages   rows with {@code doc_id}, {@code account_id}, {@code message_id}
   * @param components {@code node}, {@code component} from ConnectedComponents
   * @return the messages that belong to a cluster, plus {@code component}, {@code cluster_id}, {@code kind} and a null
   *     {@code link}
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
        // Accounts by their 64-bit hash (two accounts of one component with the same hash, odds about k^2 / 2^65
        // for k accounts, count once).
        .select(coalesce(col("component"), col("doc_id")).as("component"), xxhash64(col("account_id")).as("_h"))
        .repartition(col("component"))
        // Counted by a sort of the component ids and a walk over each run, not by an aggregate: nearly every text of a
        // day is a component of its own, so a count and a distinct count would build two hash maps of about one key
        // per text, with a shuffle between them.
        .sortWithinPartitions("component")
        .mapPartitions(new QualifyingComponents(minMessages, minAccounts), Encoders.LONG())
        .toDF("component");
    // One use of the kept components, so their count over every text runs once (a union of the texts with edges
    // and the texts alone would run it twice). A component id is a node of its own component, so a kept component
    // without rows in byDoc is a text alone: its own doc_id.
    return kept.join(broadcastComponents ? broadcast(byDoc) : byDoc, "component", "left")
        .select(coalesce(col("doc_id"), col("component")).as("doc_id"), col("component"));
  }

  /**
   * Over rows ({@code component}, account hash) sorted by component: the components with at least {@code minMessages}
   * rows and {@code minAccounts} distinct hashes. A run's hashes are sorted in a primitive array to count them; runs
   * are short but for the largest clusters.
   */
  static final class QualifyingComponents implements MapPartitionsFunction<Row, Long> {
    private final int minMessages;
    private final int minAccounts;

    QualifyingComponents(int minMessages, int minAccounts) {
      this.minMessages = minMessages;
      this.minAccounts = minAccounts;
    }

    @Override
    public Iterator<Long> call(Iterator<Row> rows) {
      List<Long> out = new ArrayList<>();
      long[] hashes = new long[16];
      int n = 0;
      long component = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        long c = r.getLong(0);
        if (n > 0 && c != component) {
          addIfQualifies(out, component, hashes, n);
          n = 0;
        }
        component = c;
        if (n == hashes.length) {
          hashes = Arrays.copyOf(hashes, 2 * n);
        }
        hashes[n++] = r.getLong(1);
      }
      if (n > 0) {
        addIfQualifies(out, component, hashes, n);
      }
      return out.iterator();
    }

    private void addIfQualifies(List<Long> out, long component, long[] hashes, int n) {
      if (n < minMessages || n < minAccounts) {
        return;
      }
      Arrays.sort(hashes, 0, n);
      int distinct = 1;
      for (int i = 1; i < n && distinct < minAccounts; i++) {
        if (hashes[i] != hashes[i - 1]) {
          distinct++;
        }
      }
      if (distinct >= minAccounts) {
        out.add(component);
      }
    }
  }

  /**
   * The messages of the clustered texts ({@link #clusteredDocs}), plus {@code component} and {@code cluster_id}.
   * With {@code broadcastDocs} the list of texts goes to every task and the wide message rows are not shuffled
   * (most of them would travel only to be dropped); only for a list known to be small.
   */
  public static Dataset<Row> assign(Dataset<Row> messages, Dataset<Row> clusteredDocs, LocalDate ds,
                                    boolean broadcastDocs) {
    return messages.join(broadcastDocs ? broadcast(clusteredDocs) : clusteredDocs, "doc_id")
        .withColumn("cluster_id", clusterId(ds))
        .withColumn("kind", lit(TEXT))
        .withColumn("link", lit(null).cast("string"));
  }

  /** yyyyMMdd-<16 hex digits of the component id>: stable for the same input, unique within a day. */
  public static org.apache.spark.sql.Column clusterId(LocalDate ds) {
    return concat(lit(ds.format(DateTimeFormatter.BASIC_ISO_DATE) + "-"),
        lower(lpad(hex(col("component")), 16, "0")));
  }
}
