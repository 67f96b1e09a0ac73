package nightwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NightwatchConfigTest {
  @TempDir
  Path dir;

  private File file(String content) throws Exception {
    Path f = dir.resolve("nightwatch.conf");
    Files.writeString(f, content);
    return f.toFile();
  }

  @Test
  void defaultsLoad() {
    NightwatchConfig c = NightwatchConfig.defaults();
    assertEquals("./warehouse", c.warehouse(), "default warehouse");
    assertEquals("./warehouse/input/ds={ds}", c.input().root(), "input root resolved from the warehouse");
    assertEquals(0.5, c.lsh().threshold(), 0.0, "default threshold");
    assertEquals(64, c.lsh().numHashes(), "default num-hashes");
    assertEquals(10000, c.limits().maxTextChars(), "default max-text-chars");
    assertEquals(10, c.scoring().reports().brigadeMinReports(), "default brigade-min-reports");
    assertEquals(64, c.digest().length(), "digest is a SHA-256 hex string");
  }

  @Test
  void fileAndOverridesLayerOnDefaults() throws Exception {
    NightwatchConfig c = NightwatchConfig.load(file("nightwatch { warehouse = \"/data/wh\"\n lsh.threshold = 0.6 }"),
        Map.of("nightwatch.lsh.threshold", 0.7, "nightwatch.cluster.min-accounts", 5));
    assertEquals("/data/wh", c.warehouse(), "file sets the warehouse");
    assertEquals("/data/wh/input/ds={ds}", c.input().root(), "input root follows the file's warehouse");
    assertEquals(0.7, c.lsh().threshold(), 0.0, "overrides win over the file");
    assertEquals(5, c.cluster().minAccounts(), "override applied");
    assertEquals(3, c.cluster().minMessages(), "untouched keys keep defaults");
    assertTrue(!c.digest().equals(NightwatchConfig.defaults().digest()), "digest changes with the config");
  }

  @Test
  void unknownKeyInFileFailsNamingIt() throws Exception {
    NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(file("nightwatch.lsh.treshold = 0.6\n"), Map.of()),
        "a misspelt key must fail");
    assertTrue(e.getMessage().contains("nightwatch.lsh.treshold"), "message should name the key: " + e.getMessage());
  }

  @Test
  void unknownOverrideFailsNamingIt() {
    NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(null, Map.of("nightwatch.cluster.min-acounts", 2)));
    assertTrue(e.getMessage().contains("nightwatch.cluster.min-acounts"), "message names the key: " + e.getMessage());
  }

  @Test
  void wrongTypeFailsNamingKey() throws Exception {
    NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(file("nightwatch.lsh.num-hashes = many\n"), Map.of()));
    assertTrue(e.getMessage().contains("nightwatch.lsh.num-hashes"), "message should name the key: " + e.getMessage());
    NightwatchConfig.InvalidConfigException f = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(null, Map.of("nightwatch.cluster.min-accounts", 2.5)), "a fraction for an int");
    assertTrue(f.getMessage().contains("nightwatch.cluster.min-accounts"), "message names the key: " + f.getMessage());
  }

  @Test
  void intermediateStorageIsAStorageLevelFromAShortList() {
    assertEquals(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK(),
        NightwatchConfig.defaults().execution().storageLevel(), "default");
    assertEquals(org.apache.spark.storage.StorageLevel.DISK_ONLY(), NightwatchConfig.load(null,
        Map.of("nightwatch.execution.intermediate-storage", "DISK_ONLY")).execution().storageLevel(), "disk only");
    NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(null, Map.of("nightwatch.execution.intermediate-storage", "OFF_HEAP")));
    assertTrue(e.getMessage().contains("nightwatch.execution.intermediate-storage"), "names the key: " + e.getMessage());
  }

  @Test
  void outOfRangeValuesFail() {
    NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(null, Map.of("nightwatch.lsh.threshold", 1.5)));
    assertTrue(e.getMessage().contains("nightwatch.lsh.threshold"), "message names the key: " + e.getMessage());
    assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(null, Map.of("nightwatch.scoring.tier-t2", 0.9)), "t2 above t1 must fail");
    assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(new File(dir.toFile(), "missing.conf"), Map.of()), "missing file must fail");
    NightwatchConfig.InvalidConfigException c = assertThrows(NightwatchConfig.InvalidConfigException.class,
        () -> NightwatchConfig.load(null, Map.of("nightwatch.classifier.consistent-share", 0.0)));
    assertTrue(c.getMessage().contains("consistent-share"), "message names the key: " + c.getMessage());
  }

  @Test
  void hardNegativeShareHasADefaultAndIsValidated() {
    assertEquals(0.35, NightwatchConfig.defaults().classifier().hardNegativeShare(), 0.0, "default share");
    assertEquals(0.7, NightwatchConfig.load(null, Map.of("nightwatch.classifier.hard-negative-share", 0.7))
        .classifier().hardNegativeShare(), 0.0, "overridden share");
    for (double bad : new double[] {0.0, 1.0, -0.2}) {
      NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
          () -> NightwatchConfig.load(null, Map.of("nightwatch.classifier.hard-negative-share", bad)), "share " + bad);
      assertTrue(e.getMessage().contains("hard-negative-share"), "message names the key: " + e.getMessage());
    }
  }

  @Test
  void maintenanceRetentionIsValidated() {
    NightwatchConfig.Maintenance m = NightwatchConfig.load(null, Map.of()).maintenance();
    assertEquals(400, m.dailyRetentionDays());
    assertEquals(168, m.vacuumRetentionHours());
    for (Map.Entry<String, Object> bad : Map.<String, Object>of(
        "nightwatch.maintenance.vacuum-retention-hours", 24, // Delta's own floor is 168
        "nightwatch.maintenance.report-log-days", 30,        // below the 90 days reporter precision reads
        "nightwatch.maintenance.rejected-raw-days", -1,
        "nightwatch.maintenance.log-retention-days", 0).entrySet()) {
      NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
          () -> NightwatchConfig.load(null, Map.of(bad.getKey(), bad.getValue())), bad.getKey());
      assertTrue(e.getMessage().contains(bad.getKey().substring("nightwatch.".length())),
          "message names the key: " + e.getMessage());
    }
  }

  @Test
  void safeguardsAreValidated() {
    NightwatchConfig.Safeguards g = NightwatchConfig.load(null, Map.of()).scoring().safeguards();
    assertEquals(3, g.minOwnWords());
    assertEquals(2, g.brigadeTargetMinMessages());
    assertEquals(0.95, g.stanceModel().targetPrecision());
    for (Map.Entry<String, Object> bad : Map.<String, Object>of(
        "nightwatch.scoring.safeguards.min-own-words", 0,
        "nightwatch.scoring.safeguards.upheld-min-precision", 1.5,
        "nightwatch.scoring.safeguards.counter-speech-day-share", 0,
        "nightwatch.scoring.safeguards.brigade-target-min-messages", 0,
        "nightwatch.scoring.safeguards.stance-model.target-precision", 1.0,
        "nightwatch.scoring.safeguards.stance-model.min-texts", 0).entrySet()) {
      NightwatchConfig.InvalidConfigException e = assertThrows(NightwatchConfig.InvalidConfigException.class,
          () -> NightwatchConfig.load(null, Map.of(bad.getKey(), bad.getValue())), bad.getKey());
      assertTrue(e.getMessage().contains(bad.getKey().substring("nightwatch.".length())),
          "message names the key: " + e.getMessage());
    }
  }
}
