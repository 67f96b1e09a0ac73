package nightwatch.stages.scoring;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static nightwatch.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Map;
import nightwatch.Rows;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import nightwatch.privacy.Pseudonymizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ProtectiveBehaviourTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2024, 5, 1);

  @Test
  void behavioursGiveACategoryAndTheListWins() {
    NightwatchConfig.Scoring s = NightwatchConfig.defaults().scoring();
    Pseudonymizer pseudo = Pseudonymizer.ofKey("a-test-key-of-16-chars");
    Dataset<Row> touching = df(spark, "account_id string",
        r("reporter"), r("upheld"), r("speaker"), r("new-reporter"), r("plain"), r("listed"), r("mixed"));
    Dataset<Row> messages = df(spark, "account_id string, stance boolean",
        r("speaker", true), r("speaker", true), r("speaker", false),
        r("mixed", true), r("mixed", false), r("mixed", false), r("plain", false), r("outsider", true),
        r("outsider", true));
    Dataset<Row> reports = df(spark, "reporter_id string",
        r("reporter"), r("reporter"), r("reporter"), r("new-reporter"), r("new-reporter"), r("new-reporter"),
        r("new-reporter"), r("listed"), r("listed"), r("listed"), r("plain"));
    Dataset<Row> accounts = df(spark, "account_id string, created_at timestamp",
        r("reporter", ts("2020-01-01T00:00:00Z")), r("new-reporter", ts("2024-04-29T00:00:00Z")),
        r("listed", ts("2020-01-01T00:00:00Z")), r("plain", ts("2020-01-01T00:00:00Z")));
    Dataset<Row> precision = df(spark, "reporter_pseudonym string, history_decided bigint, history_precision double",
        r(pseudo.pseudonym("upheld"), 4L, 0.8), r(pseudo.pseudonym("plain"), 2L, 0.9));
    Dataset<Row> behaviour = ProtectiveBehaviour.of(touching, messages, reports, accounts, precision, pseudo, DS, s);
    assertEquals(Map.of("reporter", "behaviour_reporter", "upheld", "behaviour_upheld_reports",
            "speaker", "behaviour_counter_speech", "listed", "behaviour_reporter"),
        Rows.toMap(behaviour, "account_id", "category"),
        "new-reporter is days old, plain has too short a record, mixed condemns in 1 of 3, outsider touches nothing");
    Dataset<Row> merged = ProtectiveBehaviour.withListed(df(spark, "account_id string, category string",
        r("listed", "journalist"), r("other", "news")), behaviour);
    Map<Object, Object> m = Rows.toMap(merged, "account_id", "category");
    assertEquals("journalist", m.get("listed"), "a listed category wins");
    assertEquals(5, m.size(), "one row an account");
  }
}
