package nightwatch.privacy;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nightwatch.io.DayLock;
import nightwatch.io.DeltaHistory;
import nightwatch.io.Warehouse;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasure of accounts or messages from the warehouse: their rows are deleted, or where a row must stay (a cluster
 * whose representative text was an erased message, another account's evasion link to it) the value is replaced or
 * removed; the report pages and exports that named them are written again; the touched tables lose their history
 * (the old versions still hold the values); an audit row goes to {@code erasures}. Nothing here logs an erased
 * value.
 */
public final class Erasure {
  private static final Logger LOG = LoggerFactory.getLogger(Erasure.class);

  /** What replaces an erased representative text. */
  public static final String ERASED_TEXT = "[erased]";

  private Erasure() {}

  public record Request(List<String> accounts, List<String> messages, String reason) {
    public Request {
      accounts = List.copyOf(accounts);
      messages = List.copyOf(messages);
      if (accounts.isEmpty() && messages.isEmpty()) {
        throw new IllegalArgumentException("name at least one account or message to forget");
      }
    }
  }

  public record Result(String erasureId, Map<String, Long> rowsDeleted, Map<String, Long> rowsRewritten,
                       List<String> reportDays, List<String> tablesPurged) {}

  /**
   * The values to erase besides the ids: the handles the warehouse knows for the accounts, the representative
   * texts that came from the erased messages (with the clusters that show them), and the accounts' reporter
   * pseudonyms (empty without the key).
   */
  record Targets(List<String> handles, List<String> texts, Dataset<Row> erasedRepresentatives,
                 List<String> pseudonyms) {}

  /**
   * @param pseudonymizer the nights' key, to find the accounts' own reports in report_log; null if it is not set
   *                      (those rows then stay, and the command says so)
   */
  public static Result run(SparkSession spark, Warehouse wh, Pseudonymizer pseudonymizer, Request req,
                           ReportWriter reports) {
    refuseWhileANightRuns(wh);
    Targets t = targets(spark, wh, req, pseudonymizer);
    Map<String, Long> deleted = new LinkedHashMap<>();
    Map<String, Long> rewritten = new LinkedHashMap<>();
    Object[] accountIds = in(req.accounts());
    Object[] messageIds = in(req.messages());
    // Rewrites first (they need the rows that the deletes remove), then deletes.
    rewritten.put(Tables.CLUSTERS, mergeText(spark, wh, t.erasedRepresentatives()));
    rewritten.put(Tables.CAMPAIGNS, update(wh, Tables.CAMPAIGNS, col("representative_text").isin(t.texts().toArray()),
        Map.of("representative_text", lit(ERASED_TEXT))));
    rewritten.put(Tables.SUSPENSION_CANDIDATES, scrubCandidates(wh, req));
    rewritten.put(Tables.REJECTED_RECORDS, update(wh, Tables.REJECTED_RECORDS, mentionsAny(col("raw"),
        all(req.accounts(), req.messages(), t.handles(), t.texts())), Map.of("raw", lit(null).cast("string"))));
    deleted.put(Tables.MESSAGE_CLUSTERS, delete(wh, Tables.MESSAGE_CLUSTERS,
        col("account_id").isin(accountIds).or(col("message_id").isin(messageIds))));
    deleted.put(Tables.SUSPENSION_CANDIDATES, delete(wh, Tables.SUSPENSION_CANDIDATES,
        col("account_id").isin(accountIds)));
    deleted.put(Tables.REPORT_LOG, delete(wh, Tables.REPORT_LOG, col("reported_account_id").isin(accountIds)
        .or(col("reported_message_id").isin(messageIds)).or(col("reporter_pseudonym").isin(t.pseudonyms().toArray()))));
    for (String ref : List.of(Tables.REVIEW_DECISIONS, Tables.SUSPENSIONS, Tables.PROTECTED_ACCOUNTS,
        Tables.TRUSTED_FLAGGERS)) {
      deleted.put(ref, delete(wh, ref, col("account_id").isin(accountIds)));
    }
    List<String> days = ReportScrub.rebuild(spark, wh, reports, ReportScrub.tokens(req, t));
    List<String> purged = new ArrayList<>();
    for (String table : touched(deleted, rewritten)) {
      DeltaHistory.purge(spark, wh.path(table));
      purged.add(table);
    }
    Result r = new Result(UUID.randomUUID().toString(), deleted, rewritten, days, purged);
    audit(spark, wh, req, r);
    LOG.info("erasure {}: rows deleted {}, rewritten {}, report days {}, tables purged {}", r.erasureId(), deleted,
        rewritten, days.size(), purged);
    return r;
  }

  /** Writes a day's report page and exports again from the tables as they are now. */
  @FunctionalInterface
  public interface ReportWriter {
    void write(LocalDate ds);
  }

  static Targets targets(SparkSession spark, Warehouse wh, Request req, Pseudonymizer p) {
    Object[] accountIds = in(req.accounts());
    Dataset<Row> reps = spark.emptyDataFrame().select(lit(null).cast("date").as("ds"),
        lit(null).cast("string").as("cluster_id"));
    List<String> texts = List.of();
    if (wh.exists(Tables.MESSAGE_CLUSTERS)) {
      Column erased = col("account_id").isin(accountIds).or(col("message_id").isin(in(req.messages())));
      reps = erasedRepresentatives(wh.read(Tables.MESSAGE_CLUSTERS), erased).cache();
      if (wh.exists(Tables.CLUSTERS)) {
        texts = strings(wh.read(Tables.CLUSTERS).join(reps, scala(List.of("ds", "cluster_id")))
            .select("representative_text"));
      }
    }
    List<String> handles = List.of();
    if (wh.exists(Tables.SUSPENSION_CANDIDATES)) {
      Dataset<Row> c = wh.read(Tables.SUSPENSION_CANDIDATES);
      handles = strings(c.filter(col("account_id").isin(accountIds)).select("handle")
          .union(c.select(explode(col("evasion_links")).as("l"))
              .filter(col("l.suspended_account_id").isin(accountIds)).select("l.suspended_handle")));
    }
    List<String> pseudonyms = p == null ? List.of() : req.accounts().stream().map(p::pseudonym).toList();
    return new Targets(handles, texts, reps, pseudonyms);
  }

  /**
   * The (ds, cluster_id) whose representative message is erased: the representative is the cluster's least
   * (created_at, message_id), nulls first, as {@code ClusterStats} chose it.
   */
  public static Dataset<Row> erasedRepresentatives(Dataset<Row> messageClusters, Column erased) {
    Dataset<Row> touched = messageClusters.filter(erased).select("ds", "cluster_id").distinct();
    return messageClusters.join(touched, scala(List.of("ds", "cluster_id")))
        .groupBy("ds", "cluster_id")
        .agg(min(struct(col("created_at").isNotNull().as("timed"), col("created_at"), col("message_id"),
            erased.as("erased"))).as("first"))
        .filter(col("first.erased")).select("ds", "cluster_id");
  }

  private static long mergeText(SparkSession spark, Warehouse wh, Dataset<Row> reps) {
    if (!wh.exists(Tables.CLUSTERS)) {
      return 0;
    }
    return dml(wh, Tables.CLUSTERS, "numTargetRowsUpdated", () -> DeltaTable.forPath(spark, wh.path(Tables.CLUSTERS))
        .as("t").merge(reps.as("s"), col("t.ds").equalTo(col("s.ds")).and(col("t.cluster_id")
            .equalTo(col("s.cluster_id"))))
        .whenMatched().update(Map.of("representative_text", lit(ERASED_TEXT)))
        .execute());
  }

  /** Another account's row keeps itself but loses the erased messages and its evasion links to erased accounts. */
  private static long scrubCandidates(Warehouse wh, Request req) {
    Column messages = array(req.messages().stream().map(functions::lit).toArray(Column[]::new)).cast("array<string>");
    Column linksToErased = exists(col("evasion_links"), l -> l.getField("suspended_account_id").isin(in(req.accounts())));
    Column hasMessages = arrays_overlap(col("sample_message_ids"), messages);
    return update(wh, Tables.SUSPENSION_CANDIDATES,
        not(col("account_id").isin(in(req.accounts()))).and(hasMessages.or(linksToErased)),
        Map.of("sample_message_ids", array_except(col("sample_message_ids"), messages),
            "evasion_links", filter(col("evasion_links"),
                l -> not(l.getField("suspended_account_id").isin(in(req.accounts()))))));
  }

  private static long update(Warehouse wh, String table, Column where, Map<String, Column> set) {
    return wh.exists(table)
        ? dml(wh, table, "numUpdatedRows", () -> DeltaTable.forPath(wh.read(table).sparkSession(), wh.path(table))
            .update(where, set))
        : 0;
  }

  private static long delete(Warehouse wh, String table, Column where) {
    return wh.exists(table)
        ? dml(wh, table, "numDeletedRows", () -> DeltaTable.forPath(wh.read(table).sparkSession(), wh.path(table))
            .delete(where))
        : 0;
  }

  /** Runs one DML (again on a conflict) and returns its row count from Delta's operation metrics; 0 if no commit. */
  private static long dml(Warehouse wh, String table, String metric, Runnable op) {
    long before = wh.version(table);
    Warehouse.retryOnConflict(table + " erasure", op);
    Row last = DeltaTable.forPath(wh.read(table).sparkSession(), wh.path(table)).history(1)
        .select("version", "operationMetrics").first();
    if (last.getLong(0) == before) {
      return 0;
    }
    scala.collection.Map<String, String> m = last.getMap(1);
    return m == null ? 0 : Long.parseLong(m.getOrElse(metric, () -> "0"));
  }

  private static List<String> touched(Map<String, Long> deleted, Map<String, Long> rewritten) {
    List<String> out = new ArrayList<>();
    for (Map<String, Long> m : List.of(rewritten, deleted)) {
      m.forEach((t, n) -> {
        if (n > 0 && !out.contains(t)) {
          out.add(t);
        }
      });
    }
    return out;
  }

  private static void refuseWhileANightRuns(Warehouse wh) {
    if (wh.exists(Tables.RUN_LOCKS)) {
      List<Row> held = wh.read(Tables.RUN_LOCKS)
          .filter(col("expires_at").gt(lit(Timestamp.from(Instant.now())))).select("ds").collectAsList();
      if (!held.isEmpty()) {
        throw new DayLock.HeldException("a night is running (ds=" + held.get(0).getDate(0)
            + "); run forget between nights: its history purge would delete files the night has not committed yet");
      }
    }
  }

  private static void audit(SparkSession spark, Warehouse wh, Request req, Result r) {
    wh.ensureTable(Tables.ERASURES);
    Row row = RowFactory.create(r.erasureId(), Timestamp.from(Instant.now()), req.reason(), req.accounts().size(),
        req.messages().size(), scala.jdk.javaapi.CollectionConverters.asScala(r.rowsDeleted()),
        scala.jdk.javaapi.CollectionConverters.asScala(r.rowsRewritten()),
        scala.jdk.javaapi.CollectionConverters.asScala(r.reportDays()).toSeq(),
        scala.jdk.javaapi.CollectionConverters.asScala(r.tablesPurged()).toSeq());
    wh.append(Tables.ERASURES, spark.createDataFrame(List.of(row), Tables.schema(Tables.ERASURES).struct()));
  }

  /** A predicate true when the text contains any of the values. */
  static Column mentionsAny(Column text, List<String> values) {
    Column any = lit(false);
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        any = any.or(coalesce(text.contains(v), lit(false)));
      }
    }
    return any;
  }

  @SafeVarargs
  private static List<String> all(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  private static Object[] in(List<String> values) {
    return values.toArray();
  }

  private static List<String> strings(Dataset<Row> oneColumn) {
    return oneColumn.filter(oneColumn.col(oneColumn.columns()[0]).isNotNull()).distinct().collectAsList().stream()
        .map(r -> r.getString(0)).toList();
  }

  private static scala.collection.immutable.Seq<String> scala(List<String> cols) {
    return scala.jdk.javaapi.CollectionConverters.asScala(cols).toSeq();
  }
}
