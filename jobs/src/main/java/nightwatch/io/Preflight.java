package nightwatch.io;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks that the warehouse's filesystem and the catalog's metastore answer, each within a bound, so that an
 * unreachable store or metastore fails the command at once with exit code 8 and one line naming it, instead of
 * retrying for as long as the client's own retry policy allows.
 */
public final class Preflight {
  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(45);

  private Preflight() {}

  /** A warehouse, input store or metastore that cannot be reached or initialised (exit code 8). */
  public static final class UnreachableException extends RuntimeException {
    public UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The warehouse's filesystem answers a status call on the warehouse folder (which may not exist yet). */
  public static void warehouse(SparkSession spark, String warehouse, Duration timeout) {
    within("warehouse " + warehouse, timeout, () -> {
      org.apache.hadoop.conf.Configuration conf = Storage.conf(spark);
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(Storage.qualify(conf, warehouse));
      return p.getFileSystem(conf).exists(p);
    });
  }

  /** The session's catalog answers (the shared Hive metastore, or the embedded one starting up). */
  public static void catalog(SparkSession spark, String description, Duration timeout) {
    within(description, timeout, () -> spark.sharedState().externalCatalog().databaseExists("default"));
  }

  private static void within(String what, Duration timeout, Callable<?> check) {
    long start = System.nanoTime();
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "preflight");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<?> f = ex.submit(check);
      f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("{} reachable ({} ms)", what, (System.nanoTime() - start) / 1_000_000);
    } catch (TimeoutException e) {
      throw new UnreachableException("cannot reach " + what + ": no answer within " + timeout.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage().lines().findFirst().orElse("");
      throw new UnreachableException("cannot reach " + what + ": " + m, c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while checking " + what, e);
    } finally {
      ex.shutdownNow();
    }
  }
}
