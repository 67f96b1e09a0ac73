package nightwatch.stages.stance;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import nightwatch.SparkTest;
import nightwatch.config.NightwatchConfig;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class OwnWordsTest extends SparkTest {
  static final String COPY = "brothers rise up and join the caravan the hour of victory is near";

  @Test
  void ownWordsQuotesAndStance() {
    NightwatchConfig.Safeguards g = NightwatchConfig.defaults().scoring().safeguards();
    Map<String, Row> m = new TreeMap<>();
    for (Row x : OwnWords.annotate(df(spark, "message_id string, text string, quote_of string, reply_to string, "
            + "retweet_of string",
        r("embedded", "Look at what they post today: \"" + COPY + "\"", null, null, null),
        r("quote-tweet", "Reported this account for terrorist content", "p1", null, null),
        r("bare-quote", "wow: «" + COPY + "»", null, null, null),
        r("retweet", "RT @abu_x: " + COPY, null, null, null),
        r("retweet-field", COPY, null, null, "p1"),
        r("reply", "@abu_x stop sharing this garbage", null, "p1", null),
        r("copy-says-lies", "The western media lies! " + COPY, null, null, null),
        r("short-quote", "he said \"ok\" and " + COPY, null, null, null)), g).collectAsList()) {
      m.put(x.getAs("message_id"), x);
    }
    assertEquals("Look at what they post today:  ", m.get("embedded").getAs("own_text"));
    assertEquals(true, m.get("embedded").getAs("quote_own"), "6 words of its own beside the quote");
    assertEquals(false, m.get("embedded").getAs("stance"), "no stance word in its own words");
    assertEquals(true, m.get("quote-tweet").getAs("quote_own"));
    assertEquals(true, m.get("quote-tweet").getAs("stance"));
    assertEquals(false, m.get("bare-quote").getAs("quote_own"), "one word of its own is not enough");
    assertEquals("", m.get("retweet").getAs("own_text"), "a retweet has no words of its own");
    assertEquals(false, m.get("retweet").getAs("quote_own"));
    assertEquals(false, m.get("retweet-field").getAs("quote_own"));
    assertEquals(false, m.get("reply").getAs("quote_own"), "a reply quotes nothing");
    assertEquals(true, m.get("reply").getAs("stance"), "but its own words condemn");
    assertEquals(false, m.get("copy-says-lies").getAs("stance"), "neither a quote nor a reply");
    assertEquals(false, m.get("short-quote").getAs("quote_own"), "a quoted word is not a quote");
  }
}
