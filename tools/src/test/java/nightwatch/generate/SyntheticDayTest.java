package nightwatch.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import nightwatch.SparkTest;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDayTest extends SparkTest {
  static final LocalDate DS = LocalDate.of(2026, 11, 20);
  static final long N = 12_000;
  static final long SEED = 7;
  static GeneratedDay day;

  @BeforeAll
  static void generateDay() {
    GeneratedDay d = SyntheticDay.generate(spark, DS, N, SEED);
    Map<String, Dataset<Row>> ref = new HashMap<>();
    d.reference().forEach((k, v) -> ref.put(k, v.cache()));
    day = new GeneratedDay(d.messages().cache(), d.accounts().cache(), d.reports().cache(), ref,
        d.truthMessages().cache(), d.truthAccounts().cache());
  }

  static long checksum(Dataset<Row> df) {
    Column[] cols = Arrays.stream(df.columns()).map(c -> col(c)).toArray(Column[]::new);
    return df.select(sum(xxhash64(cols).cast("decimal(38,0)")).cast("string")).first().getString(0).hashCode()
        ^ df.count();
  }

  @Test
  void sameSeedGivesIdenticalDataAndOtherSeedDoesNot() {
    GeneratedDay again = SyntheticDay.generate(spark, DS, N, SEED);
    assertEquals(checksum(day.messages()), checksum(again.messages()), "messages differ for the same seed");
    assertEquals(checksum(day.accounts()), checksum(again.accounts()), "accounts differ for the same seed");
    assertEquals(checksum(day.reports()), checksum(again.reports()), "reports differ for the same seed");
    assertEquals(checksum(day.truthMessages()), checksum(again.truthMessages()));
    for (String t : Tables.REFERENCE) {
      assertEquals(checksum(day.reference().get(t)), checksum(again.reference().get(t)), t + " differs");
    }
    GeneratedDay other = SyntheticDay.generate(spark, DS, N, SEED + 1);
    assertNotEquals(checksum(day.messages()), checksum(other.messages()), "another seed gave the same messages");
  }

  @Test
  void sizeIdsAndTimesFollowTheContract() {
    long n = day.messages().count();
    assertTrue(Math.abs(n - N) <= N * 0.03, "expected about " + N + " messages, got " + n);
    assertEquals(n, day.messages().select("message_id").distinct().count(), "message ids not unique");
    long accounts = day.accounts().count();
    assertEquals(accounts, day.accounts().select("account_id").distinct().count(), "account ids not unique");
    assertEquals(Arrays.asList(Tables.schema("messages").columnNames()), Arrays.asList(day.messages().columns()));
    assertEquals(Arrays.asList(Tables.schema("accounts").columnNames()), Arrays.asList(day.accounts().columns()));
    assertEquals(Arrays.asList(Tables.schema("reports").columnNames()), Arrays.asList(day.reports().columns()));
    long dayStart = DS.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    for (Dataset<Row> df : List.of(day.messages(), day.reports())) {
      Row r = df.agg(min("created_at"), max("created_at")).first();
      long lo = r.getTimestamp(0).getTime() / 1000;
      long hi = r.getTimestamp(1).getTime() / 1000;
      assertTrue(lo >= dayStart && hi < dayStart + 86400, "times outside the day: " + r);
    }
    long reports = day.reports().count();
    long brigades = day.reports().join(day.truthAccounts().where("role = 'brigader'")
        .withColumnRenamed("account_id", "reporter_id"), "reporter_id").count();
    long other = reports - brigades;
    assertTrue(other >= N / 300 && other <= N / 120, "about one report per 200 messages besides brigades, got "
        + other);
    // every message and report account is in the snapshot
    Dataset<Row> ids = day.accounts().select("account_id");
    assertEquals(0, day.messages().select("account_id").except(ids).count(), "posters missing from accounts");
    assertEquals(0, day.reports().select("reporter_id").except(ids).count(), "reporters missing from accounts");
  }

  @Test
  void everyRoleAndKindAndLanguageIsPresent() {
    Set<String> roles = day.truthAccounts().select("role").distinct().collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toSet());
    for (String role : List.of("propagandist", "amplifier", "counter_speech", "news", "researcher",
        "activist_reporter", "brigade_target", "brigader", "ban_evader", "trusted_flagger", "ordinary")) {
      assertTrue(roles.contains(role), "role " + role + " missing; have " + roles);
    }
    Map<String, Long> kinds = counts(day.truthMessages(), "kind");
    for (String kind : List.of("background", "viral", "propaganda", "counter_speech", "news", "research", "evader")) {
      assertTrue(kinds.getOrDefault(kind, 0L) > 0, "kind " + kind + " missing; have " + kinds);
    }
    long prop = kinds.get("propaganda") + kinds.get("evader");
    assertTrue(prop > N * 0.02 && prop < N * 0.05, "propaganda share off: " + prop);
    assertTrue(kinds.get("viral") > N * 0.03 && kinds.get("viral") < N * 0.08, "viral share off: " + kinds);
    Map<String, Long> langs = counts(day.messages(), "lang");
    assertTrue(langs.get("en") > N * 0.4 && langs.get("ar") > N * 0.1 && langs.get("fr") > N * 0.1,
        "languages: " + langs);
    // replies, retweets and quotes point at messages of the day
    Dataset<Row> m = day.messages();
    for (String ref : List.of("reply_to", "retweet_of", "quote_of")) {
      Dataset<Row> refs = m.where(col(ref).isNotNull()).select(col(ref).as("message_id"));
      assertTrue(refs.count() > 0, "no " + ref);
      assertEquals(0, refs.except(m.select("message_id")).count(), ref + " points outside the day");
    }
  }

  @Test
  void campaignsHaveBurstsOfManyAccountsAndManyYoungAccounts() {
    Dataset<Row> prop = day.messages().join(day.truthMessages().where("kind = 'propaganda'"), "message_id");
    Dataset<Row> perCampaign = prop.groupBy("campaign_id")
        .agg(countDistinct("account_id").as("accounts"), count("*").as("messages"));
    long campaigns = perCampaign.count();
    assertTrue(campaigns >= 5, "few campaigns active: " + campaigns);
    assertTrue(perCampaign.where("accounts >= 8").count() >= campaigns / 2, "campaigns with few accounts");
    // a burst: many accounts of a campaign within ten minutes
    long bursty = prop.withColumn("slot", col("created_at").cast("long").divide(600).cast("long"))
        .groupBy("campaign_id", "slot").agg(countDistinct("account_id").as("a")).where("a >= 5")
        .select("campaign_id").distinct().count();
    assertTrue(bursty >= campaigns / 2, "campaigns without bursts: " + bursty + " of " + campaigns);
    Dataset<Row> members = day.accounts().join(day.truthAccounts()
        .where("role in ('propagandist', 'amplifier')"), "account_id");
    long young = members.where(col("created_at").geq(java.sql.Timestamp.valueOf("2026-09-20 00:00:00"))).count();
    assertTrue(young > members.count() / 3, "expected many young campaign accounts: " + young + "/" + members.count());
  }

  @Test
  void linkCampaignsAndNewsLinksAreInTheTruthApartFromTheTextTruth() {
    Dataset<Row> posts = day.truthMessages().where("link_campaign is not null");
    assertEquals(2, posts.select("link_campaign").distinct().count(), "at least two link campaigns a day");
    assertEquals(0, posts.where("truth_cluster is not null or kind != 'link_campaign' or campaign_id is not null")
        .count(), "link campaign posts are no near-duplicate group and no text campaign's messages");
    Dataset<Row> posters = posts.join(day.messages(), "message_id").select("account_id").distinct();
    assertEquals(posters.count(), posters.join(day.truthAccounts()
        .where("role in ('propagandist', 'amplifier')"), "account_id").count(), "posted by campaign accounts");
    Dataset<Row> news = day.truthMessages().where("organic_link is not null");
    assertEquals(2, news.select("organic_link").distinct().count(), "a few news links");
    assertEquals(0, news.where("kind != 'background' or link_campaign is not null").count());
  }

  @Test
  void mediaCampaignsAndMemesAreInTheMediaColumnAndTheTruthApartFromTheTextTruth() {
    Dataset<Row> media = day.messages().where("media is not null").join(day.truthMessages(), "message_id");
    assertEquals(0, media.where("size(media) != 1 or media[0].kind != 'image' "
        + "or not media[0].md5 rlike '^[0-9a-f]{32}$' or not media[0].pdq rlike '^[0-9a-f]{64}$'").count(),
        "one image a message, with lower-case hex hashes");
    assertEquals(0, media.where("media_campaign is null and organic_media is null").count(), "unplanted media");
    Dataset<Row> posts = day.truthMessages().where("media_campaign is not null");
    assertEquals(2, posts.select("media_campaign").distinct().count(), "at least two media campaigns a day");
    assertEquals(0, posts.where("not truth_cluster like 'mcap/%' or kind != 'media_campaign' "
        + "or campaign_id is not null or link_campaign is not null").count(),
        "media campaign posts are grouped by their caption, and are no text or link campaign's messages");
    Dataset<Row> posters = posts.join(day.messages(), "message_id").select("account_id").distinct();
    assertEquals(posters.count(), posters.join(day.truthAccounts()
        .where("role in ('propagandist', 'amplifier')"), "account_id").count(), "posted by campaign accounts");
    assertEquals(2, day.truthMessages().where("organic_media is not null").select("organic_media").distinct().count(),
        "a couple of memes");
    Dataset<Row> known = day.reference().get(Tables.KNOWN_MEDIA);
    // The decoys were added before 2025; the campaigns' items in the weeks before the day.
    assertEquals(1, known.where("kind = 'pdq' and added_at >= '2026-09-01'").count(), "one known image of the two");
    assertEquals(1, known.where("kind = 'md5' and added_at >= '2026-09-01'").count(), "and its file");
  }

  @Test
  void consecutiveDaysShareCampaignsAndAccounts() {
    GeneratedDay next = SyntheticDay.generate(spark, DS.plusDays(1), N, SEED);
    Set<String> c1 = campaignIds(day);
    Set<String> c2 = campaignIds(next);
    Set<String> both = new HashSet<>(c1);
    both.retainAll(c2);
    assertTrue(both.size() >= Math.min(c1.size(), c2.size()) * 0.6, "campaigns " + c1 + " vs " + c2);
    Dataset<Row> m1 = campaignAccounts(day);
    Dataset<Row> m2 = campaignAccounts(next);
    long shared = m1.intersect(m2).count();
    assertTrue(shared > m1.count() * 0.4, "campaign accounts shared across days: " + shared + "/" + m1.count());
    long sharedIds = day.accounts().select("account_id", "handle", "created_at")
        .intersect(next.accounts().select("account_id", "handle", "created_at")).count();
    assertTrue(sharedIds > 100, "stable account profiles across days: " + sharedIds);
    assertEquals(0, day.messages().select("message_id").intersect(next.messages().select("message_id")).count(),
        "message ids repeat across days");
  }

  @Test
  void knownPropagandaCoversSomeButNotAllCampaigns() {
    List<Row> refs = day.reference().get(Tables.KNOWN_PROPAGANDA).collectAsList();
    Map<String, List<String>> texts = new HashMap<>();
    for (Row r : day.messages().join(day.truthMessages().where("kind = 'propaganda' and retweet_of is null"),
        "message_id").select("campaign_id", "text").collectAsList()) {
      texts.computeIfAbsent(r.getString(0), k -> new java.util.ArrayList<>()).add(r.getString(1));
    }
    int known = 0;
    for (List<String> ts : texts.values()) {
      boolean k = false;
      for (Row ref : refs) {
        for (String t : ts) {
          k |= jaccard(bigrams(ref.getString(1)), bigrams(t)) >= 0.5;
        }
      }
      known += k ? 1 : 0;
    }
    assertTrue(known > 0 && known < texts.size(), "known campaigns " + known + " of " + texts.size());
  }

  @Test
  void brigadesComeFromFreshAccountsWithinHalfAnHour() {
    Dataset<Row> brig = day.reports()
        .join(day.truthAccounts().where("role = 'brigader'").select(col("account_id").as("reporter_id")),
            "reporter_id")
        .join(day.accounts().select(col("account_id").as("reporter_id"), col("created_at").as("reporter_created")),
            "reporter_id");
    List<Row> perTarget = brig.groupBy("reported_account_id")
        .agg(count("*").as("n"), min("created_at").as("first"), max("created_at").as("last"),
            min("reporter_created").as("oldest"))
        .collectAsList();
    assertTrue(perTarget.size() >= 2, "expected a few brigades");
    Timestamp threeDaysBefore = Timestamp.valueOf(DS.minusDays(3).atStartOfDay());
    Set<String> targets = new HashSet<>(day.truthAccounts().where("role = 'brigade_target'").select("account_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
    for (Row r : perTarget) {
      assertTrue(targets.contains(r.getString(0)), "brigade against a non-target " + r);
      long n = r.getLong(1);
      assertTrue(n >= 20 && n <= 60, "brigade size " + n);
      long span = r.getTimestamp(3).getTime() - r.getTimestamp(2).getTime();
      assertTrue(span <= 30 * 60 * 1000, "brigade spread over " + span / 1000 + " s");
      assertTrue(!r.getTimestamp(4).before(threeDaysBefore), "old brigader account: " + r);
    }
  }

  @Test
  void banEvadersResembleSuspendedAccounts() {
    List<Row> ev = day.truthAccounts().where("role = 'ban_evader'").select("account_id", "evades_account_id")
        .collectAsList();
    assertTrue(!ev.isEmpty(), "no ban evaders");
    Set<String> suspended = new HashSet<>(day.reference().get(Tables.SUSPENSIONS).select("account_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
    Map<String, String> handles = new HashMap<>();
    for (Row r : day.accounts().select("account_id", "handle").collectAsList()) {
      handles.put(r.getString(0), r.getString(1));
    }
    for (Row r : ev) {
      assertTrue(suspended.contains(r.getString(1)), "evaded account not suspended: " + r);
      String a = handles.get(r.getString(0));
      String b = handles.get(r.getString(1));
      assertTrue(a != null && b != null, "evader or suspended account missing from snapshot: " + r);
      assertTrue(jaccard(charGrams(a), charGrams(b)) >= 0.4, "handles not alike: " + a + " / " + b);
    }
    assertTrue(day.reference().get(Tables.REVIEW_DECISIONS).where("decision = 'suspend'").count() > 0);
    assertTrue(day.reference().get(Tables.REVIEW_DECISIONS).where("decision = 'dismiss'").count() > 0);
    assertTrue(day.reference().get(Tables.PROTECTED_ACCOUNTS).where("category = 'counter_speech'").count() > 0);
  }

  @Test
  void writtenFilesReadBackUnderTheContract(@TempDir Path dir) {
    SyntheticDay.write(day, dir.toString());
    Dataset<Row> m = spark.read().schema(Tables.schema("messages").lenient())
        .option("timestampFormat", SyntheticDay.TS_FORMAT).json(dir + "/messages");
    long n = day.messages().count();
    assertEquals(n + 6, m.count(), "messages plus six bad rows");
    assertEquals(n, m.where("message_id is not null and account_id is not null and created_at is not null "
        + "and length(text) < 10000").where(col("message_id").startsWith("bad-").unary_$bang()).count());
    Dataset<Row> acc = spark.read().schema(Tables.schema("accounts").lenient()).json(dir + "/accounts");
    assertEquals(0, acc.where("created_at is null").count(), "account created_at did not parse");
    for (String t : Tables.REFERENCE) {
      Dataset<Row> ref = spark.read().schema(Tables.schema(t).lenient()).json(dir + "/reference/" + t);
      assertEquals(day.reference().get(t).count(), ref.count(), t);
    }
    assertEquals(n, spark.read().parquet(dir + "/_truth/messages").count());
  }

  private static Map<String, Long> counts(Dataset<Row> df, String c) {
    Map<String, Long> out = new HashMap<>();
    for (Row r : df.groupBy(c).count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  private static Set<String> campaignIds(GeneratedDay d) {
    return d.truthMessages().where("campaign_id is not null").select("campaign_id").distinct().collectAsList()
        .stream().map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  private static Dataset<Row> campaignAccounts(GeneratedDay d) {
    return d.truthAccounts().where("role in ('propagandist', 'amplifier')").select("account_id", "campaign_id");
  }

  static Set<String> bigrams(String text) {
    String[] w = text.toLowerCase().split("\\s+");
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 1 < w.length; i++) {
      out.add(w[i] + " " + w[i + 1]);
    }
    return out;
  }

  static Set<String> charGrams(String s) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 3 <= s.length(); i++) {
      out.add(s.substring(i, i + 3));
    }
    return out;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    Set<String> inter = new HashSet<>(a);
    inter.retainAll(b);
    int union = a.size() + b.size() - inter.size();
    return union == 0 ? 0 : (double) inter.size() / union;
  }
}
