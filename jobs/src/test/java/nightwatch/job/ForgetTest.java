package nightwatch.job;

import static nightwatch.job.NightlyJobTest.acct;
import static nightwatch.job.NightlyJobTest.msg;
import static nightwatch.job.NightlyJobTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.io.Warehouse;
import nightwatch.privacy.Erasure;
import nightwatch.privacy.Pseudonymizer;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night on a small day, then the erasure of one account whose message is the representative of a campaign's
 * cluster, who was reported, who reported others, who has a rejected row and a review decision: afterwards no file
 * under the warehouse, Delta logs included, holds its id, handle or message text, and every other row is unchanged.
 */
class ForgetTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-03-10");
  static final String KEY = "forget-test-pseudonym-key-0123456789";
  static final String ERASEE = "acct-7731-erase";
  static final String HANDLE = ERASEE + "_h";
  static final String TEXT = "quokka manifesto the orchard brigade rises at dawn share this with every brother "
      + "and sister you know #orchard";

  @TempDir
  Path tmp;

  @Test
  void forgetRemovesTheAccountEverywhereAndChangesNothingElse() throws IOException {
    NightwatchConfig cfg = night();
    Warehouse wh = new Warehouse(spark, cfg.warehouse());
    Path root = tmp.resolve("wh");
    // The values are there before: in the report, the exports and the Delta logs' statistics.
    assertFalse(filesHolding(root, HANDLE).isEmpty(), "the handle is in the warehouse before");
    assertFalse(filesHolding(root, TEXT).isEmpty(), "the text is in the warehouse before");
    List<String> tables = new ArrayList<>(Tables.OUTPUTS);
    tables.addAll(Tables.REFERENCE);
    Map<String, List<String>> before = snapshot(wh, tables);
    String pseudonym = Pseudonymizer.ofKey(KEY).pseudonym(ERASEE);
    assertTrue(before.get(Tables.REPORT_LOG).stream().anyMatch(j -> j.contains(pseudonym)), "erasee reported");

    Erasure.Result r = Erasure.run(spark, wh, Pseudonymizer.ofKey(KEY),
        new Erasure.Request(List.of(ERASEE), List.of(), "ticket 1"), ds -> DayReport.rewrite(spark, wh, cfg, ds));

    List<String> left = new ArrayList<>();
    for (String v : List.of(ERASEE, HANDLE, TEXT, pseudonym)) {
      left.addAll(filesHolding(root, v));
    }
    assertEquals(List.of(), left, "files that still hold an erased value");
    assertEquals(List.of(DS.toString()), r.reportDays());
    assertEquals(1L, r.rowsRewritten().get(Tables.CLUSTERS), "the cluster whose representative was the message");
    assertTrue(r.tablesPurged().contains(Tables.MESSAGE_CLUSTERS));
    assertThrows(Exception.class, () -> wh.readAt(Tables.MESSAGE_CLUSTERS, 0).count(), "older versions are gone");

    Map<String, List<String>> after = snapshot(wh, tables);
    for (String t : tables) {
      List<String> expected = before.get(t).stream()
          .filter(j -> Stream.of(ERASEE, TEXT, pseudonym).noneMatch(j::contains)).toList();
      List<String> kept = after.get(t).stream().filter(j -> !j.contains(Erasure.ERASED_TEXT)).toList();
      if (t.equals(Tables.REJECTED_RECORDS)) {
        assertEquals(before.get(t).size(), after.get(t).size(), "a rejected row stays, without its raw line");
      } else {
        assertEquals(expected, kept, t + ": every other row unchanged");
      }
      assertTrue(after.get(t).stream().noneMatch(j -> j.contains(ERASEE) || j.contains(TEXT)), t);
    }
    assertEquals(1, after.get(Tables.CLUSTERS).stream().filter(j -> j.contains(Erasure.ERASED_TEXT)).count());
    List<Row> audit = wh.read(Tables.ERASURES).collectAsList();
    assertEquals(1, audit.size());
    assertEquals("ticket 1", audit.get(0).getAs("reason"));
    assertTrue(Files.readString(root.resolve("reports/ds=" + DS + "/index.html")).contains(Erasure.ERASED_TEXT));
  }

  /** Every table's rows as sorted JSON (the rejected rows without their raw line). */
  private Map<String, List<String>> snapshot(Warehouse wh, List<String> tables) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String t : tables) {
      Dataset<Row> d = wh.read(t);
      out.put(t, (t.equals(Tables.REJECTED_RECORDS) ? d.drop("raw") : d).toJSON().collectAsList().stream()
          .sorted().toList());
    }
    return out;
  }

  /** The files under the folder whose bytes contain the value (as UTF-8). */
  static List<String> filesHolding(Path root, String value) throws IOException {
    byte[] needle = value.getBytes(StandardCharsets.UTF_8);
    List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) {
          hits.add(root.relativize(f).toString());
        }
      }
    }
    return hits;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A campaign the erasee started (its message is the earliest), copied by five young accounts; reports both ways. */
  private NightwatchConfig night() throws IOException {
    Path in = tmp.resolve("input");
    List<String> messages = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    messages.add(msg("e1", ERASEE, "2026-03-10T09:00:00Z", TEXT, null));
    accounts.add(acct(ERASEE, "2026-03-06T10:00:00Z"));
    String[] words = {"dusk", "noon", "night", "sunrise", "midday"};
    for (int i = 0; i < words.length; i++) {
      messages.add(msg("c" + i, "copy" + i, "2026-03-10T09:00:1" + i + "Z", TEXT.replace("dawn", words[i]), null));
      accounts.add(acct("copy" + i, "2026-03-05T10:00:00Z"));
    }
    for (int i = 0; i < 30; i++) {
      messages.add(msg("b" + i, "user" + (i % 6), "2026-03-10T1" + (i % 9) + ":30:00Z", "ordinary note " + i + " on "
          + NightlyJobTest.word(i) + " and " + NightlyJobTest.word(i * 7 + 3) + " later " + NightlyJobTest.word(i * 5), null));
    }
    for (int i = 0; i < 6; i++) {
      accounts.add(acct("user" + i, "2015-01-01T00:00:00Z"));
    }
    messages.add("{\"message_id\":\"e9\",\"account_id\":\"" + ERASEE + "\",\"created_at\":\"not a time\"}");
    write(in.resolve("messages/part-0.jsonl"), messages);
    write(in.resolve("accounts/part-0.jsonl"), accounts);
    write(in.resolve("reports/part-0.jsonl"), List.of(
        "{\"report_id\":\"r1\",\"reporter_id\":\"user1\",\"reported_account_id\":\"" + ERASEE + "\","
            + "\"reported_message_id\":\"e1\",\"reason\":\"terrorism\",\"created_at\":\"2026-03-10T13:00:00Z\"}",
        "{\"report_id\":\"r2\",\"reporter_id\":\"" + ERASEE + "\",\"reported_account_id\":\"user2\","
            + "\"reason\":\"spam\",\"created_at\":\"2026-03-10T13:05:00Z\"}",
        "{\"report_id\":\"r3\",\"reporter_id\":\"user3\",\"reported_account_id\":\"copy1\","
            + "\"reason\":\"terrorism\",\"created_at\":\"2026-03-10T13:06:00Z\"}"));
    write(in.resolve("reference/review_decisions/r.jsonl"), List.of(
        "{\"ds\":\"2026-03-09\",\"account_id\":\"" + ERASEE + "\",\"decision\":\"suspend\",\"reviewer\":\"rv1\","
            + "\"decided_at\":\"2026-03-09T12:00:00Z\"}",
        "{\"ds\":\"2026-03-09\",\"account_id\":\"copy2\",\"decision\":\"suspend\",\"reviewer\":\"rv1\","
            + "\"decided_at\":\"2026-03-09T12:00:00Z\"}"));
    Map<String, Object> o = new HashMap<>();
    o.put("nightwatch.warehouse", tmp.resolve("wh").toString());
    o.put("nightwatch.input.root", in.toString());
    NightwatchConfig cfg = NightwatchConfig.load(null, o);
    new NightlyJob(spark, cfg, Pseudonymizer.ofKey(KEY)).run(DS);
    return cfg;
  }
}
