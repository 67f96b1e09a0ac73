package nightwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The scheduler kit in {@code conf/scheduling/} (docs/scheduling.md) calls the job with command lines written into
 * its files. Each {@code bin/nightwatch ...} line, and the part after {@code --} of each {@code bin/submit-nightly}
 * line, must be accepted by the job's own command tree ({@link Main#commandLine}, the job's commands only), so that a
 * misspelt flag fails here rather than at 02:00. The lines are parsed, never run.
 *
 * <p>A command is found on one line, outside comment lines: from the launcher to the end of its string literal when
 * it starts one (the DAG), else to the end of the shell command (the cron script). Template placeholders ({@code
 * {{ ds }}}, {@code $(date ...)}, {@code $day}) become a real day; any other placeholder fails.
 */
class SchedulingKitTest {
  private static final String DAY = "2026-11-20";

  /** Each file's least number of command lines, so that the test cannot pass on a file it no longer reads. */
  private static final Map<String, Integer> MIN_COMMANDS = Map.of("nightwatch_dag.py", 2, "nightwatch-cron.sh", 3);

  private static final Pattern LAUNCHER = Pattern.compile("(^|[\\s\"'(=])bin/(nightwatch|submit-nightly)(?=\\s)");
  private static final Pattern DAY_PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*ds\\s*}}|\\$\\(date [^)]*\\)|\\$\\{day}|\\$day\\b");

  /** One command line of the kit: where it is, its launcher and the text after the launcher. */
  record Found(String file, int line, String launcher, String text) {
    @Override
    public String toString() {
      return file + ":" + line + ": bin/" + launcher + text;
    }
  }

  @Test
  void everyCommandLineOfTheKitIsAcceptedByTheJob() throws IOException {
    Path kit = kitDir();
    List<Found> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(kit)) {
      for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".pyc")).sorted().toList()) {
        found.addAll(commandLines(kit.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    MIN_COMMANDS.forEach((file, min) -> {
      long n = found.stream().filter(c -> c.file().equals(file)).count();
      assertTrue(n >= min, "expected at least " + min + " command lines in " + file + ", found " + n + ": " + found);
    });

    List<String> refused = new ArrayList<>();
    for (Found c : found) {
      try {
        check(c);
      } catch (IllegalArgumentException e) {
        refused.add(c + "\n    -> " + e.getMessage());
      }
    }
    assertTrue(refused.isEmpty(), "command lines in " + kit + " that the job's command line refuses:\n"
        + String.join("\n", refused));
  }

  @Test
  void aMisspeltFlagAToolCommandOrAnUnknownPlaceholderIsRefused() {
    for (String bad : List.of(
        "bin/nightwatch maintain --conf conf/x.conf --as-off {{ ds }}",
        "run bin/submit-nightly --deploy-mode client -- --date \"$day\" --cnf conf/x.conf",
        "bin/submit-nightly --deploy-mode client --date {{ ds }}",
        "bin/nightwatch generate --date {{ ds }} --out /tmp/day",
        "bin/nightwatch nightly --date {{ ds }} --from {{ ds }} --to {{ ds }}",
        "bin/nightwatch maintain --conf $CONF",
        "bin/nightwatch --version")) {
      List<Found> found = commandLines("test", bad);
      assertEquals(1, found.size(), bad);
      assertThrows(IllegalArgumentException.class, () -> check(found.get(0)), bad);
    }
  }

  @Test
  void aCommandEndsWithItsStringLiteralOrItsShellCommand() {
    Found dag = commandLines("dag.py", "X = \"bin/nightwatch maintain --as-of {{ ds }}\"  # weekly").get(0);
    assertEquals(List.of("maintain", "--as-of", DAY), args(dag));
    Found sh = commandLines("cron.sh", "  run bin/submit-nightly --name 'a b' -- --date \"$day\" >> \"$log\" 2>&1")
        .get(0);
    assertEquals(List.of("--name", "a b", "--", "--date", DAY), args(sh));
    Found cron = commandLines("crontab", "0 2 * * * bin/nightwatch nightly --date $(date -u -d yesterday +\\%F); x")
        .get(0);
    assertEquals(List.of("nightly", "--date", DAY), args(cron));
    assertTrue(commandLines("cron.sh", "  # bin/nightwatch maintain --as-off x").isEmpty(), "comments are skipped");
  }

  /** The command lines of one file's text, in order. */
  static List<Found> commandLines(String file, String text) {
    List<Found> found = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().startsWith("#")) {
        continue;
      }
      Matcher m = LAUNCHER.matcher(lines[i]);
      while (m.find()) {
        String rest = lines[i].substring(m.end());
        String opener = m.group(1);
        if (opener.equals("\"") || opener.equals("'")) {
          int close = rest.indexOf(opener);
          rest = close < 0 ? rest : rest.substring(0, close);
        }
        found.add(new Found(file, i + 1, m.group(2), rest));
      }
    }
    return found;
  }

  /** Throws {@link IllegalArgumentException}, with the reason, when the job would refuse this command line. */
  static void check(Found c) {
    List<String> args = args(c);
    if (c.launcher().equals("submit-nightly")) {
      int dashes = args.indexOf("--");
      if (dashes < 0) {
        throw new IllegalArgumentException("bin/submit-nightly needs -- before the nightly options");
      }
      args = new ArrayList<>(args.subList(dashes + 1, args.size()));
      args.add(0, "nightly");
    }
    for (String a : args) {
      if (a.contains("$") || a.contains("{{") || a.contains("}}")) {
        throw new IllegalArgumentException("a placeholder this test does not know: " + a);
      }
    }
    CommandLine.ParseResult parsed;
    try {
      parsed = Main.commandLine(Main.JOB_COMMANDS).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (!parsed.hasSubcommand()) {
      throw new IllegalArgumentException("no command of the job: " + args);
    }
  }

  /** The arguments after the launcher: the day put in, split as the shell would, up to the end of the command. */
  static List<String> args(Found c) {
    String text = c.text().strip();
    if (text.endsWith("\\")) {
      throw new IllegalArgumentException("continued on the next line; keep each command on one line");
    }
    return shellWords(DAY_PLACEHOLDER.matcher(text).replaceAll(DAY));
  }

  /** Words as the shell splits them (quotes, backslashes), up to a command separator, a redirection or a comment. */
  static List<String> shellWords(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else if (ch == '\\' && quote == '"' && i + 1 < s.length()) {
          w.append(s.charAt(++i));
        } else {
          w.append(ch);
        }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
        inWord = true;
      } else if (ch == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(ch)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if (";|&<>".indexOf(ch) >= 0 || (ch == '#' && !inWord)) {
        if (inWord && !((ch == '>' || ch == '<') && w.toString().matches("\\d+"))) {
          words.add(w.toString());
        }
        return words;
      } else {
        w.append(ch);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("an unclosed quote");
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  /** conf/scheduling of this checkout (the tests run in jobs/). */
  private static Path kitDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("conf/scheduling"))) {
        return p.resolve("conf/scheduling");
      }
    }
    throw new IllegalStateException("no conf/scheduling above " + Path.of("").toAbsolutePath());
  }
}
