package nightwatch.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * Tells a statement that only reads from one that writes or deletes, from Spark's parsed plan (Delta's statements
 * included), before anything runs: {@code spark.sql} runs a command at once, so the check must come first.
 */
public final class ReadOnlySql {
  private ReadOnlySql() {}

  /** A statement refused because it would write or delete; {@link #kind} names it (e.g. "DELETE"). */
  public static final class WriteRefused extends RuntimeException {
    private final String kind;

    WriteRefused(String kind) {
      super(kind + " writes or deletes; analysis is read-only (--allow-writes to run it)");
      this.kind = kind;
    }

    public String kind() {
      return kind;
    }
  }

  /** Commands that only read or describe: the parsed plans of SHOW, DESCRIBE, EXPLAIN, USE and SET. */
  private static final Set<String> READ_ONLY_COMMANDS = Set.of("ShowTables", "ShowTablesExtended", "ShowViews",
      "ShowNamespaces", "ShowColumns", "ShowCreateTable", "ShowTableProperties", "ShowPartitions", "ShowFunctions",
      "ShowCatalogs", "ShowCurrentNamespaceCommand", "DescribeRelation", "DescribeColumn", "DescribeNamespace",
      "DescribeFunction", "DescribeDeltaHistory", "DescribeDeltaDetail", "DescribeDeltaDetailCommand",
      "DescribeDeltaHistoryCommand", "ExplainCommand", "SetCatalogAndNamespace", "SetCommand", "UnresolvedUse");

  /** Plan nodes whose kind the refusal names more precisely than the statement's first word. */
  private static final Map<String, String> KINDS = Map.of("InsertIntoDir", "INSERT OVERWRITE DIRECTORY",
      "InsertIntoStatement", "INSERT", "CreateTableAsSelect", "CREATE ... AS", "ReplaceTableAsSelect",
      "REPLACE ... AS", "MergeIntoTable", "MERGE", "DeleteFromTable", "DELETE", "UpdateTable", "UPDATE");

  /** Throws {@link WriteRefused} unless the statement only reads. A statement that does not parse is let through. */
  public static void check(SparkSession spark, String sql) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (Exception e) { // ParseException is checked in Java's eyes
      return; // Spark reports the parse error itself when the statement runs.
    }
    Deque<LogicalPlan> todo = new ArrayDeque<>();
    todo.push(plan);
    while (!todo.isEmpty()) {
      LogicalPlan p = todo.pop();
      String name = p.getClass().getSimpleName();
      if (KINDS.containsKey(name) || (mayWrite(p) && !READ_ONLY_COMMANDS.contains(name) && !isTempView(p))) {
        throw new WriteRefused(KINDS.getOrDefault(name, firstWord(sql)));
      }
      scala.jdk.javaapi.CollectionConverters.asJava(p.children()).forEach(todo::push);
    }
  }

  /** Commands, parsed statements and Delta's own plans (RESTORE parses to a plan that is neither) may write. */
  private static boolean mayWrite(LogicalPlan p) {
    String name = p.getClass().getSimpleName();
    return p instanceof Command || name.endsWith("Statement") || name.endsWith("Command")
        || p.getClass().getName().startsWith("org.apache.spark.sql.delta.") || name.startsWith("Compound");
  }

  /** A temporary view lives in the session only (the notebooks name their intermediate results with them). */
  private static boolean isTempView(LogicalPlan p) {
    if (!p.getClass().getSimpleName().equals("CreateViewCommand")) {
      return false;
    }
    try {
      return String.valueOf(p.getClass().getMethod("viewType").invoke(p)).contains("TempView");
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  private static String firstWord(String sql) {
    String s = sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").strip();
    int end = 0;
    while (end < s.length() && Character.isLetter(s.charAt(end))) {
      end++;
    }
    return end == 0 ? "this statement" : s.substring(0, end).toUpperCase(Locale.ROOT);
  }
}
