package nightwatch.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run per day at a time: a run holds {@code <warehouse>/_locks/ds=D.lock} from its start to its end, so a
 * second run of the same day fails at once with a message naming the holder, instead of racing the first one
 * table by table. The lock is a lease: the holder renews the file's modification time every third of the lease,
 * and a lock not renewed for a whole lease, or whose holder process is gone from this host, is taken over. So a
 * run killed with kill -9 never blocks the rerun for long (on the same host, not at all).
 *
 * <p>Creation must be atomic: on a local warehouse it is {@code O_EXCL} ({@link Files#createFile}), elsewhere
 * Hadoop's {@code create(overwrite=false)}, which is atomic on HDFS, ABFS and GCS but not on S3A. A takeover
 * renames the stale file aside first, and only the run whose rename succeeds goes on to create the new lock.
 */
public final class DayLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DayLock.class);

  /** The day is locked by another live run. */
  public static final class HeldException extends RuntimeException {
    public HeldException(String message) {
      super(message);
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final String runId;
  private final ScheduledExecutorService renewer;

  private DayLock(FileSystem fs, Path file, String runId, Duration lease) {
    this.fs = fs;
    this.file = file;
    this.runId = runId;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "day-lock-" + runId);
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, lease.toMillis() / 3);
    renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  public static Path file(String warehouseRoot, LocalDate ds) {
    return new Path(warehouseRoot, "_locks/ds=" + ds + ".lock");
  }

  /** Takes the day's lock for {@code runId}, or throws {@link HeldException} naming the live holder. */
  public static DayLock acquire(Configuration hadoop, String warehouseRoot, LocalDate ds, String runId, Duration lease,
                                Clock clock) {
    Path file = file(warehouseRoot, ds);
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      file = fs.makeQualified(file);
      fs.mkdirs(file.getParent());
      Properties me = new Properties();
      me.setProperty("run_id", runId);
      me.setProperty("host", host());
      me.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
      me.setProperty("acquired_at", clock.instant().toString());
      for (int attempt = 0; attempt < 3; attempt++) {
        if (createNew(fs, file, me)) {
          LOG.info("lock {} taken by run {}", file, runId);
          return new DayLock(fs, file, runId, lease);
        }
        FileStatus st;
        Properties holder;
        try {
          st = fs.getFileStatus(file);
          holder = read(fs, file);
        } catch (java.io.FileNotFoundException gone) {
          continue; // released between our create and our read: try again
        }
        String stale = staleness(holder, Instant.ofEpochMilli(st.getModificationTime()), lease, clock);
        if (stale == null) {
          throw new HeldException("day " + ds + " is locked by run " + holder.getProperty("run_id") + " (host "
              + holder.getProperty("host") + ", pid " + holder.getProperty("pid") + ", since "
              + holder.getProperty("acquired_at") + "); wait for it to end, or if no such run is alive delete " + file);
        }
        Path aside = file.suffix(".stale-" + runId);
        if (fs.rename(file, aside)) {
          LOG.warn("lock {}: took over from run {} ({})", file, holder.getProperty("run_id"), stale);
          fs.delete(aside, false);
        }
      }
      throw new HeldException("day " + ds + ": could not take lock " + file + " (other runs keep taking it)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** Why a holder's lock may be taken over, or null while it is live. */
  static String staleness(Properties holder, Instant renewed, Duration lease, Clock clock) {
    Duration idle = Duration.between(renewed, clock.instant());
    if (idle.compareTo(lease) > 0) {
      return "not renewed for " + idle.toSeconds() + " s, lease " + lease.toSeconds() + " s";
    }
    String pid = holder.getProperty("pid", "");
    if (host().equals(holder.getProperty("host")) && pid.matches("\\d+")
        && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
      return "its process " + pid + " on this host is gone";
    }
    return null;
  }

  private static boolean createNew(FileSystem fs, Path file, Properties content) throws IOException {
    byte[] bytes = text(content).getBytes(StandardCharsets.UTF_8);
    if (fs instanceof LocalFileSystem || "file".equals(fs.getUri().getScheme())) {
      try {
        Files.write(Files.createFile(java.nio.file.Path.of(file.toUri())), bytes);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static Properties read(FileSystem fs, Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = fs.open(file)) {
      p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
    return p;
  }

  private static String text(Properties p) {
    StringBuilder sb = new StringBuilder();
    for (String k : new java.util.TreeSet<>(p.stringPropertyNames())) {
      sb.append(k).append('=').append(p.getProperty(k)).append('\n');
    }
    return sb.toString();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private boolean ours() throws IOException {
    try {
      return runId.equals(read(fs, file).getProperty("run_id"));
    } catch (java.io.FileNotFoundException e) {
      return false;
    }
  }

  private void renew() {
    try {
      if (ours()) {
        fs.setTimes(file, System.currentTimeMillis(), -1);
      } else {
        LOG.error("lock {} is no longer held by run {}: another run took it over (this run stalled past its lease)",
            file, runId);
      }
    } catch (IOException e) {
      LOG.warn("lock {}: renewal failed: {}", file, e.getMessage());
    }
  }

  /** Stops renewing and removes the lock if it is still this run's. */
  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      if (ours()) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      LOG.warn("lock {}: release failed ({}); the next run takes it over once the lease ends", file, e.getMessage());
    }
  }
}
