package nightwatch.io;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one dataset of a day as raw lines ({@code value}, {@code source_file}) for validation: JSON Lines
 * (optionally gzip) as text, Parquet and Delta rows rendered as JSON, so that every format goes through
 * the same checks and a bad row is kept verbatim for rejected_records.
 */
public final class DayInput {
  private DayInput() {}

  /**
   * Lines of a required dataset; a missing or empty location stops the job, and so does a missing {@code _SUCCESS}
   * file when {@code requireMarker} is set (the export is not complete yet).
   */
  public static Dataset<Row> required(SparkSession spark, String location, String format, String name,
                                      boolean requireMarker) {
    if (requireMarker && !successMarker(spark, location)) {
      throw new MissingInputException("missing input: " + name + " at " + location + " has no _SUCCESS marker "
          + "(the export is not complete; nightwatch.input.require-success-marker is on)");
    }
    Dataset<Row> d = optional(spark, location, format);
    if (d == null) {
      throw new MissingInputException("missing input: " + name + " at " + location + " (no data files)");
    }
    return d;
  }

  /** Lines of an optional dataset, or null when the location has no data files. */
  public static Dataset<Row> optional(SparkSession spark, String location, String format) {
    String fmt = format.equals("auto") ? detect(spark, location) : format;
    if (fmt == null) {
      return null;
    }
    switch (fmt) {
      case "json":
        return spark.read().option("recursiveFileLookup", "true").text(location)
            .select(col("value"), input_file_name().as("source_file"));
      case "parquet":
      case "delta":
        // Nested folders of files (hour=00/ ...) are read whole; a Delta table is read as its log says.
        Dataset<Row> rows = fmt.equals("parquet")
            ? spark.read().option("recursiveFileLookup", "true").parquet(location)
            : spark.read().format(fmt).load(location);
        return rows.select(to_json(struct(col("*")), java.util.Map.of("timestampFormat",
                "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).as("value"), input_file_name().as("source_file"));
      default:
        throw new IllegalArgumentException("unknown input format " + fmt);
    }
  }

  /**
   * A Spark failure while reading an input file (truncated gzip, corrupt Parquet, a file gone mid-read) as
   * a MissingInputException naming the file and the cause, so the night fails with exit code 3 and one line.
   * The file is not skipped (spark.sql.files.ignoreCorruptFiles would lose its rows silently). Other errors
   * are returned unchanged.
   */
  public static RuntimeException unreadable(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.spark.SparkThrowable st && st.getCondition() != null
          && st.getCondition().startsWith("FAILED_READ_FILE")) {
        Throwable root = t;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        String file = st.getMessageParameters().getOrDefault("path", "?");
        return new MissingInputException("unreadable input: " + file + ": " + root.getClass().getSimpleName() + ": "
            + root.getMessage(), e);
      }
    }
    return e;
  }

  /**
   * json, parquet or delta from what the folder holds, nested sub-folders included; null if it holds no data files.
   * Stops at the first data file: a listing of a large export is not walked to its end.
   */
  static String detect(SparkSession spark, String location) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return null;
      }
      if (fs.exists(new Path(p, "_delta_log"))) {
        return "delta";
      }
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(p, true);
      while (files.hasNext()) {
        Path f = files.next().getPath();
        if (hidden(p, f)) {
          continue;
        }
        String n = f.getName();
        if (n.endsWith(".parquet")) {
          return "parquet";
        }
        if (n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".gz") || n.endsWith(".txt")) {
          return "json";
        }
      }
      return null;
    } catch (IOException e) {
      throw new MissingInputException("unreadable input at " + location + ": " + e.getMessage());
    }
  }

  /** A file Spark does not read as data: its name, or a folder's between the dataset and it, starts with _ or . */
  private static boolean hidden(Path root, Path file) {
    for (Path q = file; q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
      if (q.getName().startsWith("_") || q.getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** True if the dataset folder holds the {@code _SUCCESS} file an export writes when it is complete. */
  static boolean successMarker(SparkSession spark, String location) {
    try {
      Path marker = new Path(location, "_SUCCESS");
      return marker.getFileSystem(spark.sparkContext().hadoopConfiguration()).isFile(marker);
    } catch (IOException e) {
      throw new MissingInputException("unreadable input at " + location + ": " + e.getMessage());
    }
  }
}
