package nightwatch.log;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.MDC;

/**
 * The day and the run id in every log line of a run: log4j2's ThreadContext (through SLF4J's MDC) holds them as
 * {@code ds} and {@code run_id} on the run's thread while the run lasts, and {@link #carry} copies them into tasks
 * the job runs on its own threads. Threads the job does not start (Spark's, Delta's) get them from
 * {@link SoleRunContextProvider} while exactly one run is open in the JVM.
 */
public final class LogContext {
  public static final String DS = "ds";
  public static final String RUN_ID = "run_id";

  /** The context of each run open in this JVM, in the order they opened. */
  private static final List<Map<String, String>> OPEN = new CopyOnWriteArrayList<>();

  private LogContext() {}

  /** A run's context on the calling thread; closing it restores the thread's previous context. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Puts {@code ds} and {@code run_id} in the calling thread's context until the scope is closed. */
  public static Scope open(LocalDate ds, String runId) {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    Map<String, String> run = Map.of(DS, ds.toString(), RUN_ID, runId);
    MDC.put(DS, run.get(DS));
    MDC.put(RUN_ID, runId);
    OPEN.add(run);
    return () -> {
      OPEN.remove(run);
      restore(previous);
    };
  }

  /** The context of the only run open in this JVM; empty when none or several are open. */
  static Map<String, String> soleRun() {
    Object[] open = OPEN.toArray();
    @SuppressWarnings("unchecked")
    Map<String, String> only = open.length == 1 ? (Map<String, String>) open[0] : Map.of();
    return only;
  }

  /** The task, run with the context the calling thread has now (for work handed to another thread). */
  public static Runnable carry(Runnable task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      restore(context);
      try {
        task.run();
      } finally {
        restore(previous);
      }
    };
  }

  /** {@link #carry(Runnable)} for a task with a value. */
  public static <T> Callable<T> carry(Callable<T> task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      restore(context);
      try {
        return task.call();
      } finally {
        restore(previous);
      }
    };
  }

  private static void restore(Map<String, String> context) {
    MDC.clear();
    if (context != null) {
      MDC.setContextMap(context);
    }
  }
}
