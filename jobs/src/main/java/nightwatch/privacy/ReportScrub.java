package nightwatch.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import nightwatch.io.Storage;
import nightwatch.io.Warehouse;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * The report folders (page, summary, exports) that show an erased value are written again from the scrubbed
 * tables; a folder that still names an erased account or handle afterwards stops the erasure.
 */
final class ReportScrub {
  private ReportScrub() {}

  /** Shortest start of an erased text searched for: the page shows texts cleaned, cut and escaped. */
  static final int FRAGMENT_CHARS = 40;
  private static final Pattern ESCAPED = Pattern.compile("[&<>\"'\\\\]");

  /** Ids and handles, matched as whole tokens; starts of erased texts, matched as they are. */
  record Tokens(List<Pattern> names, List<String> fragments) {
    boolean named(String content) {
      return names.stream().anyMatch(p -> p.matcher(content).find());
    }

    boolean mentioned(String content) {
      return named(content) || fragments.stream().anyMatch(content::contains);
    }
  }

  static Tokens tokens(Erasure.Request req, Erasure.Targets t) {
    List<Pattern> names = new ArrayList<>();
    for (List<String> l : List.of(req.accounts(), req.messages(), t.handles())) {
      for (String v : l) {
        names.add(Pattern.compile("(?<![\\p{L}\\p{N}_-])" + Pattern.quote(v) + "(?![\\p{L}\\p{N}_-])"));
      }
    }
    List<String> fragments = new ArrayList<>();
    for (String text : t.texts()) {
      // The longest run from the start that no page, JSON or CSV escapes, cut as short as the page may cut it.
      for (String piece : ESCAPED.split(text.replaceAll("\\s+", " ").strip())) {
        if (piece.strip().length() >= 8) {
          String p = piece.strip();
          fragments.add(p.substring(0, p.offsetByCodePoints(0, Math.min(FRAGMENT_CHARS, p.codePointCount(0,
              p.length())))));
          break;
        }
      }
    }
    return new Tokens(names, fragments);
  }

  /** Writes again every report folder that shows a token; returns their days. */
  static List<String> rebuild(SparkSession spark, Warehouse wh, Erasure.ReportWriter writer, Tokens tokens) {
    Configuration conf = Storage.conf(spark);
    String root = Storage.child(wh.root(), "reports");
    List<String> days = new ArrayList<>();
    if (!Storage.exists(conf, root)) {
      return days;
    }
    for (FileStatus dir : Storage.list(conf, root)) {
      String name = dir.getPath().getName();
      if (dir.isDirectory() && name.startsWith("ds=") && any(conf, dir.getPath(), tokens, false)) {
        writer.write(LocalDate.parse(name.substring(3)));
        if (any(conf, dir.getPath(), tokens, true)) {
          throw new IllegalStateException("erasure incomplete: the report folder " + name
              + " still names an erased account, message or handle after it was written again");
        }
        days.add(name.substring(3));
      }
    }
    return days;
  }

  private static boolean any(Configuration conf, Path dir, Tokens tokens, boolean namesOnly) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
      while (files.hasNext()) {
        LocatedFileStatus f = files.next();
        String content;
        try (InputStream in = fs.open(f.getPath())) {
          content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (namesOnly ? tokens.named(content) : tokens.mentioned(content)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the report folder " + dir, e);
    }
  }
}
