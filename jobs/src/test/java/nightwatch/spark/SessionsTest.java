package nightwatch.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SessionsTest {
  @Test
  void keptBlocksAreCompressedAndAggregatesUseOneMapUnlessTheSubmittedConfigurationSaysOtherwise() {
    assertEquals(Map.of("spark.rdd.compress", "true", Sessions.TWO_LEVEL_AGGREGATE_MAP, "false"),
        Sessions.defaults(new SparkConf(false)));
    assertEquals(Map.of(), Sessions.defaults(new SparkConf(false).set("spark.rdd.compress", "false")
            .set(Sessions.TWO_LEVEL_AGGREGATE_MAP, "true")),
        "a value given to spark-submit is kept");
  }
}
