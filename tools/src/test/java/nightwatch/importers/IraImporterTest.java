package nightwatch.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IraImporterTest extends SparkTest {
  @BeforeEach
  void activeSession() {
    // an earlier test class may leave another thread's session active; plans need this one
    org.apache.spark.sql.SparkSession.setActiveSession(spark);
  }

  static final String CSV = "author,content,region,language,publish_date,following,followers,updates,post_type,"
      + "retweet,account_type,account_category\n"
      + "Alice,\"Hello, world\",US,English,2016-10-06 10:00:00,5,10,1,,0,Right,RightTroll\n"
      + "alice,\"Hello, world\",US,English,2016-10-06 10:00:00,5,11,2,,0,Right,RightTroll\n"
      + "alice,\"Hello, world\",US,English,2016-10-06 10:00:00,5,11,2,,0,Right,RightTroll\n"
      + "bob,\"two\nlines \"\"quoted\"\"\",Unknown,Russian,2016-10-06 23:59:00,1,2,3,RETWEET,1,Russian,NonEnglish\n"
      + "bob,other day,Unknown,Klingon,2016-10-07 00:00:00,1,2,3,,0,Russian,NonEnglish\n";

  @Test
  void oneDayInTheInputContract(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("ira.csv");
    Files.writeString(csv, CSV);
    Dataset<Row> raw = IraImporter.readCsv(spark, csv.toString());
    List<Row> m = IraImporter.messages(raw, LocalDate.of(2016, 10, 6)).orderBy("created_at", "message_id")
        .collectAsList();
    assertEquals(4, m.size(), "the day's rows, multi-line text included; the next day left out");
    assertEquals(4, m.stream().map(r -> r.getString(0)).distinct().count(), "identical rows still get distinct ids");
    assertEquals("ira:alice", m.get(0).getString(1));
    assertEquals("en", m.get(0).getString(4));
    assertEquals("two\nlines \"quoted\"", m.get(3).getString(3));
    assertEquals("ru", m.get(3).getString(4));
    List<Row> a = IraImporter.accounts(raw, LocalDate.of(2016, 10, 6)).orderBy("account_id").collectAsList();
    assertEquals(2, a.size(), "one account per author, handles case-folded");
    assertEquals(List.of("ira:alice", "ira:bob"), a.stream().map(r -> r.getString(0)).toList());
  }
}
