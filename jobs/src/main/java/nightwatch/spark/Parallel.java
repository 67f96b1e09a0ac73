package nightwatch.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import nightwatch.log.LogContext;

/**
 * Runs independent Delta writes (and the day's input checks, and the report's queries and exports) side by side.
 * Each table commit or small query spends most of its time on the driver (log replay, file listing, the commit
 * itself) while the cores idle; overlapping them with each other and with the input checks keeps the cores busy. Threads are created
 * here, so they inherit the caller's Spark job group; each task carries the caller's log context (day and run id).
 */
public final class Parallel {
  /** Table commits overlapped at once: enough to hide driver-side Delta work, few enough for small drivers. */
  public static final int TABLE_THREADS = 4;

  private Parallel() {}

  /** Runs every task and waits for all of them; then rethrows the first failure, if any. */
  public static void run(int threads, List<Runnable> tasks) {
    if (tasks.size() <= 1 || threads <= 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable t : tasks) {
        futures.add(pool.submit(LogContext.carry(t)));
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
          } else {
            first.addSuppressed(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing tables", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Values computed side by side: add each computation, run them all, then read each value. */
  public static final class Batch {
    private final List<Runnable> tasks = new ArrayList<>();

    /** The computation's value, readable once {@link #run} has returned. */
    public <T> Supplier<T> add(Supplier<T> computation) {
      AtomicReference<T> value = new AtomicReference<>();
      tasks.add(() -> value.set(computation.get()));
      return value::get;
    }

    public void run(int threads) {
      Parallel.run(threads, tasks);
    }
  }
}
