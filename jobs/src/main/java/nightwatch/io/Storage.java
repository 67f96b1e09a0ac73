package nightwatch.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Files beside the tables (reports, exports, locks, bench and evaluation outputs) through Hadoop's
 * {@link FileSystem}, so that every location may be {@code file:}, {@code hdfs://}, {@code s3a://},
 * {@code abfss://} or {@code gs://}. A location without a scheme is resolved as Hadoop resolves it: against the
 * default filesystem ({@code fs.defaultFS}), which is the local disk in local mode.
 */
public final class Storage {
  private Storage() {}

  /** The Hadoop configuration of the session (its {@code spark.hadoop.*} settings included). */
  public static Configuration conf(SparkSession spark) {
    return spark.sessionState().newHadoopConf();
  }

  /** The fully qualified form of a location, e.g. {@code ./wh} to {@code file:/abs/wh}; trailing slashes dropped. */
  public static String qualify(Configuration conf, String location) {
    Path p = new Path(location);
    try {
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (IOException e) {
      throw new StorageException("cannot resolve " + location + ": " + e.getMessage(), e);
    }
  }

  public static FileSystem fs(Configuration conf, String location) {
    try {
      return new Path(location).getFileSystem(conf);
    } catch (IOException e) {
      throw new StorageException("cannot open the filesystem of " + location + ": " + e.getMessage(), e);
    }
  }

  public static String child(String parent, String name) {
    return new Path(parent, name).toString();
  }

  public static void writeString(Configuration conf, String file, String text) {
    write(conf, file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a whole file so that readers see the old content or the new one, never part of it: the bytes go to a
   * hidden file beside the target, which then replaces it (atomic on local disks and HDFS; on object stores the
   * rename is a copy of the complete object).
   */
  public static void write(Configuration conf, String file, byte[] bytes) {
    Path target = new Path(file);
    Path tmp = new Path(target.getParent(), "._tmp_" + UUID.randomUUID() + "_" + target.getName());
    FileSystem fs = unchecksummed(fs(conf, file));
    try {
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      replace(conf, tmp, target);
    } catch (IOException e) {
      deleteQuietly(fs, tmp);
      throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Moves {@code from} over {@code to}, replacing a file already there. */
  public static void replace(Configuration conf, Path from, Path to) throws IOException {
    FileSystem fs = from.getFileSystem(conf);
    if (fs instanceof ChecksumFileSystem local) {
      // The local disk: a POSIX rename, which replaces the target atomically and leaves no .crc beside it.
      if (!local.getRawFileSystem().rename(from, to)) {
        throw new IOException("rename " + from + " to " + to + " failed");
      }
      return;
    }
    Path qualifiedTo = fs.makeQualified(to);
    FileContext fc = FileContext.getFileContext(qualifiedTo.toUri(), conf);
    try {
      fc.rename(fs.makeQualified(from), qualifiedTo, Options.Rename.OVERWRITE);
    } catch (UnsupportedOperationException e) {
      // A store without an AbstractFileSystem binding: delete, then rename (never a partly written target).
      fs.delete(to, false);
      if (!fs.rename(from, to)) {
        throw new IOException("rename " + from + " to " + to + " failed");
      }
    }
  }

  /** Files for people (reports, exports) carry no Hadoop .crc companion on the local disk. */
  private static FileSystem unchecksummed(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  public static boolean exists(Configuration conf, String location) {
    try {
      return fs(conf, location).exists(new Path(location));
    } catch (IOException e) {
      throw new StorageException("cannot reach " + location + ": " + e.getMessage(), e);
    }
  }

  public static FileStatus[] list(Configuration conf, String dir) {
    try {
      return fs(conf, dir).listStatus(new Path(dir));
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    } catch (IOException e) {
      throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  public static void deleteRecursively(Configuration conf, String location) {
    try {
      fs(conf, location).delete(new Path(location), true);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + location + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path p) {
    try {
      fs.delete(p, false);
    } catch (IOException ignored) {
      // best effort: the caller reports the original failure
    }
  }

  /** A location that cannot be reached, read or written. */
  public static final class StorageException extends UncheckedIOException {
    public StorageException(String message, IOException cause) {
      super(message, cause);
    }
  }
}
