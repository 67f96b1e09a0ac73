package nightwatch.stages.links;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LinkCanonicalizerTest extends SparkTest {
  private List<String> canonical(String... urls) {
    Object[][] rows = Arrays.stream(urls).map(u -> new Object[] {u}).toArray(Object[][]::new);
    List<String> out = new ArrayList<>();
    for (Row x : df(spark, "u string", rows)
        .select(LinkCanonicalizer.canonical(col("u"))).collectAsList()) {
      out.add(x.getString(0));
    }
    return out;
  }

  @Test
  void onePerLinkWhateverTheSchemeHostCaseTrackingAndTrailingSlash() {
    assertEquals(List.of("example.org/a/B?id=3", "example.org/a/B?id=3", "example.org/a/B?id=3", "example.org/a/B?id=3"),
        canonical("https://www.Example.org/a/B/?utm_source=tw&id=3#top", "http://example.org:80/a/B?id=3&fbclid=x1",
            "example.org/a/B?id=3", "  HTTPS://WWW.EXAMPLE.ORG/a/B//?id=3&gclid=z  "));
  }

  @Test
  void otherParametersAreSortedPathsKeepTheirCaseShortenersStay() {
    assertEquals(List.of("archive.org/details/x?a=1&b=2", "t.co/AbC", "t.co/abc", "host.org"),
        canonical("https://archive.org/details/x?b=2&a=1", "https://t.co/AbC", "https://t.co/abc",
            "https://host.org/?utm_medium=social"));
  }

  @Test
  void nothingWithoutAHost() {
    assertEquals(Arrays.asList(null, null, null), canonical(null, "", "https:///path"));
  }

  @Test
  void prefixesAreTheHostEachPathPrefixAndTheWholeLink() {
    Row x = df(spark, "u string", r("example.org/a/b?id=3"))
        .select(LinkCanonicalizer.prefixes(col("u"))).first();
    assertEquals(List.of("example.org", "example.org/a", "example.org/a/b", "example.org/a/b?id=3"), x.getList(0));
  }
}
